import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const strongSecret = 'x'.repeat(32);
const productionMail = {
  SMTP_URL: 'smtps://mailer:secret@smtp.example.com:465',
  MAIL_FROM: 'Example <security@example.com>',
  APP_URL: 'https://app.example.com/',
  MFA_ENCRYPTION_KEY: 'm'.repeat(32),
};
const tempDir = () => mkdtempSync(join(tmpdir(), 'sessionkeep-config-'));

describe('loadConfig [C-CONFIG]', () => {
  it('applies the defaults from SPEC', () => {
    const config = loadConfig({ SESSION_SECRET: strongSecret });
    expect(config).toMatchObject({
      production: false,
      port: 3000,
      session: { idleTimeout: 1800, absoluteTimeout: 43_200, touchInterval: 60, maxPerUser: 10, suspiciousPolicy: 'strict' },
      stepUpWindow: 600,
      rememberMe: { ttl: 2_592_000, grace: 30 },
      loginThrottle: { maxFailuresPerAccount: 5, maxFailuresPerIp: 20, window: 900 },
      trustProxy: false,
    });
  });

  it('refuses to start production without a session secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', TRUST_PROXY: '1' })).toThrow(/SESSION_SECRET: required in production/);
  });

  it('refuses a short session secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', TRUST_PROXY: '1', SESSION_SECRET: 'short' })).toThrow(ConfigError);
  });

  it('refuses production without a trusted TLS proxy, since Secure cookies are never switched off', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: strongSecret })).toThrow(/TRUST_PROXY: required in production/);
  });

  it('accepts a sound production configuration', () => {
    const config = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: strongSecret, TRUST_PROXY: 'loopback', ...productionMail });
    expect(config.production).toBe(true);
    expect(config.trustProxy).toBe('loopback');
    expect(config.mail).toEqual({ smtpUrl: productionMail.SMTP_URL, from: productionMail.MAIL_FROM, appUrl: 'https://app.example.com' });
  });

  it('refuses production without SMTP_URL, MAIL_FROM and APP_URL, naming each [E-MAIL]', () => {
    const attempt = () => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: strongSecret, TRUST_PROXY: '1' });
    expect(attempt).toThrow(/SMTP_URL: required in production/);
    expect(attempt).toThrow(/MAIL_FROM: required in production/);
    expect(attempt).toThrow(/APP_URL: required in production/);
  });

  it('refuses production without a strong MFA_ENCRYPTION_KEY, and asks admins for a second factor there by default [M-TOTP, M-CHANGE]', () => {
    const production = { NODE_ENV: 'production', SESSION_SECRET: strongSecret, TRUST_PROXY: '1', ...productionMail };
    expect(() => loadConfig({ ...production, MFA_ENCRYPTION_KEY: undefined })).toThrow(/MFA_ENCRYPTION_KEY: required in production/);
    expect(() => loadConfig({ ...production, MFA_ENCRYPTION_KEY: 'short' })).toThrow(/MFA_ENCRYPTION_KEY/);
    expect(loadConfig(production).mfa.requireForAdmins).toBe(true);
    expect(loadConfig({ ...production, REQUIRE_MFA_FOR_ADMINS: 'false' }).mfa.requireForAdmins).toBe(false);
    expect(loadConfig({ SESSION_SECRET: strongSecret }, tempDir()).mfa.requireForAdmins).toBe(false);
  });

  it('refuses an emailed-link origin that is not https in production, or that carries a path', () => {
    const production = { NODE_ENV: 'production', SESSION_SECRET: strongSecret, TRUST_PROXY: '1', ...productionMail };
    expect(() => loadConfig({ ...production, APP_URL: 'http://app.example.com' })).toThrow(/APP_URL: must be https/);
    expect(() => loadConfig({ SESSION_SECRET: strongSecret, APP_URL: 'http://localhost:3000/app?x=1' })).toThrow(/APP_URL/);
    expect(() => loadConfig({ SESSION_SECRET: strongSecret, SMTP_URL: 'http://mail.example.com' })).toThrow(/SMTP_URL/);
  });

  it('in development leaves SMTP_URL unset (the embedded mail server) and points links at this server', () => {
    const config = loadConfig({ SESSION_SECRET: strongSecret, PORT: '3100' });
    expect(config.mail).toEqual({ smtpUrl: undefined, from: 'Sessionkeep <no-reply@localhost>', appUrl: 'http://localhost:3100' });
    expect(config.passwordResetTtl).toBe(1800);
    expect(config.geoipDatabase).toBeUndefined();
  });

  it('names every bad value in one clear message', () => {
    const attempt = () => loadConfig({ SESSION_SECRET: strongSecret, PORT: 'eighty', SESSION_IDLE_TIMEOUT: '-5', SUSPICIOUS_SESSION_POLICY: 'lax' });
    expect(attempt).toThrow(/PORT/);
    expect(attempt).toThrow(/SESSION_IDLE_TIMEOUT/);
    expect(attempt).toThrow(/SUSPICIOUS_SESSION_POLICY/);
  });

  it('refuses a spoofable TRUST_PROXY value such as "true"', () => {
    expect(() => loadConfig({ SESSION_SECRET: strongSecret, TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
  });

  it('generates one development secret per data folder and keeps it private', () => {
    const dir = tempDir();
    const first = loadConfig({ DATA_DIR: dir });
    const second = loadConfig({ DATA_DIR: dir });
    expect(first.sessionSecret).toHaveLength(64);
    expect(second.sessionSecret).toBe(first.sessionSecret);
    expect(readFileSync(join(dir, 'session-secret'), 'utf8')).toBe(first.sessionSecret);
    expect(statSync(join(dir, 'session-secret')).mode & 0o077).toBe(0);
  });

  it('lower-cases ADMIN_EMAILS', () => {
    expect(loadConfig({ SESSION_SECRET: strongSecret, ADMIN_EMAILS: ' Ada@Example.com, bob@example.com ' }).adminEmails).toEqual([
      'ada@example.com',
      'bob@example.com',
    ]);
  });
});
