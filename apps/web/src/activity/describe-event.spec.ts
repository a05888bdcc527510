import { describe, expect, it } from 'vitest';
import type { Schemas } from '../api/client';
import { describeEvent, eventTone } from './describe-event';

// A string, not the document's enum: an API newer than this page may send a type it does not know yet.
const event = (type: string, extra: Partial<Schemas['SecurityEvent']> = {}): Schemas['SecurityEvent'] => ({
  id: 'e1',
  type: type as Schemas['SecurityEventType'],
  at: '2026-03-10T12:00:00Z',
  ip: '198.51.100.7',
  location: null,
  browser: 'Firefox',
  os: 'Linux',
  ...extra,
});

describe('describeEvent', () => {
  it('says where a sign-in came from', () => {
    expect(describeEvent(event('sign_in'))).toBe('Signed in from Firefox on Linux, 198.51.100.7');
    expect(describeEvent(event('sign_in_failed', { browser: null, os: null }))).toBe(
      'Failed sign-in attempt from 198.51.100.7',
    );
  });

  it('names a local sign-in in words and IPv4-mapped addresses as plain IPv4', () => {
    expect(describeEvent(event('sign_in', { ip: '::ffff:127.0.0.1' }))).toBe('Signed in from Firefox on Linux, this computer (local)');
    expect(describeEvent(event('sign_in', { ip: '::ffff:203.0.113.9' }))).toBe('Signed in from Firefox on Linux, 203.0.113.9');
  });

  it('uses plain language for known types', () => {
    expect(describeEvent(event('step_up'))).toBe('Confirmed password');
    expect(describeEvent(event('remember_me_used'))).toBe('Signed in automatically (remembered device)');
  });

  it('explains a guessing attack and a role change', () => {
    expect(describeEvent(event('sign_in_throttled'))).toBe('Sign-in limit reached: someone tried many wrong passwords');
    expect(describeEvent(event('role_changed'))).toBe('Your role was changed');
  });

  it('marks a guessing attack as worth a second look, and a role change not', () => {
    expect(eventTone('sign_in_throttled')).toBe('warning');
    expect(eventTone('role_changed')).toBe('normal');
  });

  it('shows unknown types generically', () => {
    expect(describeEvent(event('some_new_type' as Schemas['SecurityEventType']))).toBe('Security event: some new type');
    expect(describeEvent(event('mfa_enabled'))).toBe('Turned on the authenticator app');
  });
});
