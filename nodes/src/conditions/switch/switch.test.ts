import type { RoutedEvent } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { branch, chain, conversationFacts, inboundMessage } from '../../testing/builders';
import { ConversationDriver } from '../../testing/drive';
import { switchCondition } from '.';
import { switchConfigSchema } from './schema';

// Routes by the contact's language: Portuguese, Spanish, then Arabic; anything else to "else".
const byLanguage = {
  field: 'contact.language',
  cases: [
    { id: 'pt', label: 'Portuguese', operator: 'starts_with', value: 'pt' },
    { id: 'es', label: 'Spanish', operator: 'starts_with', value: 'es' },
    { id: 'ar', label: 'Arabic', operator: 'equals', value: 'ar' },
  ],
};

function speaking(language: string | null): RoutedEvent {
  return inboundMessage({ facts: conversationFacts({ contact: { name: 'Sam', language, fields: {} } }) });
}

/** The output the switch leaves through, run by the interpreter in a one-switch workflow. */
function outputFor(config: Record<string, unknown>, event: RoutedEvent): string | undefined {
  const driver = new ConversationDriver(
    chain(
      { id: 'start', type: 'trigger.messageReceived' },
      { id: 'switch', type: 'condition.switch', config },
    ),
  );
  driver.send(event);
  return driver.trail[1];
}

describe('condition.switch', () => {
  it('takes the first case that matches, and "else" when none does', () => {
    expect(outputFor(byLanguage, speaking('pt-BR'))).toBe('switch→pt');
    expect(outputFor(byLanguage, speaking('es-MX'))).toBe('switch→es');
    expect(outputFor(byLanguage, speaking('AR'))).toBe('switch→ar');
    expect(outputFor(byLanguage, speaking('en-GB'))).toBe('switch→else');
    expect(outputFor(byLanguage, speaking(null))).toBe('switch→else');
  });

  it('when two cases match, the earlier one wins', () => {
    const overlapping = {
      field: 'message.text',
      cases: [
        {
          id: 'urgent_refund',
          label: 'Urgent refund',
          operator: 'matches_regex',
          value: 'refund.*(now|today)',
        },
        { id: 'refund', label: 'Refund', operator: 'contains', value: 'refund' },
      ],
    };
    expect(outputFor(overlapping, inboundMessage({ text: 'refund today!' }))).toBe('switch→urgent_refund');
    expect(outputFor(overlapping, inboundMessage({ text: 'a refund, eventually' }))).toBe('switch→refund');
  });

  it('offers one output per case, in order, then "else"', () => {
    expect(switchCondition.outputs(switchConfigSchema.parse(byLanguage))).toEqual([
      { id: 'pt', label: 'Portuguese' },
      { id: 'es', label: 'Spanish' },
      { id: 'ar', label: 'Arabic' },
      { id: 'else', label: 'else' },
    ]);
    expect(switchCondition.summary(switchConfigSchema.parse(byLanguage))).toBe(
      'language: Portuguese / Spanish / Arabic',
    );
  });

  it('rejects duplicate ids, an id called "else", odd ids, and values that do not fit the field', () => {
    const issues = switchConfigSchema.safeParse({
      field: 'conversation.ageMinutes',
      cases: [
        { id: 'old', label: 'Old', operator: 'greater_than', value: 60 },
        { id: 'old', label: 'Older', operator: 'greater_than', value: 120 },
        { id: 'else', label: 'Else', operator: 'less_than', value: 5 },
        { id: 'Fresh Ones', label: 'Fresh', operator: 'less_than', value: 5 },
        { id: 'new', label: 'New', operator: 'contains', value: 'x' },
      ],
    }).error?.issues;
    expect(issues?.map((issue) => issue.path.join('.'))).toEqual([
      'cases.2.id',
      'cases.3.id',
      'cases.1.id',
      'cases.4.operator',
    ]);
    expect(switchConfigSchema.safeParse({ ...byLanguage, cases: [] }).error?.issues[0]?.message).toBe(
      'add a case',
    );
    expect(
      switchConfigSchema.safeParse({ field: 'contact.field', cases: byLanguage.cases }).error?.issues[0]
        ?.path,
    ).toEqual(['fieldKey']);
  });

  it('routes a conversation down its language’s branch in a workflow', () => {
    const graph = branch(
      branch(
        chain(
          { id: 'start', type: 'trigger.newConversation' },
          { id: 'language', type: 'condition.switch', config: byLanguage, via: 'pt' },
          { id: 'brazil', type: 'assign', config: { teamId: 'team_brazil' } },
        ),
        'language',
        'es',
        { id: 'latam', type: 'assign', config: { teamId: 'team_latam' } },
      ),
      'language',
      'else',
      { id: 'global', type: 'assign', config: { teamId: 'team_global' } },
    );
    const spanish = new ConversationDriver(graph);
    spanish.send(speaking('es'));
    expect(spanish.trail).toEqual(['start→out', 'language→es', 'latam:waiting']);

    const english = new ConversationDriver(graph);
    english.send(speaking('en'));
    expect(english.trail).toEqual(['start→out', 'language→else', 'global:waiting']);
  });
});
