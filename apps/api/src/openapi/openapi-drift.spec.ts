import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildDocumentWithoutDatabase, OPENAPI_FILE } from './document-app.js';

const REGENERATE = 'apps/api/openapi.json differs from the code: run `npm run openapi --workspace apps/api` and commit the file';

describe('the committed OpenAPI document', () => {
  it('is the one the code builds', async () => {
    const built = await buildDocumentWithoutDatabase();
    const committed = readFileSync(OPENAPI_FILE, 'utf8');
    expect(JSON.parse(committed), REGENERATE).toEqual(JSON.parse(built));
    expect(committed === built, REGENERATE).toBe(true);
  }, 30_000);
});
