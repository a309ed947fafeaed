import { scheduleConfigSchema } from '@switchboard/nodes';
import {
  type Client,
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type ScheduleUpdateOptions,
} from '@temporalio/client';
import type { Logger } from 'pino';
import type { ScheduledTriggerInput } from '../schedules/scheduleActivities';
import { scheduledTrigger } from '../schedules/scheduledTrigger';
import type { WorkflowStore, WorkflowSummary } from './workflowStore';

/** Includes the task queue, so that several workspaces (or test runs) can share one namespace. */
export function workflowScheduleId(taskQueue: string, workflowId: string): string {
  return `${taskQueue}-schedule-${workflowId}`;
}

export interface ScheduleSyncResult {
  /** Workflows whose schedule was created or brought up to date. */
  scheduled: string[];
  /** Workflows whose schedule was deleted: they no longer start on a schedule. */
  removed: string[];
}

/**
 * Makes Temporal's schedules match the published workflows: one schedule for each workflow whose
 * trigger is `trigger.schedule`, none for the others. Temporal then keeps the time durably; each
 * run starts `scheduledTrigger` on the router task queue.
 */
export async function syncWorkflowSchedules(
  client: Client,
  taskQueue: string,
  workflows: WorkflowSummary[],
): Promise<ScheduleSyncResult> {
  const result: ScheduleSyncResult = { scheduled: [], removed: [] };
  for (const workflow of workflows) {
    const scheduleId = workflowScheduleId(taskQueue, workflow.id);
    const wanted = scheduleOf(workflow, taskQueue, scheduleId);
    if (wanted) {
      await createOrUpdate(client, scheduleId, wanted);
      result.scheduled.push(workflow.id);
    } else if (await deleteIfPresent(client, scheduleId)) {
      result.removed.push(workflow.id);
    }
  }
  return result;
}

type WantedSchedule = Omit<ScheduleUpdateOptions, 'state'>;

function scheduleOf(workflow: WorkflowSummary, taskQueue: string, scheduleId: string): WantedSchedule | null {
  const version = workflow.status === 'published' ? workflow.publishedVersion : null;
  const trigger = version?.graph.nodes.find((node) => node.type === 'trigger.schedule');
  const config = trigger ? scheduleConfigSchema.safeParse(trigger.config) : null;
  // Published graphs passed validation, so an invalid config means a version from an older schema.
  if (!version || !trigger || !config?.success) return null;
  const input: ScheduledTriggerInput = {
    workflowId: workflow.id,
    workflowVersionId: version.id,
    triggerNodeId: trigger.id,
  };
  return {
    spec: { cronExpressions: [config.data.cron], timezone: config.data.timeZone },
    action: {
      type: 'startWorkflow',
      workflowType: scheduledTrigger,
      taskQueue,
      // Temporal appends each run's scheduled time, which makes the id the run's idempotency key.
      workflowId: `${scheduleId}-run`,
      args: [input],
    },
    policies: {
      overlap: ScheduleOverlapPolicy.SKIP,
      // After an outage, a sweep more than 10 minutes late is skipped: "9:00" sweeps at 15:00 confuse.
      catchupWindow: '10 minutes',
    },
  };
}

async function createOrUpdate(client: Client, scheduleId: string, wanted: WantedSchedule): Promise<void> {
  try {
    await client.schedule.create({ scheduleId, ...wanted });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    // Keeps the state, so that a schedule paused from the Temporal UI stays paused.
    await client.schedule.getHandle(scheduleId).update((previous) => ({ ...wanted, state: previous.state }));
  }
}

async function deleteIfPresent(client: Client, scheduleId: string): Promise<boolean> {
  try {
    await client.schedule.getHandle(scheduleId).delete();
    return true;
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return false;
    throw error;
  }
}

export interface ScheduleSyncOptions {
  client: Client;
  taskQueue: string;
  workflows: WorkflowStore;
  log: Logger;
}

/**
 * Syncs from the store's current state, one sync at a time, so two quick publishes cannot leave
 * the older one's schedule behind. A failure is logged, not thrown: the version is published
 * either way, and the next publish or start-up syncs again.
 */
export function createScheduleSync({ client, taskQueue, workflows, log }: ScheduleSyncOptions) {
  let last: Promise<void> = Promise.resolve();
  return function syncSchedules(): Promise<void> {
    last = last.then(async () => {
      try {
        const { scheduled, removed } = await syncWorkflowSchedules(client, taskQueue, workflows.list());
        if (scheduled.length > 0 || removed.length > 0) {
          log.info({ scheduled, removed }, 'workflow schedules synced');
        }
      } catch (error) {
        log.error({ err: error }, 'could not sync workflow schedules with Temporal');
      }
    });
    return last;
  };
}
