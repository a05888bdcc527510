import { Controller, Get } from '@nestjs/common';
import { Public } from '../auth/public.decorator.js';
import { AppError } from '../common/errors/error-codes.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { HealthDto } from './dto/health.dto.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly prisma: PrismaService) {}

  @Public()
  @Get()
  @ApiOkResponse({ type: HealthDto })
  async check(): Promise<{ status: 'ok' }> {
    try {
      await this.prisma.$queryRaw`SELECT 1`;
    } catch {
      throw new AppError('SERVICE_UNAVAILABLE', { message: 'The database is not reachable.' });
    }
    return { status: 'ok' };
  }
}
