// @ts-check
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The data folder of the test server on `port` in the run `runId` (random per run). A fixed name,
 * so the fixtures find the server's embedded database; under /tmp, because as root the database
 * runs as `postgres`, which must be able to reach it.
 * @param {string} runId
 * @param {number | string} port
 */
export function appDataDir(runId, port) {
  return join(tmpdir(), `sessionkeep-e2e-${runId}-${port}`);
}
