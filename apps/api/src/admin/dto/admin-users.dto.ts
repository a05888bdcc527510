import { ApiProperty } from '@nestjs/swagger';
import { PublicUserDto } from '../../users/dto/public-user.dto.js';

export class AdminUserDto extends PublicUserDto {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Live sessions now.' })
  activeSessions: number;
}

export class AdminUserListDto {
  @ApiProperty({ type: [AdminUserDto], description: 'Oldest account first.' })
  users: AdminUserDto[];
}
