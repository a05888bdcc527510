import { ApiProperty } from '@nestjs/swagger';
import { Role } from '../../generated/prisma/enums.js';
import type { PublicUser } from '../public-user.js';

export class PublicUserDto implements PublicUser {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'email' })
  email: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ enum: Object.values(Role), enumName: 'Role' })
  role: Role;

  @ApiProperty({ description: 'A link sent to this address has been used.' })
  emailVerified: boolean;
}

export class UserResponseDto {
  @ApiProperty({ type: PublicUserDto })
  user: PublicUserDto;
}
