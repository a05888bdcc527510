import { describe, expect, it } from 'vitest';
import { findHostileInput, MAX_INPUT_DEPTH } from './hostile-input.js';

const nested = (depth: number): unknown => JSON.parse('['.repeat(depth) + ']'.repeat(depth));

describe('findHostileInput [I-BAD]', () => {
  it('lets ordinary DTO bodies through', () => {
    expect(findHostileInput({ email: 'a@example.com', password: 'pässwörd 😀', rememberMe: true, tags: [{ a: 1 }] })).toBeUndefined();
    expect(findHostileInput(nested(MAX_INPUT_DEPTH))).toBeUndefined();
    expect(findHostileInput(undefined)).toBeUndefined();
  });

  it('stops nesting past the bound, without recursing itself', () => {
    expect(findHostileInput(nested(MAX_INPUT_DEPTH + 1))?.message).toMatch(/nests deeper than 32 levels/);
    expect(findHostileInput(nested(100_000))).toBeDefined();
    expect(findHostileInput(JSON.parse('{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000)))?.field).toMatch(/^a\.a\.a/);
  });

  it('names prototype keys instead of letting them through or dropping them', () => {
    expect(findHostileInput(JSON.parse('{"email":"a","__proto__":{"role":"admin"}}'))).toEqual({
      field: '__proto__',
      message: '__proto__ is not an allowed property name',
    });
    expect(findHostileInput({ a: { constructor: { prototype: {} } } })?.field).toBe('a.constructor');
    expect(findHostileInput([{ prototype: 1 }])?.field).toBe('[0].prototype');
  });

  it('refuses NUL and lone surrogates in values and keys', () => {
    expect(findHostileInput({ name: 'a\u0000b' })?.field).toBe('name');
    expect(findHostileInput({ name: '\ud800' })?.message).toMatch(/invalid Unicode/);
    expect(findHostileInput({ name: 'x\udc00' })).toBeDefined();
    expect(findHostileInput({ 'k\u0000': 1 })?.field).toBe('k?');
    expect(findHostileInput('%\u0000')).toBeDefined();
  });

  it('does not echo a long key back in full', () => {
    expect(findHostileInput({ ['k'.repeat(10_000)]: '\u0000' })?.field.length).toBeLessThan(110);
  });
});
