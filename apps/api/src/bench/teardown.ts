type Step = { label: string; run: () => Promise<unknown> | unknown };

const steps: Step[] = [];

/** Registers something to undo at the end, on failure or on SIGINT; undone last-registered first. */
export function onTeardown(label: string, run: Step['run']): void {
  steps.push({ label, run });
}

/** Runs every registered step once, even if some fail. */
export async function teardown(): Promise<void> {
  for (let step = steps.pop(); step; step = steps.pop()) {
    try {
      await step.run();
    } catch (error) {
      console.error(`[bench] teardown: ${step.label} failed: ${(error as Error).message}`);
    }
  }
}
