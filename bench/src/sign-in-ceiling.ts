import { availableParallelism } from 'node:os';
import argon2 from 'argon2';
import { progress } from './progress.js';

export const SIGN_IN_CEILING_SECONDS = 8;

export interface SignInCeiling {
  /** argon2id verifications per second at the app's cost, `parallel` at a time, nothing else running. */
  verificationsPerSecond: number;
  parallel: number;
  memoryKiB: number;
  iterations: number;
}

/**
 * The most this machine can sign in per second: one argon2id verification per sign-in, at the
 * app's configured cost (ARGON2_MEMORY_KIB / ARGON2_ITERATIONS, parallelism 1, as config.ts
 * reads them), cores − 1 at a time, which is what PasswordHasher allows. Measured in the bench
 * process, with the servers idle.
 */
export async function measureSignInCeiling(seconds = SIGN_IN_CEILING_SECONDS): Promise<SignInCeiling> {
  const memoryKiB = Number(process.env.ARGON2_MEMORY_KIB ?? 19_456);
  const iterations = Number(process.env.ARGON2_ITERATIONS ?? 2);
  const parallel = Math.max(1, availableParallelism() - 1);
  const password = 'bench-password-ceiling';
  const hash = await argon2.hash(password, { type: argon2.argon2id, memoryCost: memoryKiB, timeCost: iterations, parallelism: 1 });
  progress(`sign-in ceiling: argon2id m=${memoryKiB} KiB, t=${iterations}, p=1, ${parallel} at a time for ${seconds} s`);
  let done = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (performance.now() < deadline) {
        if (!(await argon2.verify(hash, password))) throw new Error('argon2 verify failed in the sign-in ceiling');
        done++;
      }
    }),
  );
  const verificationsPerSecond = done / ((performance.now() - started) / 1000);
  progress(`sign-in ceiling: ${verificationsPerSecond.toFixed(1)} verifications/s`);
  return { verificationsPerSecond, parallel, memoryKiB, iterations };
}
