import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from '@playwright/test';

/** One message as maildev's JSON API lists it. */
export interface ReceivedMail {
  subject: string;
  to: Array<{ address: string }>;
  text: string;
}

/**
 * The inbox of a server's embedded mail server (maildev), found through the file the server writes
 * in its data folder (apps/api/src/mail/embedded-mail-server.ts): no route of the app exposes it.
 */
export class Inbox {
  private constructor(private readonly url: string) {}

  static of(dataDir: string): Inbox {
    return new Inbox(readFileSync(join(dataDir, 'mail-inbox-url'), 'utf8').trim());
  }

  /** Waits for the latest message to `to` whose subject starts with `subject`; mail goes out through a queue. */
  async latest(to: string, subject: string): Promise<ReceivedMail> {
    let found: ReceivedMail | undefined;
    await expect(async () => {
      const res = await fetch(`${this.url}/api/email`);
      const mail = (await res.json()) as ReceivedMail[];
      found = mail.filter((m) => m.subject.startsWith(subject) && m.to.some((r) => r.address === to)).at(-1);
      expect(found, `an email "${subject}" to ${to}`).toBeDefined();
    }).toPass({ timeout: 20_000 });
    return found!;
  }

  /** The link in `mail` that carries a one-time token (after `#token=`). */
  static tokenLink(mail: ReceivedMail): string {
    const link = /https?:\/\/\S+#token=\S+/.exec(mail.text)?.[0];
    if (!link) throw new Error(`no token link in "${mail.subject}"`);
    return link;
  }
}
