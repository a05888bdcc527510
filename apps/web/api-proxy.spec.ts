import { describe, expect, it } from 'vitest';
import { apiProxyTarget } from './api-proxy';

describe('apiProxyTarget', () => {
  it('follows PORT, as the API does', () => {
    expect(apiProxyTarget({ PORT: '4123' })).toBe('http://127.0.0.1:4123');
  });

  it('uses the API default of 3000 when PORT is unset or empty', () => {
    expect(apiProxyTarget({})).toBe('http://127.0.0.1:3000');
    expect(apiProxyTarget({ PORT: '' })).toBe('http://127.0.0.1:3000');
  });

  it.each(['0', 'abc', '70000', '3000.5'])('refuses PORT=%s with a message naming the variable', (port) => {
    expect(() => apiProxyTarget({ PORT: port })).toThrow(/^PORT must be a port number from 1 to 65535/);
  });
});
