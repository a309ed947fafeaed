import type { RoutedEvent } from '@switchboard/shared';
import {
  acknowledged,
  agentReplied,
  conversationFacts,
  inboundMessage,
} from '../../../nodes/src/testing/builders';
import { EMPTY_TEAM } from '../support/fakeRoutingActivities';
import { advance, batch, flowGraph, type Scenario } from './scenarioScript';

const SLA = 'v-sla';
const OVERFLOW = 'v-overflow';
const MORNING = 'v-morning';

/**
 * Every message is given 5 minutes to settle, then a 30-minute first-response SLA that warns the
 * assignee halfway; a breach climbs the escalation ladder (reassign, team lead, managers) until
 * somebody acknowledges. A reply in time hands the conversation to the follow-up workflow.
 */
const slaGraph = flowGraph(
  {
    start: { type: 'trigger.messageReceived' },
    settle: { type: 'flow.wait', config: { mode: 'duration', minutes: 5 } },
    sla: {
      type: 'flow.slaTimer',
      config: { measure: 'first_response', targetMinutes: 30, warnAtPercent: 50 },
    },
    followUp: { type: 'flow.runWorkflow', config: { workflowId: 'wf_follow_up' } },
    ladder: {
      type: 'flow.escalationLadder',
      config: {
        teamId: 'team_support',
        stopOn: 'acknowledgement',
        steps: [
          { afterMinutes: 10, action: 'reassign', notify: true },
          { afterMinutes: 10, action: 'teamLead', notify: true },
          { afterMinutes: 10, action: 'manager', notify: true },
        ],
      },
    },
    rescued: { type: 'flow.end' },
    exhausted: { type: 'flow.end' },
  },
  [
    ['start', 'out', 'settle'],
    ['settle', 'out', 'sla'],
    ['sla', 'met', 'followUp'],
    ['sla', 'breached', 'ladder'],
    ['ladder', 'acknowledged', 'rescued'],
    ['ladder', 'exhausted', 'exhausted'],
  ],
);

/** Nobody in the day team: after 5 minutes in its queue the night team is asked, then offered buttons. */
const overflowGraph = flowGraph(
  {
    start: { type: 'trigger.newConversation' },
    assign: {
      type: 'assign',
      config: {
        strategy: 'least_loaded',
        teamId: EMPTY_TEAM,
        overflow: { teamId: 'team_night', afterMinutes: 5 },
      },
    },
    menu: {
      type: 'action.sendWhatsApp',
      config: {
        kind: 'buttons',
        text: 'The night team has your message. Anything else?',
        buttons: [
          { id: 'no', title: 'No, thanks' },
          { id: 'human', title: 'Talk to a person' },
        ],
      },
    },
  },
  [
    ['start', 'out', 'assign'],
    ['assign', 'assigned', 'menu'],
  ],
);

/** Messages at night get a template at 09:00 São Paulo time and the conversation reopened. */
const morningGraph = flowGraph(
  {
    start: { type: 'trigger.messageReceived' },
    morning: { type: 'flow.wait', config: { mode: 'until', time: '09:00', timeZone: 'America/Sao_Paulo' } },
    goodMorning: {
      type: 'action.sendWhatsApp',
      config: {
        kind: 'template',
        templateName: 'good_morning',
        languageCode: 'pt_BR',
        bodyVariables: ['{{contact.name}}'],
      },
    },
    reopen: { type: 'action.setStatus', config: { status: 'open' } },
  },
  [
    ['start', 'out', 'morning'],
    ['morning', 'out', 'goodMorning'],
    ['goodMorning', 'sent', 'reopen'],
  ],
);

// The SLA warning goes to the assignee the conversation already had when the message came in.
const owned = conversationFacts({ assigneeAgentId: 'agent_ana', teamId: 'team_support' });

function message(conversationId: string, workflowVersionId: string): RoutedEvent {
  return inboundMessage({ conversationId, workflowVersionId, facts: owned, isNewConversation: false });
}

export const timersScenario: Scenario = {
  name: 'timers',
  story:
    'one SLA is met by a reply, two breach and climb the ladder (one acknowledged, one to the managers); an empty team overflows; a night message waits for the morning',
  graphs: { [SLA]: slaGraph, [OVERFLOW]: overflowGraph, [MORNING]: morningGraph },
  script: [
    batch(
      message('conv-met', SLA),
      message('conv-rescued', SLA),
      message('conv-exhausted', SLA),
      inboundMessage({ conversationId: 'conv-overflow', workflowVersionId: OVERFLOW }),
      message('conv-night', MORNING),
    ),
    advance(6), // settled; the overflow team is asked
    batch(agentReplied({ conversationId: 'conv-met', workflowVersionId: SLA, facts: owned })),
    advance(15), // SLA warnings at half time
    advance(15), // breached: the ladder starts
    advance(10), // first rung: reassigned
    batch(acknowledged({ conversationId: 'conv-rescued', workflowVersionId: SLA, facts: owned })),
    advance(11), // second rung: team lead
    advance(11), // last rung: managers paged, ladder exhausted
    advance(25 * 60), // 09:00 in São Paulo has come
  ],
};
