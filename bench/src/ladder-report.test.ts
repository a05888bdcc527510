import { describe, expect, it } from 'vitest';
import { summarizeLadder } from './ladder-report.js';

const run = (requestsPerSecond: number, cpuMicrosPerRequest: number) => ({ requestsPerSecond, cpuMicrosPerRequest });

/** The ladder's conclusions rest on this arithmetic: each rung against the ceiling of its own round. */
describe('summarizeLadder', () => {
  const runs = new Map([
    ['ceiling', [run(1000, 400), run(500, 800), run(900, 420)]],
    ['session', [run(800, 500), run(300, 1000), run(600, 600)]],
    ['app', [run(400, 1000), run(200, 1600), run(300, 1200)]],
  ]);
  const [ceiling, session, app] = summarizeLadder(runs);

  it('takes the median of each rung over the rounds', () => {
    expect(session!.requestsPerSecond).toBe(600);
    expect(session!.cpuMicrosPerRequest).toBe(600);
  });

  it('pairs each round with the ceiling of the same round: req/s rung/ceiling, CPU ceiling/rung', () => {
    // req/s 0.8, 0.6, 0.667; CPU 0.8, 0.8, 0.7
    expect(session!.requestsOverCeiling).toBeCloseTo(2 / 3);
    expect(session!.cpuCeilingOverRung).toBeCloseTo(0.8);
    expect(ceiling!.requestsOverCeiling).toBe(1);
    expect(ceiling!.cpuCeilingOverRung).toBe(1);
  });

  it('gives each rung its CPU increment over the rung before, paired per round, and its share of the ceiling-to-app gap', () => {
    // session − ceiling: 100, 200, 180; app − session: 500, 600, 600; gap app − ceiling: 600, 800, 780
    expect(ceiling!.cpuIncrementMicros).toBeUndefined();
    expect(session!.cpuIncrementMicros).toBe(180);
    expect(app!.cpuIncrementMicros).toBe(600);
    expect(session!.shareOfGap).toBeCloseTo(180 / 780);
    expect(app!.shareOfGap).toBeCloseTo(600 / 780);
    // req/s over the ceiling, step by step: session 0.8−1, 0.6−1, 0.667−1; app 0.4−0.8, 0.4−0.6, 0.333−0.667
    expect(session!.requestsRatioIncrement).toBeCloseTo(-1 / 3);
    expect(app!.requestsRatioIncrement).toBeCloseTo(-1 / 3);
  });
});
