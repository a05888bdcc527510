import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime and stime (100 on Linux almost everywhere). */
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/**
 * CPU time (user + system, µs) a process has used so far, from /proc/<pid>/stat. Unlike requests/s,
 * the CPU a server spends per request hardly depends on how much of the machine other work takes:
 * on a shared, saturated machine it is the fair way to compare two servers.
 */
export function processCpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces and parentheses): state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1_000_000) / TICKS_PER_SECOND;
}

/**
 * The CPU a server uses while no load is sent (timers, the mail queue's polling, heartbeats), in
 * µs per second of wall time. Subtracted from a run's CPU, so that a server answering few requests
 * is not charged its background work per request.
 */
export async function idleCpuMicrosPerSecond(pid: number, seconds = 5): Promise<number> {
  const before = processCpuMicros(pid);
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  return ((processCpuMicros(pid) - before) * 1000) / (performance.now() - started);
}

/** A run's CPU per request, less the server's background CPU over the run. */
export async function cpuPerRequest<T extends { total: number }>(pid: number, idleMicrosPerSecond: number, run: () => Promise<T>): Promise<T & { cpuMicrosPerRequest: number }> {
  const before = processCpuMicros(pid);
  const started = performance.now();
  const result = await run();
  const busy = processCpuMicros(pid) - before - (idleMicrosPerSecond * (performance.now() - started)) / 1000;
  return { ...result, cpuMicrosPerRequest: busy / result.total };
}
