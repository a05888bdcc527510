import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const count = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' }).optional(),
  SESSION_SECRET: z.string().optional(),
  SESSION_IDLE_TIMEOUT: seconds(1800),
  SESSION_ABSOLUTE_TIMEOUT: seconds(43_200),
  STEP_UP_WINDOW: seconds(600),
  REMEMBER_ME_TTL: seconds(2_592_000),
  REMEMBER_ME_GRACE: seconds(30),
  REMEMBER_ME_MAX_LIFETIME: seconds(7_776_000),
  MAX_SESSIONS_PER_USER: count(10),
  SUSPICIOUS_SESSION_POLICY: z.enum(['off', 'log', 'strict']).default('strict'),
  // [D-LIVE] How often each open stream re-checks its session; a lost notification costs at most this.
  LIVE_HEARTBEAT: seconds(25),
  LIVE_STREAMS_PER_USER: count(20),
  LIVE_STREAMS_PER_INSTANCE: count(5000),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: count(5),
  LOGIN_MAX_FAILURES_PER_IP: count(20),
  LOGIN_FAILURE_WINDOW: seconds(900),
  // One IPv6 user holds a whole /64: limits count the prefix, not the address [A-BRUTE].
  THROTTLE_IPV6_PREFIX: z.coerce.number().int().min(32).max(128).default(64),
  SIGN_UPS_PER_IP: count(10),
  SIGN_UP_WINDOW: seconds(3600),
  ANONYMOUS_REQUESTS_PER_IP: count(300),
  TRUST_PROXY: z
    .string()
    .regex(/^(loopback|\d+)$/, 'must be "loopback" or a hop count such as 1')
    .optional(),
  ADMIN_EMAILS: z.string().default(''),
  LOCATION_HEADER: z.string().regex(/^[a-z0-9-]+$/i).optional(),
  // An mmdb file (MaxMind or DB-IP layout) for approximate locations; unset: the packaged DB-IP Lite [D-LOCATION].
  GEOIP_DATABASE: z.string().min(1).optional(),
  // Unset in development: the embedded mail server; required in production [E-MAIL].
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
  MAIL_FROM: z.string().min(3).optional(),
  APP_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  PASSWORD_RESET_TTL: seconds(1800),
  PASSWORD_RESET_REQUESTS_PER_ADDRESS: count(3),
  PASSWORD_RESET_REQUESTS_PER_IP: count(10),
  // Encrypts authenticator-app secrets at rest [M-TOTP]; generated per data folder in development.
  MFA_ENCRYPTION_KEY: z.string().optional(),
  REQUIRE_MFA_FOR_ADMINS: z.enum(['true', 'false']).optional(),
  // OWASP's argon2id floor is m=19 MiB, t=2, p=1; stronger settings are welcome, weaker are refused.
  ARGON2_MEMORY_KIB: z.coerce.number().int().min(19_456, 'must be at least 19456 (OWASP minimum)').default(19_456),
  ARGON2_ITERATIONS: z.coerce.number().int().min(2, 'must be at least 2 (OWASP minimum)').default(2),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().default('.data'),
});

export type AppConfig = ReturnType<typeof buildConfig>;
export const APP_CONFIG = Symbol('AppConfig');

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the environment once, at boot [C-CONFIG]. Throws a ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()) {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return buildConfig(parsed.data, cwd);
}

