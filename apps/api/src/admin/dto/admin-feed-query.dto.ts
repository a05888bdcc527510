import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { EventsQueryDto } from '../../security-events/events-query.dto.js';
import { ADMIN_FEED_TYPES } from '../../security-events/security-events.service.js';

export class AdminFeedQueryDto extends EventsQueryDto {
  @ApiPropertyOptional({ enum: ADMIN_FEED_TYPES, enumName: 'AdminFeedEventType', description: 'Only events of this type.' })
  @IsOptional()
  @IsIn(ADMIN_FEED_TYPES, { message: `type must be one of: ${ADMIN_FEED_TYPES.join(', ')}.` })
  type?: (typeof ADMIN_FEED_TYPES)[number];
}
