import http from 'node:http';

export const BENCH_USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) sessionkeep-bench/1.0';
const TIMEOUT_MS = 15_000;

export interface HttpResponse {
  status: number;
  body: string;
  json<T>(): T;
}

/**
 * One device talking to a server on 127.0.0.1 with `Host: localhost:<port>`, keeping its cookies
 * by hand (the app's `__Host-` cookie is `Secure`, which the dev loopback rule allows over http).
 */
export class BenchClient {
  readonly cookies = new Map<string, string>();
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  constructor(readonly port: number) {}

  get host(): string {
    return `localhost:${this.port}`;
  }

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  get(path: string, headers: Record<string, string> = {}): Promise<HttpResponse> {
    return this.request('GET', path, undefined, headers);
  }

  post(path: string, body: object | undefined, headers: Record<string, string> = {}): Promise<HttpResponse> {
    return this.request('POST', path, body, headers);
  }

  close(): void {
    this.agent.destroy();
  }

  request(method: string, path: string, body: object | undefined, extra: Record<string, string>): Promise<HttpResponse> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { host: this.host, 'user-agent': BENCH_USER_AGENT, accept: 'application/json', ...extra };
    if (this.cookies.size > 0) headers.cookie = this.cookieHeader();
    if (payload !== undefined) headers['content-type'] = 'application/json';
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: this.port, method, path, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          this.keepCookies(res.headers['set-cookie'] ?? []);
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: text, json: <T>() => JSON.parse(text) as T });
        });
      });
      req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error(`${method} ${path} timed out after ${TIMEOUT_MS} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  private keepCookies(setCookies: string[]): void {
    for (const header of setCookies) {
      const [pair = '', ...attributes] = header.split(';');
      const name = pair.slice(0, pair.indexOf('=')).trim();
      const value = pair.slice(pair.indexOf('=') + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && new Date(a.split('=')[1] ?? '') <= new Date()));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

/** Throws with the answer's body when the status is not the expected one. */
export function expectStatus(res: HttpResponse, expected: number, what: string): HttpResponse {
  if (res.status !== expected) throw new Error(`${what} answered ${res.status}, expected ${expected}: ${res.body.slice(0, 300)}`);
  return res;
}
