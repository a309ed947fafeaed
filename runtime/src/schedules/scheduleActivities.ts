/** What a workflow's Temporal schedule starts `scheduledTrigger` with: fixed when the schedule is synced. */
export interface ScheduledTriggerInput {
  workflowId: string;
  /** The published version the schedule was set up for; its trigger node holds the audience. */
  workflowVersionId: string;
  triggerNodeId: string;
}

export interface ScheduledRunInput extends ScheduledTriggerInput {
  /** Names this run and no other (a retry of it has the same key). */
  runKey: string;
  /** The cron time the run stands for, in ms. */
  scheduledAt: number;
}

/** The activity `scheduledTrigger` calls. Implemented in `scheduledRuns.ts`; only the types cross into the workflow bundle. */
export interface ScheduleActivities {
  /** Queues one `schedule.fired` event per conversation of the audience, once per run key. */
  enqueueScheduledRun(input: ScheduledRunInput): Promise<{ conversations: number }>;
}
