import { ApiProperty } from '@nestjs/swagger';
import { CurrentSessionDto } from '../../sessions/dto/current-session.dto.js';
import { PublicUserDto } from '../../users/dto/public-user.dto.js';

export class MeResponseDto {
  @ApiProperty({ type: PublicUserDto })
  user: PublicUserDto;

  @ApiProperty({ type: CurrentSessionDto })
  session: CurrentSessionDto;
}
