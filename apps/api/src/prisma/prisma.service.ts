import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.js';

export const DATABASE_URL = Symbol('DatabaseUrl');

/**
 * The one database client. Feature services use it directly; there is no repository layer.
 * Its `pool` is shared with the session store and the login throttle, so the app holds one pool.
 */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleDestroy {
  readonly pool: pg.Pool;

  constructor(@Inject(DATABASE_URL) databaseUrl: string) {
    const pool = new pg.Pool({ connectionString: databaseUrl, connectionTimeoutMillis: 5000, max: 10 });
    super({ adapter: new PrismaPg(pool) });
    this.pool = pool;
    // An idle client losing its server (a restart, a network blip) must not crash the process.
    pool.on('error', () => undefined);
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
    if (!this.pool.ended) await this.pool.end();
  }
}
