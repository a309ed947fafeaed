import { type ScheduleAudience, scheduleConfigSchema } from '@switchboard/nodes';
import { workflowGraphSchema } from '@switchboard/shared';
import { ApplicationFailure } from '@temporalio/activity';
import type { Logger } from 'pino';
import type { RoutedEventQueue } from '../conversations/routedEventQueue';
import type { AppDatabase } from '../db/database';
import { writeWhenFree } from '../db/writeLock';
import type { ScheduleActivities, ScheduledRunInput } from './scheduleActivities';

export interface ScheduleActivityDeps {
  db: AppDatabase;
  events: RoutedEventQueue;
  /** Wakes the dispatcher, so the events go out now rather than at its next poll. */
  onQueued: () => void;
  log: Logger;
}

export function createScheduleActivities(deps: ScheduleActivityDeps): ScheduleActivities {
  const sqlite = deps.db.$client;
  const graphOf = sqlite
    .prepare<[string], string>(`SELECT graph FROM workflow_versions WHERE id = ?`)
    .pluck();
  const earlierRun = sqlite
    .prepare<[string], number>(`SELECT conversations FROM schedule_runs WHERE run_key = ?`)
    .pluck();
  const insertRun = sqlite.prepare(
    `INSERT INTO schedule_runs (run_key, workflow_id, workflow_version_id, trigger_node_id, scheduled_at, conversations, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  // Which workflow a conversation belongs to: as on intake (`publishedVersionFor` in ingest.ts),
  // its number's own workflow, else the workspace's first published one.
  const openConversationsWhere = (audience: string) =>
    sqlite
      .prepare<[string], string>(
        `SELECT c.id FROM conversations c
           LEFT JOIN business_numbers b ON b.id = c.business_number_id
           LEFT JOIN workflows w ON w.id = b.workflow_id AND w.status = 'published'
          WHERE c.status = 'open' AND ${audience}
            AND coalesce(w.id, (SELECT id FROM workflows WHERE status = 'published' ORDER BY created_at, id LIMIT 1)) = ?
          ORDER BY c.id`,
      )
      .pluck();
  const targets: Record<ScheduleAudience, ReturnType<typeof openConversationsWhere>> = {
    all_open: openConversationsWhere('1'),
    unassigned: openConversationsWhere('c.assignee_agent_id IS NULL'),
    unacknowledged: openConversationsWhere('c.assignee_agent_id IS NOT NULL AND c.acknowledged_at IS NULL'),
  };

  const enqueueRun = sqlite.transaction(
    (input: ScheduledRunInput, audience: ScheduleAudience, now: number): number => {
      const earlier = earlierRun.get(input.runKey);
      if (earlier !== undefined) return earlier;
      const conversationIds = targets[audience].all(input.workflowId);
      for (const conversationId of conversationIds) {
        deps.events.enqueue(
          conversationId,
          {
            type: 'schedule.fired',
            occurredAt: now,
            triggerNodeId: input.triggerNodeId,
            scheduledAt: input.scheduledAt,
          },
          { workflowVersionId: input.workflowVersionId },
        );
      }
      insertRun.run(
        input.runKey,
        input.workflowId,
        input.workflowVersionId,
        input.triggerNodeId,
        input.scheduledAt,
        conversationIds.length,
        now,
      );
      return conversationIds.length;
    },
  );

  /** The audience of the trigger node the schedule was set up for; versions never change. */
  function audienceOf(input: ScheduledRunInput): ScheduleAudience {
    const stored = graphOf.get(input.workflowVersionId);
    const graph = stored === undefined ? undefined : workflowGraphSchema.parse(JSON.parse(stored));
    const node = graph?.nodes.find((candidate) => candidate.id === input.triggerNodeId);
    const config = node?.type === 'trigger.schedule' ? scheduleConfigSchema.safeParse(node.config) : null;
    if (!config?.success) {
      // A schedule left behind by a failed sync: retrying will not make the node appear.
      throw ApplicationFailure.nonRetryable(
        `version ${input.workflowVersionId} has no valid schedule trigger "${input.triggerNodeId}"`,
        'ScheduleTriggerMissing',
      );
    }
    return config.data.audience;
  }

  return {
    async enqueueScheduledRun(input) {
      const audience = audienceOf(input);
      // The worker's event loop stays free while the runtime holds the lock (see writeWhenFree).
      const conversations = await writeWhenFree(sqlite, () =>
        enqueueRun.immediate(input, audience, Date.now()),
      );
      deps.log.info(
        { workflowId: input.workflowId, runKey: input.runKey, conversations },
        'scheduled run queued',
      );
      if (conversations > 0) deps.onQueued();
      return { conversations };
    },
  };
}
