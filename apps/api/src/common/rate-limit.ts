import { RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from './errors/error-codes.js';

/**
 * Awaits a rate-limiter-flexible consume(): a spent counter becomes 429 TOO_MANY_REQUESTS (after
 * `onRefusal` sees it); a store failure stays an error (503 when the database is down).
 */
export async function refuseWhenSpent(consumption: Promise<RateLimiterRes>, onRefusal?: (refusal: RateLimiterRes) => void): Promise<void> {
  try {
    await consumption;
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    onRefusal?.(error);
    throw new AppError('TOO_MANY_REQUESTS');
  }
}
