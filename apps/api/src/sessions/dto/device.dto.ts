import { ApiProperty } from '@nestjs/swagger';

/** One card of the devices page: a live session, or a remembered device with no live session [D-LIST, R-LIFE]. */
export class DeviceDto {
  @ApiProperty({ description: 'The session\'s public handle, or the remember-me series\' id when `active` is false; what DELETE /api/sessions/{id} takes.' })
  id: string;

  @ApiProperty({ description: 'This is the device making the request.' })
  current: boolean;

  @ApiProperty({ description: 'False for a remembered device that has no live session now.' })
  active: boolean;

  @ApiProperty({ type: String, nullable: true })
  browser: string | null;

  @ApiProperty({ type: String, nullable: true })
  os: string | null;

  @ApiProperty({ example: 'desktop' })
  deviceType: string;

  @ApiProperty({ type: String, nullable: true })
  ip: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Approximate location, where known.' })
  location: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  lastActiveAt: string;

  @ApiProperty()
  remembered: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Until when the device stays remembered.' })
  rememberedUntil: string | null;

  @ApiProperty({
    enum: ['password', 'password_totp', 'password_recovery_code', 'password_passkey', 'passkey', 'remember_me'],
    enumName: 'SignInMethod',
    nullable: true,
    description: 'How the session signed in; null for a remembered device with no live session, or a session older than this field.',
  })
  signInMethod: string | null;
}

export class DeviceListDto {
  @ApiProperty({ type: [DeviceDto], description: 'Newest activity first.' })
  sessions: DeviceDto[];
}

export class RevokedCountDto {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'How many sessions ended.' })
  revoked: number;
}
