import type { RoutedEvent } from '@switchboard/shared';
import {
  acknowledged,
  agentReplied,
  conversationFacts,
  inboundMessage,
} from '../../../nodes/src/testing/builders';
import { advance, batch, flowGraph, redelivery, type Scenario } from './scenarioScript';

export const INTAKE = 'v-intake';

/**
 * New conversations: Portuguese speakers are tagged, prioritised, noted and announced before the
 * round-robin; whoever gets the conversation must acknowledge or answer within 15 minutes, or the
 * team lead takes it. An acknowledged conversation is greeted, pushed to the CRM and closed.
 */
export const intakeGraph = flowGraph(
  {
    start: { type: 'trigger.newConversation' },
    portuguese: {
      type: 'condition.if',
      config: {
        group: {
          combinator: 'or',
          rules: [
            { field: 'contact.language', operator: 'starts_with', value: 'pt' },
            { field: 'conversation.tags', operator: 'contains', value: 'brasil' },
          ],
        },
      },
    },
    tag: { type: 'action.tag', config: { tag: 'portuguese', change: 'add' } },
    priority: { type: 'action.setPriority', config: { priority: 'high' } },
    note: {
      type: 'action.note',
      config: { text: '{{contact.name}} writes in {{contact.language}}; @agent_lead please watch' },
    },
    announce: {
      type: 'action.notify',
      config: {
        channels: ['in_app'],
        to: { kind: 'team', teamId: 'team_support' },
        title: 'New Portuguese conversation',
      },
    },
    assign: { type: 'assign', config: { strategy: 'round_robin', teamId: 'team_support' } },
    ack: { type: 'flow.waitForAcknowledgement', config: { waitFor: 'either', timeoutMinutes: 15 } },
    greet: {
      type: 'action.sendWhatsApp',
      config: { kind: 'text', text: 'Olá {{contact.name}}, já vamos ajudar!' },
    },
    crm: {
      type: 'action.httpRequest',
      config: {
        method: 'POST',
        url: 'https://crm.example.com/hooks/whatsapp',
        headers: { 'content-type': 'application/json' },
        body: '{"conversation":"{{conversation.id}}","phone":"{{contact.waId}}"}',
      },
    },
    close: { type: 'action.setStatus', config: { status: 'closed' } },
    lead: { type: 'assign', config: { strategy: 'team_lead', teamId: 'team_support' } },
    done: { type: 'flow.end' },
  },
  [
    ['start', 'out', 'portuguese'],
    ['portuguese', 'true', 'tag'],
    ['portuguese', 'false', 'assign'],
    ['tag', 'out', 'priority'],
    ['priority', 'out', 'note'],
    ['note', 'out', 'announce'],
    ['announce', 'out', 'assign'],
    ['assign', 'assigned', 'ack'],
    ['ack', 'acknowledged', 'greet'],
    ['ack', 'replied', 'close'],
    ['ack', 'timeout', 'lead'],
    ['greet', 'sent', 'crm'],
    ['crm', 'success', 'close'],
    ['close', 'out', 'done'],
    ['lead', 'assigned', 'done'],
  ],
);

const portuguese = conversationFacts({ contact: { name: 'Maria', language: 'pt-BR', fields: {} } });
const english = conversationFacts({ contact: { name: 'John', language: 'en', fields: {} } });

function opens(conversationId: string, facts = portuguese, workflowVersionId = INTAKE): RoutedEvent {
  return inboundMessage({ conversationId, workflowVersionId, facts, text: 'Oi, preciso de ajuda' });
}

export const intakeScenario: Scenario = {
  name: 'intake',
  story:
    'three new conversations are assigned; one is acknowledged and closed, one answered, one handed to the team lead after 15 minutes; a redelivered batch and an unpublished version change nothing',
  graphs: { [INTAKE]: intakeGraph },
  script: [
    batch(opens('conv-acked'), opens('conv-answered', english), opens('conv-silent')),
    redelivery(),
    batch(
      acknowledged({ conversationId: 'conv-acked', workflowVersionId: INTAKE, facts: portuguese }),
      agentReplied({ conversationId: 'conv-answered', workflowVersionId: INTAKE, facts: english }),
      // Published versions are loaded on demand; an id nobody published routes nowhere.
      opens('conv-unpublished', english, 'v-never-published'),
    ),
    advance(16),
  ],
};
