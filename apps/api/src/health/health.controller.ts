import { Controller, Get } from '@nestjs/common';
import { Public } from '../auth/public.decorator.js';
import { AppError } from '../common/errors/error-codes.js';
import { PrismaService } from '../prisma/prisma.service.js';

@Controller('health')
export class HealthController {
  constructor(private readonly prisma: PrismaService) {}

  @Public()
  @Get()
  async check(): Promise<{ status: 'ok' }> {
    try {
      await this.prisma.$queryRaw`SELECT 1`;
    } catch {
      throw new AppError('SERVICE_UNAVAILABLE', { message: 'The database is not reachable.' });
    }
    return { status: 'ok' };
  }
}
