type Step = { label: string; run: () => Promise<unknown> | unknown };

const steps: Step[] = [];
const STEP_TIMEOUT_MS = 20_000;

/** Registers something to undo at the end, on failure or on SIGINT; undone last-registered first. */
export function onTeardown(label: string, run: Step['run']): void {
  steps.push({ label, run });
}

/** Runs every registered step once, even if some fail or hang (each gets STEP_TIMEOUT_MS). */
export async function teardown(): Promise<void> {
  for (let step = steps.pop(); step; step = steps.pop()) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer after ${STEP_TIMEOUT_MS / 1000} s`)), STEP_TIMEOUT_MS);
    });
    try {
      await Promise.race([Promise.resolve().then(step.run), timeout]);
    } catch (error) {
      console.error(`[bench] teardown: ${step.label} failed: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }
}
