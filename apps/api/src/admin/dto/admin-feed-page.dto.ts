import { ApiProperty, OmitType, PickType } from '@nestjs/swagger';
import { ADMIN_FEED_TYPES } from '../../security-events/security-events.service.js';
import { SecurityEventDto } from '../../security-events/dto/security-event-page.dto.js';
import { PublicUserDto } from '../../users/dto/public-user.dto.js';

export class AdminFeedUserDto extends PickType(PublicUserDto, ['id', 'email', 'name'] as const) {}

export class AdminFeedEventDto extends OmitType(SecurityEventDto, ['type'] as const) {
  @ApiProperty({ enum: ADMIN_FEED_TYPES, enumName: 'AdminFeedEventType' })
  type: (typeof ADMIN_FEED_TYPES)[number];

  @ApiProperty({ type: AdminFeedUserDto, description: 'Whose account the event is about.' })
  user: AdminFeedUserDto;

  @ApiProperty({ example: 'desktop' })
  deviceType: string;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'What the event recorded, e.g. `by` (the acting admin) and `count`.' })
  details: Record<string, unknown> | null;
}

/** The admins' security feed, newest first, a page at a time. */
export class AdminFeedPageDto {
  @ApiProperty({ type: [AdminFeedEventDto] })
  events: AdminFeedEventDto[];

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.' })
  nextCursor: string | null;
}
