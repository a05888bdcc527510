import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

const ENV_EXAMPLE = readFileSync(new URL('../../../../.env.example', import.meta.url), 'utf8');
const CONFIG_SOURCE = readFileSync(new URL('./config.ts', import.meta.url), 'utf8');

/** NAME → value of every `# NAME=value` line of .env.example. */
const documented = new Map([...ENV_EXAMPLE.matchAll(/^# ([A-Z][A-Z0-9_]*)=(.*)$/gm)].map(([, name, value]) => [name!, value!]));

/** The variables config.ts validates: the keys of its zod schema, read from the source. */
function validatedSettings(): string[] {
  const schema = CONFIG_SOURCE.slice(CONFIG_SOURCE.indexOf('z.object({'), CONFIG_SOURCE.indexOf('\n});'));
  return [...schema.matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map(([, name]) => name!);
}

/** .env.example is the one list of settings people read; these keep it true to config.ts. */
describe('.env.example', () => {
  let cwd: string | undefined;
  afterEach(() => cwd && rmSync(cwd, { recursive: true, force: true }));

  it('lists every setting the API validates', () => {
    const settings = validatedSettings();
    expect(settings.length).toBeGreaterThan(20);
    expect(settings.filter((name) => !documented.has(name))).toEqual([]);
  });

  it("shows each setting's real default: the values it shows make the same config as none at all", () => {
    cwd = mkdtempSync(join(tmpdir(), 'sessionkeep-env-example-'));
    const settings = validatedSettings();
    const shownDefaults = Object.fromEntries([...documented].filter(([name, value]) => value !== '' && settings.includes(name)));
    expect(Object.keys(shownDefaults).length).toBeGreaterThan(15);

    expect(loadConfig(shownDefaults, cwd)).toEqual(loadConfig({}, cwd));
  });
});
