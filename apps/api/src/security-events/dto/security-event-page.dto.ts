import { ApiProperty } from '@nestjs/swagger';
import { SecurityEventType } from '../../generated/prisma/enums.js';

export class SecurityEventDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: Object.values(SecurityEventType), enumName: 'SecurityEventType' })
  type: SecurityEventType;

  @ApiProperty({ format: 'date-time' })
  at: string;

  @ApiProperty({ type: String, nullable: true })
  ip: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Approximate "City, Country" of the client, when known.', example: 'London, United Kingdom' })
  location: string | null;

  @ApiProperty({ type: String, nullable: true })
  browser: string | null;

  @ApiProperty({ type: String, nullable: true })
  os: string | null;
}

/** [A-EVENTS] A page of the timeline, newest first. */
export class SecurityEventPageDto {
  @ApiProperty({ type: [SecurityEventDto] })
  events: SecurityEventDto[];

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.' })
  nextCursor: string | null;
}
