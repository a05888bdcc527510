import type { TestApp } from './test-app.js';

/** Makes security_events refuse one event type for one user, as a database failing mid-request would. */
export async function failEvents(t: Pick<TestApp, 'prisma'>, userId: string, type: string): Promise<void> {
  await t.prisma.$executeRawUnsafe(`
    CREATE OR REPLACE FUNCTION refuse_event() RETURNS trigger AS $$
    BEGIN
      IF NEW.user_id = '${userId}'::uuid AND NEW.type::text = '${type}' THEN
        RAISE EXCEPTION 'injected failure for %', NEW.type;
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql`);
  await t.prisma.$executeRawUnsafe(`DROP TRIGGER IF EXISTS refuse_event ON security_events`);
  await t.prisma.$executeRawUnsafe(`CREATE TRIGGER refuse_event BEFORE INSERT ON security_events FOR EACH ROW EXECUTE FUNCTION refuse_event()`);
}

export async function stopFailingEvents(t: Pick<TestApp, 'prisma'>): Promise<void> {
  await t.prisma.$executeRawUnsafe(`DROP TRIGGER IF EXISTS refuse_event ON security_events`);
}

/** Runs `request` while the user's `type` events fail, and always puts the table right again. */
export async function whileEventsFail<T>(t: Pick<TestApp, 'prisma'>, userId: string, type: string, request: () => Promise<T>): Promise<T> {
  await failEvents(t, userId, type);
  try {
    return await request();
  } finally {
    await stopFailingEvents(t);
  }
}
