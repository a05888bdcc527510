import { describe, expect, it } from 'vitest';
import { safeReturnTo } from './safe-return-to';

describe('safeReturnTo', () => {
  it.each([
    '/',
    '/sessions',
    '/sessions?tab=1#x',
    '/activity?cursor=abc%3D%3D',
    '/account?next=%2F%2Fnot-at-the-start',
  ])('keeps the same-origin path %j', (value) => {
    expect(safeReturnTo(value)).toBe(value);
  });

  it.each([
    ['absolute URL', 'https://evil.com'],
    ['protocol-relative URL', '//evil.com'],
    ['backslash after slash', '/\\evil.com'],
    ['double backslash', '\\\\evil.com'],
    ['encoded CRLF header injection', '/%0d%0aSet-Cookie:x=y'],
    ['raw CRLF header injection', '/foo\r\nSet-Cookie: sid=1'],
    ['javascript: URL', 'javascript:alert(1)'],
    ['leading space', ' /x'],
    ['tab that URL parsers strip', '/\t/evil.com'],
    ['NUL byte', '/x\u0000'],
    ['encoded slashes that decode to //', '/%2F%2Fevil.com'],
    ['encoded second slash', '/%2fevil.com'],
    ['encoded backslash', '/%5Cevil.com'],
    ['malformed percent-encoding', '/%E0%A4%A'],
    ['relative path without slash', 'sessions'],
    ['empty string', ''],
  ])('rejects %s', (_label, value) => {
    expect(safeReturnTo(value)).toBe('/');
  });

  it('falls back to / when there is no value', () => {
    expect(safeReturnTo(null)).toBe('/');
    expect(safeReturnTo(undefined)).toBe('/');
  });
});
