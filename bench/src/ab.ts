import { CONNECTIONS } from './throughput.js';
import { load, type LoadTarget } from './load.js';
import { cpuPerRequest, idleCpuMicrosPerSecond } from './process-cpu.js';
import { progress } from './progress.js';
import type { RunningServer } from './servers.js';
import { mean, median } from './stats.js';

export interface AbTarget {
  name: string;
  server: RunningServer;
  target: LoadTarget;
}

export interface AbRun {
  requestsPerSecond: number;
  cpuMicrosPerRequest: number;
}

/**
 * Servers loaded in turn, round after round, in the same run, so the machine's load swings hit all
 * alike: each warmed up first, each one's background CPU measured with no load and subtracted. The
 * order rotates every round, so over a multiple of `targets.length` rounds each runs in each
 * position equally often. Returns each target's runs by name, one per round.
 */
export async function measureRotating(targets: AbTarget[], rounds: number, seconds: number, label = 'ab'): Promise<Map<string, AbRun[]>> {
  for (const { target } of targets) await load(target, CONNECTIONS, 3);
  const idle = new Map<string, number>();
  for (const { name, server } of targets) idle.set(name, await idleCpuMicrosPerSecond(server.pid));
  progress(`${label}: background CPU with no load, µs/s: ${[...idle].map(([name, us]) => `${name} ${us.toFixed(0)}`).join(', ')}`);
  const runs = new Map<string, AbRun[]>(targets.map((t) => [t.name, []]));
  for (let round = 0; round < rounds; round++) {
    const order = [...targets.slice(round % targets.length), ...targets.slice(0, round % targets.length)];
    for (const { name, server, target } of order) {
      const result = await cpuPerRequest(server.pid, idle.get(name)!, () => load(target, CONNECTIONS, seconds));
      const run = { requestsPerSecond: result.requestsPerSecond, cpuMicrosPerRequest: result.cpuMicrosPerRequest };
      runs.get(name)!.push(run);
      progress(`${label} round ${round + 1}/${rounds}: ${name} ${run.requestsPerSecond.toFixed(0)} req/s, ${run.cpuMicrosPerRequest.toFixed(0)} CPU µs/request`);
    }
  }
  return runs;
}

/**
 * One change measured on its own: two builds of the app (and the ceiling, as a yardstick) loaded
 * in turn (see measureRotating). With three targets, over a multiple of three rounds each runs in
 * each position (first, after the ceiling, after the other build) equally often.
 */
export async function measureAb(targets: AbTarget[], rounds: number, seconds: number): Promise<string> {
  const runs = await measureRotating(targets, rounds, seconds);
  const names = targets.map((t) => t.name);
  const cell = (r: AbRun) => `${r.requestsPerSecond.toFixed(0)} req/s, ${r.cpuMicrosPerRequest.toFixed(0)} µs`;
  const rows = Array.from({ length: rounds }, (_, i) => `| ${i + 1} | ${names.map((n) => cell(runs.get(n)![i]!)).join(' | ')} |`);
  const means = names.map((n) => ({
    requestsPerSecond: mean(runs.get(n)!.map((r) => r.requestsPerSecond)),
    cpuMicrosPerRequest: mean(runs.get(n)!.map((r) => r.cpuMicrosPerRequest)),
  }));
  // The two builds ran next to each other in each round: their ratio there is the paired estimate,
  // and the median of the rounds' ratios is the least moved by one round of a load spike.
  const [a, b] = [runs.get(names[1]!)!, runs.get(names[2]!)!];
  const cpuRatios = a.map((run, i) => b[i]!.cpuMicrosPerRequest / run.cpuMicrosPerRequest);
  const rpsRatios = a.map((run, i) => b[i]!.requestsPerSecond / run.requestsPerSecond);
  const list = (ratios: number[]) => ratios.map((r) => r.toFixed(2)).join(', ');
  return [
    `| round | ${names.join(' | ')} | CPU B/A | req/s B/A |`,
    `| --- |${names.map(() => ' --- |').join('')} --- | --- |`,
    ...rows.map((row, i) => `${row} ${cpuRatios[i]!.toFixed(2)} | ${rpsRatios[i]!.toFixed(2)} |`),
    `| mean | ${means.map(cell).join(' | ')} | median ${median(cpuRatios).toFixed(2)} | median ${median(rpsRatios).toFixed(2)} |`,
    '',
    `CPU µs/request B/A per round: ${list(cpuRatios)}; req/s B/A per round: ${list(rpsRatios)}`,
  ].join('\n');
}
