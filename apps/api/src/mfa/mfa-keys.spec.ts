import { describe, expect, it } from 'vitest';
import { MfaKeys, newRecoveryCode } from './mfa-keys.js';

describe('MfaKeys [M-TOTP, M-RECOVERY]', () => {
  const keys = new MfaKeys('k'.repeat(32));

  it('seals a secret that opens only for the same user under the same key', () => {
    const sealed = keys.seal('JBSWY3DPEHPK3PXP', 'user-a');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(keys.open(sealed, 'user-a')).toBe('JBSWY3DPEHPK3PXP');
    expect(() => keys.open(sealed, 'user-b')).toThrow();
    expect(() => new MfaKeys('o'.repeat(32)).open(sealed, 'user-a')).toThrow();
  });

  it('hashes recovery codes with a key, whatever their case and dashes', () => {
    const code = newRecoveryCode();
    expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    expect(keys.hashRecoveryCode(code.toUpperCase().replace('-', ' '))).toBe(keys.hashRecoveryCode(code));
    expect(new MfaKeys('o'.repeat(32)).hashRecoveryCode(code)).not.toBe(keys.hashRecoveryCode(code));
  });
});
