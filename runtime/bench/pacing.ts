/** Closed loop: runs `task(i)` for every i < count with at most `concurrency` tasks in flight. */
export async function runBounded(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
}

/**
 * Open loop: starts task i at `start + i / rate` whether or not earlier tasks have finished, so a
 * slow server shows up as latency rather than as a quietly lowered offered rate (coordinated
 * omission). Resolves when all tasks have finished, with how late each one was started: the
 * sender shares its event loop with the runtime, so a busy loop delays the sends themselves.
 */
export async function runOpenLoop(
  count: number,
  ratePerSecond: number,
  task: (index: number, scheduledAt: number) => Promise<void>,
): Promise<{ startLagsMs: number[] }> {
  const start = performance.now();
  const scheduledAt = (index: number) => start + (index * 1000) / ratePerSecond;
  const running: Promise<void>[] = [];
  const startLagsMs: number[] = [];
  let index = 0;
  while (index < count) {
    // Timers are millisecond-grained and may fire late: start everything that is due by now.
    const now = performance.now();
    while (index < count && scheduledAt(index) <= now) {
      startLagsMs.push(now - scheduledAt(index));
      running.push(task(index, scheduledAt(index)));
      index++;
    }
    if (index < count) await sleep(scheduledAt(index) - performance.now());
  }
  await Promise.all(running);
  return { startLagsMs };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Polls `done` until it holds; returns when it was first seen true, or null after the timeout. */
export async function pollUntil(
  done: () => boolean,
  timeoutMs: number,
  intervalMs = 10,
): Promise<number | null> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (done()) return performance.now();
    if (performance.now() > deadline) return null;
    await sleep(intervalMs);
  }
}
