import { type ReceivedMail, waitForInbox } from './mail-inbox.js';

/** The one-time token of the first link in `mail` that carries one (after `#token=`). */
export function tokenIn(mail: ReceivedMail): string {
  const match = /#token=([^\s"<]+)/.exec(mail.text);
  if (!match) throw new Error(`no token link in "${mail.subject}"`);
  return decodeURIComponent(match[1]!);
}

const isFor = (mail: ReceivedMail, to: string, subject: string) => mail.subject.startsWith(subject) && mail.to.some((r) => r.address === to);

/** Waits for `count` messages to `to` with `subject`, and returns them. */
export async function mailTo(inboxUrl: string, to: string, subject: string, count = 1): Promise<ReceivedMail[]> {
  const inbox = await waitForInbox(inboxUrl, (mail) => mail.filter((m) => isFor(m, to, subject)).length >= count, 45_000);
  return inbox.filter((m) => isFor(m, to, subject));
}
