import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export class NotMeDto {
  /** `selector.validator` from the alert's "This wasn't me" link. */
  @ApiProperty({ maxLength: 100 })
  @MaxLength(100, { message: 'This is not a link we sent.' })
  @IsString({ message: 'The link is missing its token.' })
  token: string;
}
