import { readFileSync } from 'node:fs';
import https from 'node:https';
import { deployment } from './deployment';

export interface Answer {
  status: number;
  body: unknown;
}

/**
 * An HTTPS client of the deployment connecting from another loopback address (127.0.0.2), so the
 * instances can tell its requests from the browser's (127.0.0.1) and from the proxy's own
 * connections (127.0.0.1). Node, not a browser: Chromium cannot choose its source address. It
 * keeps its own cookies and trusts this run's certificate.
 */
export class ClientAt {
  private readonly cookies = new Map<string, string>();
  private readonly ca = readFileSync(deployment.certificate);

  constructor(readonly address: string) {}

  get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
    return this.request('GET', path, headers);
  }

  /** A state-changing call, with the CSRF token fetched first as the web app does. */
  async post(path: string, body: object, headers: Record<string, string> = {}): Promise<Answer> {
    const csrf = await this.get('/api/auth/csrf', headers);
    const { csrfToken } = csrf.body as { csrfToken: string };
    return this.request('POST', path, { ...headers, 'X-CSRF-Token': csrfToken, 'Content-Type': 'application/json' }, JSON.stringify(body));
  }

  private request(method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
    const url = new URL(path, deployment.url);
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    return new Promise((resolve, reject) => {
      const request = https.request(
        url,
        { method, ca: this.ca, localAddress: this.address, headers: { ...headers, ...(cookie ? { Cookie: cookie } : {}) } },
        (response) => {
          for (const line of response.headers['set-cookie'] ?? []) {
            const [pair = ''] = line.split(';');
            const separator = pair.indexOf('=');
            this.cookies.set(pair.slice(0, separator), pair.slice(separator + 1));
          }
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text ? (JSON.parse(text) as unknown) : undefined }));
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }
}
