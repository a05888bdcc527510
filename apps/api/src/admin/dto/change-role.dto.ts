import { IsIn } from 'class-validator';
import type { Role } from '../../generated/prisma/enums.js';

export class ChangeRoleDto {
  @IsIn(['user', 'admin'], { message: 'Choose the role "user" or "admin".' })
  role: Role;
}
