import { ApiProperty } from '@nestjs/swagger';
import { UserResponseDto } from '../../users/dto/public-user.dto.js';

export class EmailChangeResponseDto extends UserResponseDto {
  @ApiProperty({
    type: String,
    format: 'email',
    nullable: true,
    description: 'Where the confirmation link went; `user.email` changes only once it is used. Null when the address was already the account’s.',
  })
  pendingEmail: string | null;
}
