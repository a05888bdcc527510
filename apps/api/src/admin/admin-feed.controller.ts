import { Controller, Get, Query } from '@nestjs/common';
import { describeUserAgent } from '../common/user-agent.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { AdminOnly } from './admin.guard.js';
import { AdminFeedQueryDto } from './dto/admin-feed-query.dto.js';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminFeedPageDto } from './dto/admin-feed-page.dto.js';

/**
 * The admins' security feed: suspicious sessions ended, remember-me theft, accounts that hit the
 * sign-in limit (one entry per burst), role changes and admin revocations, across all users,
 * newest first, a page at a time. The seeds' hijacking check "notifies an admin": this is where.
 */
@AdminOnly()
@ApiTags('admin')
@Controller('admin/security-events')
export class AdminFeedController {
  constructor(private readonly prisma: PrismaService) {}

  @Get()
  @ApiOkResponse({ type: AdminFeedPageDto })
  async list(@Query() query: AdminFeedQueryDto) {
    // Walks the (admin_feed, created_at DESC, id DESC) index: never a scan of every user's events.
    const page = await this.prisma.securityEvent.findMany({
      where: { adminFeed: true, ...(query.type ? { type: query.type } : {}) },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: query.limit + 1,
      ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
      include: { user: { select: { id: true, email: true, name: true } } },
    });
    const events = page.slice(0, query.limit).map((event) => ({
      id: event.id,
      type: event.type,
      at: event.createdAt.toISOString(),
      user: event.user,
      ip: event.ip,
      location: event.location,
      ...describeUserAgent(event.userAgent),
      details: event.details,
    }));
    return { events, nextCursor: page.length > query.limit ? (events.at(-1)?.id ?? null) : null };
  }
}
