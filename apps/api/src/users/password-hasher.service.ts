import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Inject, Injectable } from '@nestjs/common';
import argon2 from 'argon2';
import pLimit from 'p-limit';
import { APP_CONFIG, type AppConfig } from '../config/config.js';

/**
 * argon2id with OWASP parameters or stronger. argon2 hashes on libuv's thread pool, never on the
 * event loop; and at most one hash per core but one runs at a time, so a burst of sign-ins cannot
 * take every core from the event loop and the database (on 2 cores, 4 pool threads hashing at once
 * pushed /api/health's p99 from 32 ms to 163 ms).
 */
@Injectable()
export class PasswordHasher {
  private readonly options: argon2.HashOptions & { raw?: false };
  private readonly dummyHash: Promise<string>;
  private readonly oneCoreFree = pLimit(Math.max(1, availableParallelism() - 1));

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.options = { type: argon2.argon2id, ...config.passwordHashing };
    this.dummyHash = this.hash(randomBytes(32).toString('hex'));
  }

  hash(password: string): Promise<string> {
    return this.oneCoreFree(() => argon2.hash(password, { ...this.options, raw: false }));
  }

  verify(hash: string, password: string): Promise<boolean> {
    return this.oneCoreFree(() => argon2.verify(hash, password)).catch(() => false);
  }

  /** An unknown email still costs one verification, so timing does not reveal which emails exist [A-BRUTE]. */
  async verifyNothing(password: string): Promise<false> {
    await this.verify(await this.dummyHash, password);
    return false;
  }

  needsRehash(hash: string): boolean {
    return argon2.needsRehash(hash, this.options);
  }
}
