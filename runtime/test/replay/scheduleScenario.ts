import { scheduleFired } from '../../../nodes/src/testing/builders';
import { batch, flowGraph, type Scenario } from './scenarioScript';

/** Weekdays at 9:00 in Lisbon, the conversations nobody has taken get the morning-sweep tag. */
const sweepGraph = flowGraph(
  {
    sweep: {
      type: 'trigger.schedule',
      config: { cron: '0 9 * * MON-FRI', timeZone: 'Europe/Lisbon', audience: 'unassigned' },
    },
    tag: { type: 'action.tag', config: { tag: 'morning-sweep' } },
  },
  [['sweep', 'out', 'tag']],
);

const fired = (conversationId: string, triggerNodeId: string) =>
  scheduleFired({ conversationId, workflowVersionId: 'v-sweep', triggerNodeId });

export const scheduleScenario: Scenario = {
  name: 'schedule',
  story:
    'the 9:00 sweep tags the two conversations it reaches; a firing addressed to another schedule node starts nothing',
  graphs: { 'v-sweep': sweepGraph },
  script: [
    batch(fired('conv-waiting', 'sweep'), fired('conv-lonely', 'sweep'), fired('conv-other', 'evening')),
  ],
};
