import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { ScheduleActivities, ScheduledTriggerInput } from './scheduleActivities';

const { enqueueScheduledRun } = proxyActivities<ScheduleActivities>({
  // A regular activity, not a local one: its retries outlive a worker restart, and one SQLite
  // transaction over every open conversation may take longer than a workflow task should.
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** Temporal sets it on every run a schedule starts: the time the run stands for. */
const SCHEDULED_START_TIME = { name: 'TemporalScheduledStartTime', type: 'DATETIME' } as const;

/**
 * One run of a workflow's schedule: a `schedule.fired` event for each conversation the trigger
 * targets, routed by the shards like any other event. Returns how many conversations it reached.
 */
export async function scheduledTrigger(input: ScheduledTriggerInput): Promise<number> {
  const info = workflowInfo();
  const scheduledAt = info.typedSearchAttributes.get(SCHEDULED_START_TIME) ?? info.startTime;
  const { conversations } = await enqueueScheduledRun({
    ...input,
    // Temporal appends the scheduled time, to the second, to the workflow id of each run it starts:
    // retries keep the key, and two runs triggered by hand within one second count as one.
    runKey: info.workflowId,
    scheduledAt: scheduledAt.getTime(),
  });
  return conversations;
}
