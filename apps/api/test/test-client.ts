import type { Server } from 'node:http';
import request, { type Response } from 'supertest';

type Method = 'get' | 'post' | 'patch' | 'delete';

export interface RequestOptions {
  /** false sends no X-CSRF-Token; a string sends that token instead of the session's. */
  csrf?: boolean | string;
  headers?: Record<string, string>;
}

/**
 * One device: a cookie jar kept by hand from raw Set-Cookie headers (supertest's agent would not
 * send `Secure` cookies over the test's plain HTTP), plus the CSRF token the browser client keeps.
 */
export class TestClient {
  readonly cookies = new Map<string, string>();
  private csrfToken: string | undefined;

  constructor(
    /** The app's HTTP server, or the URL of an API running in another process. */
    private readonly server: Server | string,
    readonly headers: Record<string, string> = {},
  ) {}

  get(path: string, options: RequestOptions = {}) {
    return this.send('get', path, undefined, { csrf: false, ...options });
  }
  post(path: string, body?: object, options?: RequestOptions) {
    return this.send('post', path, body, options);
  }
  patch(path: string, body?: object, options?: RequestOptions) {
    return this.send('patch', path, body, options);
  }
  delete(path: string, options?: RequestOptions) {
    return this.send('delete', path, undefined, options);
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  /** The Cookie header this device sends, e.g. to replay it later from another client. */
  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  setCookie(name: string, value: string | undefined): void {
    if (value === undefined) this.cookies.delete(name);
    else this.cookies.set(name, value);
    this.csrfToken = undefined;
  }

  async fetchCsrfToken(): Promise<string> {
    const res = await this.send('get', '/api/auth/csrf', undefined, { csrf: false });
    if (res.status !== 200) throw new Error(`GET /api/auth/csrf answered ${res.status}`);
    this.csrfToken = res.body.csrfToken as string;
    return this.csrfToken;
  }

  async send(method: Method, path: string, body?: object, options: RequestOptions = {}): Promise<Response> {
    const csrf = options.csrf ?? true;
    const token = typeof csrf === 'string' ? csrf : csrf ? (this.csrfToken ?? (await this.fetchCsrfToken())) : undefined;
    let req = request(this.server)[method](path).set({ ...this.headers, ...options.headers });
    if (this.cookies.size > 0) req = req.set('Cookie', this.cookieHeader());
    if (token) req = req.set('X-CSRF-Token', token);
    const res = body === undefined ? await req : await req.send(body);
    this.store(res);
    return res;
  }

  private store(res: Response): void {
    for (const header of setCookieHeaders(res)) {
      const [pair = '', ...attributes] = header.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      const expired = attributes.some((a) => /^\s*expires=/i.test(a) && new Date(a.split('=')[1] ?? '') <= new Date());
      this.setCookie(name, expired || value === '' ? undefined : value);
    }
  }
}

export function setCookieHeaders(res: Response): string[] {
  const header = res.headers['set-cookie'] as string[] | string | undefined;
  return header === undefined ? [] : Array.isArray(header) ? header : [header];
}
