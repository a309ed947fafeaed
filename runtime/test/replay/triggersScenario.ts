import type { MessageReceivedEvent } from '@switchboard/shared';
import {
  acknowledged,
  agentReplied,
  conversationFacts,
  deliveryFailed,
  inboundMessage,
  manualRun,
  tagChanged,
} from '../../../nodes/src/testing/builders';
import { advance, batch, flowGraph, type Scenario } from './scenarioScript';

/** Unanswered for 10 minutes: the team lead is nudged. */
const unansweredGraph = flowGraph(
  {
    start: { type: 'trigger.unanswered', config: { condition: 'unanswered', minutes: 10 } },
    nudge: {
      type: 'action.notify',
      config: {
        channels: ['in_app', 'email'],
        to: { kind: 'teamLead', teamId: 'team_support' },
        title: '{{contact.name}} waits for an answer',
        body: 'Open for {{conversation.ageMinutes}} minutes.',
      },
    },
  },
  [['start', 'out', 'nudge']],
);

/** Nobody took it within 5 minutes: the team lead gets it by name. */
const unassignedGraph = flowGraph(
  {
    start: { type: 'trigger.unanswered', config: { condition: 'unassigned', minutes: 5 } },
    lead: { type: 'assign', config: { strategy: 'specific_agent', agentId: 'agent_lead' } },
  },
  [['start', 'out', 'lead']],
);

/** Refund requests, sorted by language before they are tagged. */
const refundGraph = flowGraph(
  {
    start: { type: 'trigger.keyword', config: { keywords: ['refund', 'reembolso'], match: 'contains' } },
    language: {
      type: 'condition.switch',
      config: {
        field: 'contact.language',
        cases: [
          { id: 'pt', label: 'Portuguese', operator: 'starts_with', value: 'pt' },
          { id: 'es', label: 'Spanish', operator: 'starts_with', value: 'es' },
        ],
      },
    },
    refundPt: { type: 'action.tag', config: { tag: 'reembolso' } },
    refund: { type: 'action.tag', config: { tag: 'refund' } },
  },
  [
    ['start', 'out', 'language'],
    ['language', 'pt', 'refundPt'],
    ['language', 'else', 'refund'],
  ],
);

/** Photos and locations: noted while the team is open (every hour of the week). */
const mediaGraph = flowGraph(
  {
    start: { type: 'trigger.messageType', config: { types: ['media', 'location'] } },
    hours: {
      type: 'condition.businessHours',
      config: {
        timeZone: 'Europe/Lisbon',
        weekly: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, start: '00:00', end: '00:00' })),
      },
    },
    note: { type: 'action.note', config: { text: 'Customer sent a {{message.type}}' } },
  },
  [
    ['start', 'out', 'hours'],
    ['hours', 'open', 'note'],
  ],
);

/** Tagged VIP while the team is closed (it never opens): the priority goes to urgent. */
const vipGraph = flowGraph(
  {
    start: { type: 'trigger.tagChanged', config: { tag: 'VIP', change: 'added' } },
    hours: { type: 'condition.businessHours', config: { timeZone: 'America/Sao_Paulo', weekly: [] } },
    urgent: { type: 'action.setPriority', config: { priority: 'urgent' } },
  },
  [
    ['start', 'out', 'hours'],
    ['hours', 'closed', 'urgent'],
  ],
);

/** A message sent outside the 24-hour window bounced: re-engage with a template. */
const bounceGraph = flowGraph(
  {
    start: { type: 'trigger.deliveryFailed', config: { errorCodes: [131047] } },
    reengage: {
      type: 'action.sendWhatsApp',
      config: { kind: 'template', templateName: 'reengage', languageCode: 'en_US' },
    },
  },
  [['start', 'out', 'reengage']],
);

/** Run by hand: look the customer up in the CRM. */
const manualGraph = flowGraph(
  {
    start: { type: 'trigger.manual' },
    lookup: {
      type: 'action.httpRequest',
      config: { method: 'GET', url: 'https://crm.example.com/customers/{{contact.waId}}' },
    },
  },
  [['start', 'out', 'lookup']],
);

const english = conversationFacts({ contact: { name: 'John', language: 'en', fields: {} } });
const brazilian = conversationFacts({ contact: { name: 'Maria', language: 'pt-BR', fields: {} } });

const message = (
  conversationId: string,
  workflowVersionId: string,
  overrides: Partial<MessageReceivedEvent> = {},
): MessageReceivedEvent => inboundMessage({ conversationId, workflowVersionId, ...overrides });

export const triggersScenario: Scenario = {
  name: 'triggers',
  story:
    'delayed triggers stand down on a reply or an acknowledgement and fire on silence; keywords, a photo, a VIP tag, a bounced message and a manual run each start their workflow',
  graphs: {
    'v-unanswered': unansweredGraph,
    'v-unassigned': unassignedGraph,
    'v-refund': refundGraph,
    'v-media': mediaGraph,
    'v-vip': vipGraph,
    'v-bounce': bounceGraph,
    'v-manual': manualGraph,
  },
  script: [
    batch(
      message('conv-answered', 'v-unanswered'),
      message('conv-unheard', 'v-unanswered'),
      message('conv-taken', 'v-unassigned'),
      message('conv-orphan', 'v-unassigned'),
      message('conv-reembolso', 'v-refund', { text: 'Quero um reembolso', facts: brazilian }),
      message('conv-refund', 'v-refund', { text: 'I want a REFUND', facts: english }),
      message('conv-photo', 'v-media', { messageType: 'image', text: null }),
    ),
    batch(
      agentReplied({ conversationId: 'conv-answered', workflowVersionId: 'v-unanswered' }),
      acknowledged({ conversationId: 'conv-taken', workflowVersionId: 'v-unassigned' }),
      tagChanged({ conversationId: 'conv-vip', workflowVersionId: 'v-vip', tag: 'vip', change: 'added' }),
      deliveryFailed({ conversationId: 'conv-bounce', workflowVersionId: 'v-bounce', errorCode: 131047 }),
      manualRun({ conversationId: 'conv-manual', workflowVersionId: 'v-manual' }),
    ),
    advance(11), // silence: both delayed triggers fire
  ],
};
