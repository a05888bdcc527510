import { Controller, Get, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { describeUserAgent } from '../common/user-agent.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { EventsQueryDto } from './events-query.dto.js';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { SecurityEventPageDto } from './dto/security-event-page.dto.js';

@ApiTags('security-events')
@Controller('account/events')
export class SecurityEventsController {
  constructor(private readonly prisma: PrismaService) {}

  /** [A-EVENTS] The user's security timeline, newest first, a page at a time (cursor = last event's id). */
  @Get()
  @ApiOkResponse({ type: SecurityEventPageDto })
  async list(@Req() req: Request, @Query() query: EventsQueryDto) {
    const page = await this.prisma.securityEvent.findMany({
      where: { userId: req.user!.id },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: query.limit + 1,
      ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
    });
    const events = page.slice(0, query.limit).map((event) => {
      const { browser, os } = describeUserAgent(event.userAgent);
      return { id: event.id, type: event.type, at: event.createdAt.toISOString(), ip: event.ip, location: event.location, browser, os };
    });
    return { events, nextCursor: page.length > query.limit ? (events.at(-1)?.id ?? null) : null };
  }
}
