import { ApiProperty } from '@nestjs/swagger';

/** The signed-in session as describeSession() shows it. */
export class CurrentSessionDto {
  @ApiProperty({ description: 'The public handle (the stored hash), never the cookie\'s ID.' })
  id: string;

  @ApiProperty({ format: 'date-time' })
  authenticatedAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Null for a session restored by remember-me [U-REMEMBERED].' })
  reauthenticatedAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Until when critical actions need no new step-up; null when the window is closed.' })
  stepUpExpiresAt: string | null;

  @ApiProperty({ format: 'date-time' })
  idleExpiresAt: string;

  @ApiProperty({ format: 'date-time' })
  absoluteExpiresAt: string;

  @ApiProperty()
  remembered: boolean;
}

export class CurrentSessionResponseDto {
  @ApiProperty({ type: CurrentSessionDto })
  session: CurrentSessionDto;
}
