/** Undo steps, run newest first, each at most once, and all of them even when one fails. */
export class CleanupStack {
  private readonly steps: Array<() => unknown> = [];

  push(step: () => unknown): void {
    this.steps.push(step);
  }

  async run(): Promise<void> {
    for (let step = this.steps.pop(); step; step = this.steps.pop()) {
      try {
        await step();
      } catch (error) {
        console.error('bench: a clean-up step failed:', error);
      }
    }
  }
}

/**
 * Runs a benchmark's `main` and sets the exit code from it (1 when it throws). The clean-up steps
 * run on return, on a throw and on Ctrl-C alike: no dev server or temp dir is ever left behind.
 */
export async function runBenchmark(main: (cleanup: CleanupStack) => Promise<number>): Promise<void> {
  const cleanup = new CleanupStack();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void cleanup.run().finally(() => process.exit(130)));
  }
  try {
    process.exitCode = await main(cleanup);
  } catch (error) {
    console.error('bench failed:', error);
    process.exitCode = 1;
  } finally {
    await cleanup.run();
  }
}
