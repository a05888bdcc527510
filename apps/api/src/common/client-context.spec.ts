import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { clientContextOf } from './client-context.js';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';

function request(ip: string, headers: Record<string, string> = {}): Request {
  return { ip, headers, get: (name: string) => headers[name.toLowerCase()] } as unknown as Request;
}

describe('clientContextOf', () => {
  it('reads the address, user agent and fingerprint as plain values', () => {
    const client = clientContextOf(request('::ffff:198.51.100.7', { 'user-agent': CHROME }), undefined);
    expect(JSON.parse(JSON.stringify(client))).toEqual({
      ip: '198.51.100.7',
      userAgent: CHROME,
      location: null,
      fingerprint: { network: '198.51/16', browser: 'Chrome' },
    });
  });

  it('bounds the user agent it keeps, and survives none', () => {
    expect(clientContextOf(request('198.51.100.7', { 'user-agent': 'x'.repeat(5000) }), undefined).userAgent).toHaveLength(512);
    expect(clientContextOf(request('198.51.100.7'), undefined)).toMatchObject({ userAgent: '', fingerprint: { browser: 'unknown' } });
  });

  it('believes a location header only when LOCATION_HEADER names it', () => {
    const req = request('198.51.100.7', { 'cf-ipcountry': 'NL' });
    expect(clientContextOf(req, undefined).location).toBeNull();
    expect(clientContextOf(req, 'cf-ipcountry').location).toBe('NL');
    expect(clientContextOf(request('198.51.100.7', { 'cf-ipcountry': 'N'.repeat(100) }), 'cf-ipcountry').location).toHaveLength(64);
  });
});
