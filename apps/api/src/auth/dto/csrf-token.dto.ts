import { ApiProperty } from '@nestjs/swagger';

export class CsrfTokenDto {
  @ApiProperty({ description: 'Send it back in the X-CSRF-Token header of every POST, PATCH and DELETE.' })
  csrfToken: string;
}
