/** One message as maildev's JSON API (`GET /api/email` on its web port) lists it. */
export interface ReceivedMail {
  id: string;
  subject: string;
  to: Array<{ address: string }>;
  text: string;
  html: string;
  headers: Record<string, string>;
}

export async function readInbox(inboxUrl: string): Promise<ReceivedMail[]> {
  const res = await fetch(`${inboxUrl}/api/email`);
  if (!res.ok) throw new Error(`the inbox answered ${res.status}`);
  return (await res.json()) as ReceivedMail[];
}

/** Polls the inbox until `done` holds for what is in it; mail goes out through the queue, not at once. */
export async function waitForInbox(inboxUrl: string, done: (mail: ReceivedMail[]) => boolean, timeoutMs = 20_000): Promise<ReceivedMail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mail = await readInbox(inboxUrl).catch(() => []);
    if (done(mail)) return mail;
    if (Date.now() > deadline) throw new Error(`timed out waiting for mail; the inbox holds ${mail.length}: ${mail.map((m) => m.subject).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
