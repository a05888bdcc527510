import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MailDev } from 'maildev';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/config.js';

export interface RunningMailServer {
  smtpUrl: string;
  /** The web inbox, whose JSON API lists the received mail at `GET /api/email`. */
  inboxUrl: string;
  stop(): Promise<void>;
}

/** SMTP_URL if set, else the embedded server, keeping its mail in DATA_DIR/mail across restarts. */
export async function openMailServer(config: AppConfig, logger: Logger): Promise<Pick<RunningMailServer, 'smtpUrl' | 'stop'>> {
  if (config.mail.smtpUrl) return { smtpUrl: config.mail.smtpUrl, stop: async () => undefined };
  const server = await startEmbeddedMailServer(logger, { mailDirectory: join(config.dataDir, 'mail') });
  // Where tools on this machine (the Playwright fixtures) find the inbox, beside the data it belongs to.
  writeFileSync(join(config.dataDir, INBOX_URL_FILE), server.inboxUrl, { mode: 0o600 });
  return server;
}

/** The file in DATA_DIR that names the embedded mail server's web inbox. */
export const INBOX_URL_FILE = 'mail-inbox-url';

export interface MailServerOptions {
  /** Where the received mail is kept (maildev's default is one /tmp folder shared by every instance). */
  mailDirectory: string;
  /** Free ports when unset; the delivery tests fix one to restart the server on it. */
  smtpPort?: number;
  webPort?: number;
}

/**
 * Zero-setup development mail: maildev's SMTP server and web inbox, in this process, on 127.0.0.1.
 * Used only when SMTP_URL is unset, which production refuses.
 */
export async function startEmbeddedMailServer(logger: Logger, options: MailServerOptions): Promise<RunningMailServer> {
  const server = new MailDev({
    smtp: options.smtpPort ?? 0,
    web: options.webPort ?? 0,
    ip: '127.0.0.1',
    webIp: '127.0.0.1',
    mailDirectory: options.mailDirectory,
    silent: true,
  });
  const { smtp, api } = await muted(() => server.start());
  const smtpPort = smtp.getAddress().port;
  const webPort = api?.getAddress()?.port;
  const inboxUrl = `http://127.0.0.1:${webPort}`;
  logger.info({ inboxUrl, smtpPort }, `embedded mail server is running; read the mail at ${inboxUrl}`);
  return { smtpUrl: `smtp://127.0.0.1:${smtpPort}`, inboxUrl, stop: () => server.stop() };
}

/** maildev prints "MailDev API running at …" with console.info even when silent; our log says it as JSON. */
async function muted<T>(start: () => Promise<T>): Promise<T> {
  const info = console.info;
  console.info = () => undefined;
  try {
    return await start();
  } finally {
    console.info = info;
  }
}