function buildConfig(env: z.infer<typeof envSchema>, cwd: string) {
  const production = env.NODE_ENV === 'production';
  const dataDir = resolve(cwd, env.DATA_DIR);
  const problems: string[] = [];
  if (production && (!env.SESSION_SECRET || env.SESSION_SECRET.length < 32)) {
    problems.push('  SESSION_SECRET: required in production, at least 32 characters (try `openssl rand -base64 48`)');
  } else if (env.SESSION_SECRET !== undefined && env.SESSION_SECRET.length < 32) {
    problems.push('  SESSION_SECRET: must be at least 32 characters');
  }
  // Secure cookies are never switched off, and Node serves plain HTTP: in production the
  // cookies can only be set behind a TLS proxy whose X-Forwarded-Proto we trust.
  if (production && !env.TRUST_PROXY) {
    problems.push('  TRUST_PROXY: required in production (the TLS-terminating proxy, e.g. "loopback" or 1)');
  }
  problems.push(...mailProblems(env, production));
  if (production && (!env.MFA_ENCRYPTION_KEY || env.MFA_ENCRYPTION_KEY.length < 32)) {
    problems.push('  MFA_ENCRYPTION_KEY: required in production, at least 32 characters (try `openssl rand -base64 48`)');
  } else if (env.MFA_ENCRYPTION_KEY !== undefined && env.MFA_ENCRYPTION_KEY.length < 32) {
    problems.push('  MFA_ENCRYPTION_KEY: must be at least 32 characters');
  }
  if (env.REMEMBER_ME_GRACE >= env.REMEMBER_ME_TTL) problems.push('  REMEMBER_ME_GRACE: must be shorter than REMEMBER_ME_TTL');
  if (env.REMEMBER_ME_MAX_LIFETIME < env.REMEMBER_ME_TTL) problems.push('  REMEMBER_ME_MAX_LIFETIME: must not be shorter than REMEMBER_ME_TTL');
  if (env.SESSION_IDLE_TIMEOUT > env.SESSION_ABSOLUTE_TIMEOUT) {
    problems.push('  SESSION_IDLE_TIMEOUT: must not exceed SESSION_ABSOLUTE_TIMEOUT');
  }
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);

  return {
    production,
    nodeEnv: env.NODE_ENV,
    port: env.PORT,
    databaseUrl: env.DATABASE_URL,
    dataDir,
    sessionSecret: env.SESSION_SECRET ?? developmentSecret(dataDir, 'session-secret'),
    mfa: {
      encryptionKey: env.MFA_ENCRYPTION_KEY ?? developmentSecret(dataDir, 'mfa-encryption-key'),
      requireForAdmins: (env.REQUIRE_MFA_FOR_ADMINS ?? String(production)) === 'true',
    },
    session: {
      idleTimeout: env.SESSION_IDLE_TIMEOUT,
      absoluteTimeout: env.SESSION_ABSOLUTE_TIMEOUT,
      // [L-TOUCH] last-active is written at most once a minute, and often enough that
      // a short idle timeout still slides while the user is active.
      touchInterval: Math.max(1, Math.min(60, Math.floor(env.SESSION_IDLE_TIMEOUT / 2))),
      maxPerUser: env.MAX_SESSIONS_PER_USER,
      suspiciousPolicy: env.SUSPICIOUS_SESSION_POLICY,
    },
    live: { heartbeat: env.LIVE_HEARTBEAT, streamsPerUser: env.LIVE_STREAMS_PER_USER, streamsPerInstance: env.LIVE_STREAMS_PER_INSTANCE },
    stepUpWindow: env.STEP_UP_WINDOW,
    rememberMe: { ttl: env.REMEMBER_ME_TTL, grace: env.REMEMBER_ME_GRACE, maxLifetime: env.REMEMBER_ME_MAX_LIFETIME },
    loginThrottle: {
      maxFailuresPerAccount: env.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxFailuresPerIp: env.LOGIN_MAX_FAILURES_PER_IP,
      window: env.LOGIN_FAILURE_WINDOW,
    },
    anonymousLimits: {
      ipv6Prefix: env.THROTTLE_IPV6_PREFIX,
      signUpsPerIp: env.SIGN_UPS_PER_IP,
      signUpWindow: env.SIGN_UP_WINDOW,
      requestsPerIpPerMinute: env.ANONYMOUS_REQUESTS_PER_IP,
    },
    trustProxy: env.TRUST_PROXY === undefined ? false : /^\d+$/.test(env.TRUST_PROXY) ? Number(env.TRUST_PROXY) : env.TRUST_PROXY,
    adminEmails: env.ADMIN_EMAILS.split(',').map((email) => email.trim().toLowerCase()).filter(Boolean),
    passwordHashing: { memoryCost: env.ARGON2_MEMORY_KIB, timeCost: env.ARGON2_ITERATIONS, parallelism: 1 },
    locationHeader: env.LOCATION_HEADER?.toLowerCase(),
    geoipDatabase: env.GEOIP_DATABASE === undefined ? undefined : resolve(cwd, env.GEOIP_DATABASE),
    mail: {
      smtpUrl: env.SMTP_URL,
      from: env.MAIL_FROM ?? 'Sessionkeep <no-reply@localhost>',
      // Links are built from this origin alone, never from the request's Host header, which an
      // attacker can set to send a victim a reset link to their own server.
      appUrl: new URL(env.APP_URL ?? `http://localhost:${env.PORT}`).origin,
    },
    passwordResetTtl: env.PASSWORD_RESET_TTL,
    // Per hour; each request can send an email, so an address cannot be flooded nor every address probed [E-RESET, A-ANON].
    passwordResetRequests: { perAddress: env.PASSWORD_RESET_REQUESTS_PER_ADDRESS, perIp: env.PASSWORD_RESET_REQUESTS_PER_IP },
    logLevel: env.LOG_LEVEL,
  };
}

/** Production mails real people: it needs a real SMTP server, a sender, and an https origin for links. */
function mailProblems(env: z.infer<typeof envSchema>, production: boolean): string[] {
  const problems: string[] = [];
  if (production) {
    if (!env.SMTP_URL) problems.push('  SMTP_URL: required in production (e.g. smtps://user:password@smtp.example.com:465)');
    if (!env.MAIL_FROM) problems.push('  MAIL_FROM: required in production (e.g. "Example <security@example.com>")');
    if (!env.APP_URL) problems.push('  APP_URL: required in production (the https origin people open, used in emailed links)');
  }
  if (env.APP_URL) {
    const url = new URL(env.APP_URL);
    if (production && url.protocol !== 'https:') problems.push('  APP_URL: must be https in production');
    if (url.pathname !== '/' || url.search || url.hash) problems.push('  APP_URL: must be an origin only, such as https://app.example.com');
  }
  return problems;
}

/** Development only: one random secret per data folder, kept across restarts so sessions survive them. */
function developmentSecret(dataDir: string, name: string): string {
  const file = join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}
