import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export class VerifyEmailDto {
  /** `selector.validator` from the emailed link's fragment. */
  @ApiProperty({ maxLength: 100 })
  @MaxLength(100, { message: 'This is not a link we sent.' })
  @IsString({ message: 'The link is missing its token.' })
  token: string;
}
