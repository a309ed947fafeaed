import { defineNodeType } from '../../nodeType';
import { type ScheduleAudience, type ScheduleConfig, scheduleConfigSchema } from './schema';

const AUDIENCE: Record<ScheduleAudience, string> = {
  all_open: 'every open conversation',
  unassigned: 'unassigned conversations',
  unacknowledged: 'conversations nobody has taken',
};

/**
 * The runtime keeps a Temporal schedule per published workflow with this trigger; at each cron
 * time it routes one `schedule.fired` event to every conversation of the audience.
 */
export const scheduleTrigger = defineNodeType<ScheduleConfig>({
  type: 'trigger.schedule',
  typeVersion: 1,
  category: 'trigger',
  label: 'On a schedule',
  description:
    'Runs at set times (cron, in a time zone) on the open conversations of this workflow: all of them, the unassigned ones, or those nobody has taken yet.',
  icon: '🗓️',
  color: '#2563eb',
  configSchema: scheduleConfigSchema,
  outputs: () => [{ id: 'out', label: 'next' }],
  summary: ({ cron, timeZone, audience }) => `${cron} (${timeZone}), ${AUDIENCE[audience]}`,
  matches: (_config, event, nodeId) => event.type === 'schedule.fired' && event.triggerNodeId === nodeId,
});
