import { slaAlert } from '../../../nodes/src/testing/builders';
import { batch, flowGraph, type Scenario } from './scenarioScript';

/** A first-response breach makes the conversation urgent; a warning alone does not. */
const breachGraph = flowGraph(
  {
    breach: { type: 'trigger.slaAlert', config: { level: 'breach', measure: 'first_response' } },
    urgent: { type: 'action.setPriority', config: { priority: 'urgent' } },
  },
  [['breach', 'out', 'urgent']],
);

const alert = (conversationId: string, level: 'warning' | 'breach') =>
  slaAlert({ conversationId, workflowVersionId: 'v-sla', level, measure: 'first_response' });

export const slaScenario: Scenario = {
  name: 'sla',
  story:
    'the SLA engine warns about one conversation and reports a breach of another; only the breach raises the priority',
  graphs: { 'v-sla': breachGraph },
  script: [batch(alert('conv-warned', 'warning'), alert('conv-breached', 'breach'))],
};
