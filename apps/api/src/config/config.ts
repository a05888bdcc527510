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
    sessionSecret: env.SESSION_SECRET ?? developmentSecret(dataDir),
    session: {
      idleTimeout: env.SESSION_IDLE_TIMEOUT,
      absoluteTimeout: env.SESSION_ABSOLUTE_TIMEOUT,
      // [L-TOUCH] last-active is written at most once a minute, and often enough that
      // a short idle timeout still slides while the user is active.
      touchInterval: Math.max(1, Math.min(60, Math.floor(env.SESSION_IDLE_TIMEOUT / 2))),
      maxPerUser: env.MAX_SESSIONS_PER_USER,
      suspiciousPolicy: env.SUSPICIOUS_SESSION_POLICY,
    },
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
    logLevel: env.LOG_LEVEL,
  };
}

/** Development only: one random secret per data folder, kept across restarts so sessions survive them. */
function developmentSecret(dataDir: string): string {
  const file = join(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}
