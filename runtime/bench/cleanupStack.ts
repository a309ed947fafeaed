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
