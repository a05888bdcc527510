import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  /** Self time by where the code lives: a package, node internals, the app, GC, idle. */
  groups: { name: string; share: number }[];
  /** Self time by function. */
  functions: { name: string; share: number }[];
}

/** Where a frame's code lives: `(idle)`, `(garbage collector)`, a package name, `node:…` internals or the app. */
function groupOf(frame: ProfileNode['callFrame']): string {
  const { functionName, url } = frame;
  if (!url) {
    if (functionName.startsWith('(')) return functionName;
    return `native ${functionName || '(anonymous)'}`;
  }
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return 'node internals';
  if (url.includes('/dist/')) return 'app';
  return url;
}

/** Self-time shares of a `.cpuprofile` (from `node --cpu-prof`). */
export function summarizeProfile(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const groupTime = new Map<string, number>();
  const functionTime = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id);
    if (!node) return;
    total += delta;
    const group = groupOf(node.callFrame);
    groupTime.set(group, (groupTime.get(group) ?? 0) + delta);
    const where = node.callFrame.url ? `${node.callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/')}:${node.callFrame.lineNumber + 1}` : '';
    const fn = `${node.callFrame.functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
    functionTime.set(fn, (functionTime.get(fn) ?? 0) + delta);
  });
  const ranked = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, t]) => ({ name, share: t / total }));
  return { totalMs: total / 1000, groups: ranked(groupTime), functions: ranked(functionTime) };
}

export function formatProfile(summary: ProfileSummary): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`.padStart(7);
  return [
    `CPU profile, ${(summary.totalMs / 1000).toFixed(1)} s sampled. Self time by group:`,
    ...summary.groups.map((g) => `  ${pct(g.share)}  ${g.name}`),
    'Top functions (self time):',
    ...summary.functions.map((f) => `  ${pct(f.share)}  ${f.name}`),
  ].join('\n');
}

// `node bench/dist/profile-summary.js FILE.cpuprofile`
if (process.argv[1]?.endsWith('profile-summary.js') && process.argv[2]) {
  console.log(formatProfile(summarizeProfile(process.argv[2], Number(process.argv[3] ?? 20))));
}
