/**
 * Where `npm run dev`'s Vite server sends `/api`: the API on `PORT`, the same variable the API
 * listens on (default 3000), so `PORT=4000 npm run dev` moves both together. 127.0.0.1 rather than
 * localhost, which may resolve to ::1 where the API does not listen.
 */
export function apiProxyTarget(env: Record<string, string | undefined>): string {
  const raw = env.PORT || '3000';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`PORT must be a port number from 1 to 65535 for npm run dev, so the web app can reach the API; got "${raw}".`);
  }
  return `http://127.0.0.1:${port}`;
}
