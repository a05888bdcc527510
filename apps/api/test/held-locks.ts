import type { Prisma } from '../src/generated/prisma/client.js';
import type { TestApp } from './test-app.js';
import { until } from './waiting.js';

/** Runs `lock` in a transaction held open until the returned release is called. */
async function holdWhile(t: TestApp, lock: (tx: Prisma.TransactionClient) => Promise<unknown>): Promise<() => Promise<void>> {
  let release!: () => void;
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const held = t.prisma.$transaction(
    async (tx) => {
      await lock(tx);
      locked();
      await new Promise<void>((resolve) => (release = resolve));
    },
    { timeout: 60_000 },
  );
  await isLocked;
  return async () => {
    release();
    await held;
  };
}

/** Holds the user's row lock (the one every session change takes) until released. */
export const holdUserLock = (t: TestApp, userId: string) => holdWhile(t, (tx) => tx.$queryRaw`SELECT 1 FROM users WHERE id = ${userId}::uuid FOR UPDATE`);

/** Locks a whole table, as a database that stops answering would hold every query on it, until released. */
export const holdTable = (t: TestApp, table: 'session') => holdWhile(t, (tx) => tx.$executeRawUnsafe(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`));

/** Waits until `count` queries of the test database wait on a lock. */
export const lockWaiters = (t: TestApp, count: number) =>
  until(async () => {
    const [row] = await t.prisma.$queryRaw<{ waiting: bigint }[]>`
      SELECT count(*) AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
    return row!.waiting >= BigInt(count);
  }, `${count} requests waiting for a lock`);
