import type { AbRun } from './ab.js';
import { median } from './stats.js';

export interface LadderRung {
  name: string;
  /** Medians over the rounds. */
  requestsPerSecond: number;
  cpuMicrosPerRequest: number;
  /** Median over the rounds of this rung's req/s over the ceiling's in the same round. */
  requestsOverCeiling: number;
  /** Median over the rounds of the ceiling's CPU µs/request over this rung's in the same round: the fraction of the ceiling by CPU. */
  cpuCeilingOverRung: number;
  /** Median over the rounds of this rung's CPU µs/request less the rung before's in the same round (none for the first). */
  cpuIncrementMicros?: number;
  /** The same for req/s over the ceiling (negative: this rung lost that much of the ceiling). */
  requestsRatioIncrement?: number;
  /** cpuIncrementMicros over the median per round of (last rung's CPU − first rung's CPU): this rung's share of the whole gap. */
  shareOfGap?: number;
}

/**
 * The ladder's rungs in order, the first being the ceiling and the last the app, each paired with
 * the others of the same round (the machine's load swings between rounds, not within a pair) and
 * summarized by the median over the rounds, the figure least moved by one round of a load spike.
 */
export function summarizeLadder(runs: ReadonlyMap<string, readonly AbRun[]>): LadderRung[] {
  const rungs = [...runs];
  const [, ceiling] = rungs[0]!;
  const [, last] = rungs[rungs.length - 1]!;
  const gap = median(last.map((run, i) => run.cpuMicrosPerRequest - ceiling[i]!.cpuMicrosPerRequest));
  const perRound = (rung: readonly AbRun[], f: (run: AbRun, i: number) => number) => median(rung.map(f));
  return rungs.map(([name, rung], k) => {
    const requestsOverCeiling = (run: AbRun, i: number) => run.requestsPerSecond / ceiling[i]!.requestsPerSecond;
    const summary: LadderRung = {
      name,
      requestsPerSecond: median(rung.map((run) => run.requestsPerSecond)),
      cpuMicrosPerRequest: median(rung.map((run) => run.cpuMicrosPerRequest)),
      requestsOverCeiling: perRound(rung, requestsOverCeiling),
      cpuCeilingOverRung: perRound(rung, (run, i) => ceiling[i]!.cpuMicrosPerRequest / run.cpuMicrosPerRequest),
    };
    if (k === 0) return summary;
    const [, before] = rungs[k - 1]!;
    const cpuIncrementMicros = perRound(rung, (run, i) => run.cpuMicrosPerRequest - before[i]!.cpuMicrosPerRequest);
    return {
      ...summary,
      cpuIncrementMicros,
      requestsRatioIncrement: perRound(rung, (run, i) => requestsOverCeiling(run, i) - requestsOverCeiling(before[i]!, i)),
      shareOfGap: cpuIncrementMicros / gap,
    };
  });
}

const thousands = (value: number) => Math.round(value).toLocaleString('en-US');
const signed = (value: number, digits: number) => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(digits)}`;

/** The ladder as a markdown table, then each round's CPU µs/request per rung. */
export function ladderTable(runs: ReadonlyMap<string, readonly AbRun[]>): string {
  const rungs = summarizeLadder(runs);
  const names = [...runs.keys()];
  const rounds = runs.get(names[0]!)!.length;
  return [
    '| rung | req/s | CPU µs/req | req/s ÷ ceiling | CPU ceiling ÷ rung | + CPU µs/req over the rung before | Δ req/s ÷ ceiling | share of the ceiling→app CPU gap |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rungs.map(
      (r) =>
        `| ${r.name} | ${thousands(r.requestsPerSecond)} | ${thousands(r.cpuMicrosPerRequest)} | ${r.requestsOverCeiling.toFixed(2)} | ${r.cpuCeilingOverRung.toFixed(2)} | ` +
        `${r.cpuIncrementMicros === undefined ? '' : signed(r.cpuIncrementMicros, 0)} | ${r.requestsRatioIncrement === undefined ? '' : signed(r.requestsRatioIncrement, 2)} | ` +
        `${r.shareOfGap === undefined ? '' : `${signed(r.shareOfGap * 100, 0)} %`} |`,
    ),
    '',
    `Medians over ${rounds} rounds; every ratio and increment is paired within a round, then the median taken.`,
    '',
    `| round | ${names.join(' | ')} |`,
    `| --- |${names.map(() => ' --- |').join('')}`,
    ...Array.from({ length: rounds }, (_, i) => `| ${i + 1} | ${names.map((n) => `${thousands(runs.get(n)![i]!.cpuMicrosPerRequest)} µs`).join(' | ')} |`),
  ].join('\n');
}
