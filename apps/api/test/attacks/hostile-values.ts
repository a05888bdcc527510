import { randomUUID } from 'node:crypto';
import type { FieldRule } from './route-inventory.js';

/** `[[[…]]]`: class-transformer recursed once per level and overflowed the stack (a 500) [I-BAD]. */
export const deepArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
export const deepObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
export const deepMixed = (depth: number) => '[{"a":'.repeat(depth) + '1' + '}]'.repeat(depth);

/** 6 MB, far past the 16 kB body limit; one shared buffer, so the corpus does not hold a copy per route. */
export const SIX_MB_JSON = Buffer.from(JSON.stringify({ padding: 'x'.repeat(6 * 1024 * 1024) }));
export const SIX_MB_TEXT = Buffer.alloc(6 * 1024 * 1024, 'x');

/** Values that replace one DTO field at a time, as JSON text, each named for the failure message. */
export const HOSTILE_FIELD_VALUES: [string, string][] = [
  ['a number', '12345'],
  ['a negative number', '-1'],
  ['a float', '1.5'],
  ['a number too large for a double', '1e400'],
  ['true', 'true'],
  ['null', 'null'],
  ['an empty array', '[]'],
  ['an array of strings', '["a","b"]'],
  ['an empty object', '{}'],
  ['a query operator object', '{"$gt":"","$ne":null}'],
  ['a nested __proto__ key', '{"__proto__":{"polluted":true}}'],
  ['a nested constructor.prototype', '{"constructor":{"prototype":{"polluted":true}}}'],
  ['an array nested 5,000 deep', deepArray(5_000)],
  ['an object nested 2,000 deep', deepObject(2_000)],
  ['an empty string', '""'],
  ['only whitespace', '"   \\t\\n"'],
  ['a 10 kB string', JSON.stringify('x'.repeat(10_000))],
  ['a 100 kB string', JSON.stringify('x'.repeat(100_000))],
  ['a lone high surrogate', '"\\ud800"'],
  ['a lone low surrogate', '"a\\udfffb"'],
  ['a NUL byte', '"a\\u0000b@example.com"'],
  ['control characters', '"\\u0001\\u001b[31m\\u007f"'],
  ['a CRLF header injection', '"x\\r\\nSet-Cookie: pwned=1"'],
  ['a right-to-left override and zero-width space', '"\\u202egnp.exe\\u200b"'],
  ['emoji and combining marks', '"😀 é ﷽"'],
  ['a numeric string', '"123"'],
  ['SQL', '"\' OR 1=1 --"'],
];

/** A value each field's validators accept, so that only the one hostile part of a request is wrong. */
export function validValue(rules: FieldRule[], serial: number): unknown {
  const rule = (name: string) => rules.find((candidate) => candidate.name === name);
  if (rule('isEmail')) return `fuzz-${serial}@example.com`;
  if (rule('isBoolean')) return false;
  const allowed = rule('isIn')?.constraints[0];
  if (Array.isArray(allowed)) return allowed[0];
  if (rule('isUuid')) return randomUUID();
  if (rule('isInt') || rule('isNumber')) return Number(rule('min')?.constraints[0] ?? 1);
  const minLength = Number(rule('minLength')?.constraints[0] ?? 1);
  return `Fuzz value ${serial} `.padEnd(Math.max(minLength, 16), 'x');
}

export function validBody(fields: Record<string, FieldRule[]>, serial: number): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([name, rules]) => [name, validValue(rules, serial)]));
}

/** `base` with one more member written as raw JSON text (a literal can't carry an own `__proto__`). */
export function withMember(base: Record<string, unknown>, key: string, json: string): string {
  const rest = JSON.stringify(base).slice(1, -1);
  return `{${rest}${rest ? ',' : ''}${JSON.stringify(key)}:${json}}`;
}

/** Whole bodies sent to every route as application/json, whatever its DTO. */
export function hostileBodies(base: Record<string, unknown>): [string, string | Buffer][] {
  const valid = JSON.stringify(base);
  return [
    ['malformed JSON: cut short', '{"email": '],
    ['malformed JSON: single quotes', "{'a': 1}"],
    ['malformed JSON: trailing comma', '{"a": 1,}'],
    ['malformed JSON: two documents', `${valid}${valid}`],
    ['malformed JSON: NaN', '{"a": NaN}'],
    ['malformed JSON: a raw NUL', '{"a": "\u0000"}'],
    ['an empty body', ''],
    ['a byte-order mark before the JSON', `\ufeff${valid}`],
    ['invalid UTF-8 bytes', Buffer.concat([Buffer.from('{"email":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')])],
    ['top-level null', 'null'],
    ['a top-level number', '0'],
    ['a top-level string', '"string"'],
    ['top-level true', 'true'],
    ['a top-level array', '[1, 2]'],
    ['arrays nested 5,000 deep', deepArray(5_000)],
    ['objects nested 2,500 deep', deepObject(2_500)],
    ['arrays and objects nested 1,500 deep', deepMixed(1_500)],
    ['a __proto__ member', withMember(base, '__proto__', '{"role":"admin","polluted":true}')],
    ['a constructor member', withMember(base, 'constructor', '{"prototype":{"polluted":true}}')],
    ['a prototype member', withMember(base, 'prototype', '{"polluted":true}')],
    ['an unknown member (mass assignment)', withMember(base, 'role', '"admin"')],
    ['1,500 unknown members', `{${Array.from({ length: 1_500 }, (_, i) => `"k${i}":0`).join(',')}}`],
    ['a 6 MB body', SIX_MB_JSON],
  ];
}
