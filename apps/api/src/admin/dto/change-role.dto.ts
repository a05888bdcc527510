import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { Role } from '../../generated/prisma/enums.js';

export class ChangeRoleDto {
  @ApiProperty({ enum: Object.values(Role), enumName: 'Role' })
  @IsIn(Object.values(Role), { message: 'Choose the role "user" or "admin".' })
  role: Role;
}
