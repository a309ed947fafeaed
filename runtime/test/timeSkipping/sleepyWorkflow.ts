import { sleep } from '@temporalio/workflow';

export interface SleepyResult {
  /** Workflow time (Date.now() inside the workflow) before and after the sleep. */
  startedAt: number;
  finishedAt: number;
}

/** Sleeps a quarter of an hour of workflow time, which the time-skipping server skips. */
export async function sleepyWorkflow(): Promise<SleepyResult> {
  const startedAt = Date.now();
  await sleep('15 minutes');
  return { startedAt, finishedAt: Date.now() };
}
