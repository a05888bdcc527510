import { randomUUID } from 'node:crypto';
import { HOSTILE_FIELD_VALUES, hostileBodies, SIX_MB_TEXT, validBody, withMember } from './hostile-values.js';
import type { Route } from './route-inventory.js';

export interface HostileRequest {
  /** What is hostile about it, printed when the answer is wrong. */
  attack: string;
  method: Route['method'];
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Rewrites the sending device's Cookie header; absent means the device's own cookies. */
  cookies?: (own: string) => string;
}

const JSON_TYPE = { 'content-type': 'application/json' };

/** Path parameters a router or a database query could choke on. */
const HOSTILE_PARAMS: [string, string][] = [
  ['a percent-encoded NUL', '%00'],
  ['an encoded path traversal', '..%2f..%2fhealth'],
  ['a dot segment', '%2e%2e'],
  ['a 10 kB id', 'x'.repeat(10_000)],
  ['unicode', encodeURIComponent('ü€😀')],
  ['broken percent-encoding', '%E0%A4%A'],
  ['an encoded lone surrogate', '%ED%A0%80'],
  ['SQL', encodeURIComponent("' OR 1=1 --")],
  ['a prototype key', '__proto__'],
  ['constructor', 'constructor'],
  ['a negative number', '-1'],
  ['the nil UUID', '00000000-0000-0000-0000-000000000000'],
];

/** Query strings: prototype keys (dangerous with `qs`-style parsing), duplicates, junk encodings. */
const HOSTILE_QUERIES = ['__proto__[polluted]=1', 'constructor[prototype][polluted]=1', '%E0%A4%A=1', `q=${'x'.repeat(10_000)}`];
const HOSTILE_QUERY_VALUES = ['abc', '-1', '1e400', '%00', '', 'x'.repeat(5_000), '%ED%A0%80', 'NaN'];

/**
 * The generated corpus for one route: every part of the request (body, each DTO field, content type,
 * cookies, headers, path, query) made hostile on its own, the rest left valid so the request gets
 * as far into the app as it can.
 */
export function hostileRequestsFor(route: Route, cookieNames: string[], serial: () => number): HostileRequest[] {
  const path = (params: Record<string, string> = {}, query = '') =>
    route.path.replace(/:(\w+)/g, (_, name: string) => params[name] ?? randomUUID()) + (query ? `?${query}` : '');
  const base = () => validBody(route.body, serial());
  const send = (attack: string, body: string | Buffer | undefined, headers: Record<string, string> = JSON_TYPE, url = path()) =>
    ({ attack, method: route.method, path: url, headers, body }) satisfies HostileRequest;
  const requests: HostileRequest[] = [];

  for (const [attack, body] of hostileBodies(base())) requests.push(send(`body: ${attack}`, body));
  for (const field of Object.keys(route.body)) {
    for (const [attack, json] of HOSTILE_FIELD_VALUES) {
      const { [field]: _, ...rest } = base();
      requests.push(send(`field ${field}: ${attack}`, withMember(rest, field, json)));
    }
    requests.push(send(`field ${field}: missing`, JSON.stringify({ ...base(), [field]: undefined })));
    requests.push(send(`field ${field}: given twice`, withMember(base(), field, '{"$ne":null}')));
  }

  const valid = () => JSON.stringify(base());
  const contentTypes: [string, Record<string, string>, string | Buffer][] = [
    ['no content type', {}, valid()],
    ['text/plain', { 'content-type': 'text/plain' }, valid()],
    ['form-urlencoded', { 'content-type': 'application/x-www-form-urlencoded' }, 'email=a%40b.c&password=x&__proto__[x]=1'],
    ['multipart junk', { 'content-type': 'multipart/form-data; boundary=xyz' }, '--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\n\0\0\r\n--xy'],
    ['a 6 MB text/plain body', { 'content-type': 'text/plain' }, SIX_MB_TEXT],
    ['JSON in UTF-16', { 'content-type': 'application/json; charset=utf-16' }, valid()],
    ['JSON in a bogus charset', { 'content-type': 'application/json; charset=klingon' }, valid()],
    ['gzip that is not gzip', { ...JSON_TYPE, 'content-encoding': 'gzip' }, valid()],
    ['an unknown content encoding', { ...JSON_TYPE, 'content-encoding': 'x-junk' }, valid()],
    ['a malformed content type', { 'content-type': ';;;/json=' }, valid()],
  ];
  for (const [attack, headers, body] of contentTypes) requests.push(send(`content type: ${attack}`, body, headers));

  const headerAttacks: [string, Record<string, string>][] = [
    ['an 8 kB CSRF token', { 'x-csrf-token': 'x'.repeat(8_000) }],
    ['an 8 kB user agent with Latin-1 bytes', { 'user-agent': `\xe9\xff${'u'.repeat(8_000)}` }],
    ['a junk X-Forwarded-For', { 'x-forwarded-for': 'not-an-ip, ::ffff:999.1.1.1, %00' }],
    ['a junk Accept', { accept: 'text/html;q=junk, */*;q=-1' }],
  ];
  for (const [attack, headers] of headerAttacks) requests.push(send(`header: ${attack}`, valid(), { ...JSON_TYPE, ...headers }));

  for (const [attack, cookies] of hostileCookies(cookieNames)) requests.push({ ...send(`cookie: ${attack}`, valid()), cookies });

  for (const param of route.params) {
    for (const [attack, value] of HOSTILE_PARAMS) requests.push(send(`path :${param}: ${attack}`, valid(), JSON_TYPE, path({ [param]: value })));
  }

  for (const query of HOSTILE_QUERIES) requests.push(send(`query: ${query.slice(0, 40)}`, valid(), JSON_TYPE, path({}, query)));
  for (const field of Object.keys(route.query)) {
    for (const value of HOSTILE_QUERY_VALUES) requests.push(send(`query ${field}=${value.slice(0, 20)}`, undefined, {}, path({}, `${field}=${value}`)));
    for (const query of [`${field}=1&${field}=2`, `${field}[]=1`, `${field}[a]=1`]) requests.push(send(`query ${query}`, undefined, {}, path({}, query)));
  }
  return requests;
}

/** Garbage and duplicated cookies, for every cookie name the app hands out. */
function hostileCookies(names: string[]): [string, (own: string) => string][] {
  const attacks: [string, (own: string) => string][] = [
    ['100 junk cookies (10 kB)', (own) => join(own, Array.from({ length: 100 }, (_, i) => `junk${i}=${'j'.repeat(90)}`).join('; '))],
    ['no name, no value', (own) => join(own, '=;;;=; ;=x')],
  ];
  for (const name of names) {
    attacks.push(
      [`${name} twice, own first`, (own) => join(own, `${name}=s%3Agarbage.signature`)],
      [`${name} twice, garbage first`, (own) => join(`${name}=s%3Agarbage.signature`, own)],
      [`${name} with a forged signature`, () => `${name}=s%3A${'A'.repeat(43)}.${'B'.repeat(43)}`],
      [`${name} unsigned`, () => `${name}=plain-value`],
      [`${name} of 10 kB`, () => `${name}=s%3A${'x'.repeat(10_000)}`],
      [`${name} with a NUL`, () => `${name}=%00`],
      [`${name} with broken percent-encoding`, () => `${name}=%E0%A4%A`],
      [`${name} with Latin-1 bytes`, () => `${name}=\xe9\xff`],
      [`${name} quoted`, () => `${name}="s:abc.def"`],
    );
  }
  return attacks;
}

const join = (...parts: string[]) => parts.filter(Boolean).join('; ');
