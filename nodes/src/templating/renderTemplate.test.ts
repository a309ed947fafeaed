import { describe, expect, it } from 'vitest';
import { conversationFacts, inboundMessage } from '../testing/builders';
import { mentionedAgentIds, renderTemplate } from './renderTemplate';

describe('renderTemplate', () => {
  it('fills contact, conversation and message placeholders', () => {
    const event = inboundMessage({
      text: 'Meu pedido 123',
      facts: conversationFacts({ priority: 'high', tags: ['vip', 'billing'], openedAt: 0 }),
    });
    expect(
      renderTemplate(
        '{{contact.name}} ({{ conversation.priority }}, {{conversation.tags}}): {{message.text}}',
        event,
        5 * 60_000,
      ),
    ).toBe('Maria (high, vip, billing): Meu pedido 123');
    expect(renderTemplate('{{conversation.ageMinutes}} min', event, 5 * 60_000)).toBe('5 min');
  });

  it('renders unknown placeholders empty instead of failing', () => {
    expect(renderTemplate('Hi {{contact.nickname}}!', inboundMessage(), 0)).toBe('Hi !');
  });

  it('reads custom contact fields', () => {
    const event = inboundMessage({
      facts: conversationFacts({ contact: { name: null, language: null, fields: { plan: 'gold' } } }),
    });
    expect(renderTemplate('plan={{contact.fields.plan}}', event, 0)).toBe('plan=gold');
  });
});

describe('mentionedAgentIds', () => {
  it('finds @mentions once each, not e-mail addresses', () => {
    expect(
      mentionedAgentIds('@agent_ben please look, cc @agent_ana and @agent_ben; mail ops@example.com'),
    ).toEqual(['agent_ben', 'agent_ana']);
  });
});
