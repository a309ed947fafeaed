import type { RoutedEvent } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { branch, chain, conversationFacts, inboundMessage, tagChanged } from '../../testing/builders';
import { ConversationDriver } from '../../testing/drive';
import { ifCondition } from '.';
import { CUSTOMER_SERVICE_WINDOW_MS, evaluateGroup, readField } from './evaluateRules';
import { fieldKinds, ifConfigSchema, ruleFieldSchema } from './schema';

const OPENED_AT = 1_700_000_000_000;
const MINUTE = 60_000;

/** Whether `group`, as the editor saves it, holds for `event` at `now`. */
function decide(group: unknown, event: RoutedEvent = inboundMessage(), now = OPENED_AT): string {
  return String(evaluateGroup(ifConfigSchema.parse({ group }).group, { event, now }));
}

function rule(field: string, operator: string, value?: unknown, fieldKey?: string) {
  return { combinator: 'and', rules: [{ field, operator, value, fieldKey }] };
}

function problems(group: unknown) {
  return ifConfigSchema
    .safeParse({ group })
    .error?.issues.map((issue) => [issue.path.join('.'), issue.message]);
}

const withFacts = (facts: Parameters<typeof conversationFacts>[0], text = 'hello') =>
  inboundMessage({ text, facts: conversationFacts(facts) });

describe('condition.if: rules on the message', () => {
  it('"contains" finds the words whatever their case; "does not contain" is its opposite', () => {
    const refund = inboundMessage({ text: 'I want a REFUND for order 123' });
    expect(decide(rule('message.text', 'contains', 'refund'), refund)).toBe('true');
    expect(decide(rule('message.text', 'not_contains', 'refund'), refund)).toBe('false');
    expect(decide(rule('message.text', 'contains', 'cancel'), refund)).toBe('false');
  });

  it('"is" compares the whole message, ignoring case and surrounding spaces', () => {
    expect(decide(rule('message.text', 'equals', 'yes'), inboundMessage({ text: ' Yes ' }))).toBe('true');
    expect(decide(rule('message.text', 'equals', 'yes'), inboundMessage({ text: 'yes please' }))).toBe(
      'false',
    );
    expect(decide(rule('message.text', 'starts_with', 'oi'), inboundMessage({ text: 'Oi, tudo bem?' }))).toBe(
      'true',
    );
  });

  it('"matches regex" finds an order number, in Arabic digits too', () => {
    const orderNumber = rule('message.text', 'matches_regex', '#\\d{3,}');
    expect(decide(orderNumber, inboundMessage({ text: 'where is #4521?' }))).toBe('true');
    expect(decide(orderNumber, inboundMessage({ text: 'الطلب #٤٥٢١' }))).toBe('true');
    expect(decide(orderNumber, inboundMessage({ text: 'where is my order?' }))).toBe('false');
  });

  it('reads the message type, and knows events without a message have none', () => {
    const photo = inboundMessage({ messageType: 'image', text: null });
    expect(decide(rule('message.type', 'in', ['image', 'video']), photo)).toBe('true');
    const tapped = inboundMessage({
      messageType: 'interactive',
      text: 'Falar com vendas',
      replyId: 'talk-to-sales',
    });
    expect(decide(rule('message.replyId', 'equals', 'talk-to-sales'), tapped)).toBe('true');
    expect(decide(rule('message.replyId', 'equals', 'talk-to-sales'), photo)).toBe('false');
    const fromAd = inboundMessage({ referralSourceId: 'AD-77' });
    expect(decide(rule('message.referralSourceId', 'in', ['AD-77', 'AD-78']), fromAd)).toBe('true');
    expect(decide(rule('message.referralSourceId', 'is_empty'), photo)).toBe('true');
    expect(decide(rule('message.type', 'equals', 'text'), photo)).toBe('false');
    expect(decide(rule('message.type', 'is_empty'), tagChanged())).toBe('true');
    // A message without text (a photo) reads as '' so "is empty" holds.
    expect(decide(rule('message.text', 'is_empty'), photo)).toBe('true');
  });
});

describe('condition.if: rules on the contact and the conversation', () => {
  it('an unknown contact name equals nothing, so "is not" holds and "is empty" holds', () => {
    const anonymous = withFacts({ contact: { name: null, language: null, fields: {} } });
    expect(decide(rule('contact.name', 'equals', 'Maria'), anonymous)).toBe('false');
    expect(decide(rule('contact.name', 'not_equals', 'Maria'), anonymous)).toBe('true');
    expect(decide(rule('contact.name', 'is_empty'), anonymous)).toBe('true');
    expect(decide(rule('contact.name', 'is_not_empty'), inboundMessage())).toBe('true');
  });

  it('reads a named contact field and the contact language', () => {
    const gold = withFacts({ contact: { name: 'Ana', language: 'pt-BR', fields: { plan: 'Gold' } } });
    expect(decide(rule('contact.field', 'equals', 'gold', 'plan'), gold)).toBe('true');
    expect(decide(rule('contact.field', 'is_empty', undefined, 'customerId'), gold)).toBe('true');
    expect(decide(rule('contact.language', 'in', ['pt-br', 'pt-PT']), gold)).toBe('true');
    expect(decide(rule('contact.language', 'starts_with', 'es'), gold)).toBe('false');
  });

  it('tags: "contains" is one tag, "is one of" any of several, "is none of" none of them', () => {
    const tagged = withFacts({ tags: ['VIP', 'billing'] });
    expect(decide(rule('conversation.tags', 'contains', 'vip'), tagged)).toBe('true');
    expect(decide(rule('conversation.tags', 'contains', 'bill'), tagged)).toBe('false');
    expect(decide(rule('conversation.tags', 'in', ['gold', 'billing']), tagged)).toBe('true');
    expect(decide(rule('conversation.tags', 'not_in', ['gold', 'billing']), tagged)).toBe('false');
    expect(decide(rule('conversation.tags', 'is_empty'), withFacts({ tags: [] }))).toBe('true');
  });

  it('reads priority and the business number the customer wrote to', () => {
    const urgent = inboundMessage({
      businessNumberId: '200',
      facts: conversationFacts({ priority: 'urgent' }),
    });
    expect(decide(rule('conversation.priority', 'in', ['high', 'urgent']), urgent)).toBe('true');
    expect(decide(rule('conversation.businessNumber', 'equals', '200'), urgent)).toBe('true');
    expect(decide(rule('conversation.businessNumber', 'equals', 100), urgent)).toBe('false');
  });

  it('the age is the minutes since the conversation opened', () => {
    const event = withFacts({ openedAt: OPENED_AT });
    expect(decide(rule('conversation.ageMinutes', 'greater_than', 30), event, OPENED_AT + 45 * MINUTE)).toBe(
      'true',
    );
    expect(decide(rule('conversation.ageMinutes', 'less_than', 30), event, OPENED_AT + 45 * MINUTE)).toBe(
      'false',
    );
    expect(decide(rule('conversation.ageMinutes', 'greater_than', 30), event, OPENED_AT + 30 * MINUTE)).toBe(
      'false',
    );
  });

  it('the 24-hour window is open until exactly 24 hours after the customer’s last message', () => {
    const lastInbound = withFacts({ lastInboundAt: OPENED_AT });
    const open = rule('window.open', 'is_true');
    expect(decide(open, lastInbound, OPENED_AT + CUSTOMER_SERVICE_WINDOW_MS - 1)).toBe('true');
    expect(decide(open, lastInbound, OPENED_AT + CUSTOMER_SERVICE_WINDOW_MS)).toBe('false');
    expect(decide(rule('window.open', 'is_false'), withFacts({ lastInboundAt: null }))).toBe('true');
  });

  it('every field reads a value of the kind its operators are checked for', () => {
    for (const field of ruleFieldSchema.options) {
      expect([field, readField(field, 'plan', { event: inboundMessage(), now: OPENED_AT }).kind]).toEqual([
        field,
        fieldKinds[field],
      ]);
    }
  });
});

describe('condition.if: groups', () => {
  // VIPs, or urgent conversations that ask for a refund.
  const vipOrUrgentRefund = {
    combinator: 'or',
    rules: [
      { field: 'conversation.tags', operator: 'contains', value: 'vip' },
      {
        combinator: 'and',
        rules: [
          { field: 'conversation.priority', operator: 'equals', value: 'urgent' },
          { field: 'message.text', operator: 'contains', value: 'refund' },
        ],
      },
    ],
  };

  it('combine rules with "and" and "or", nested', () => {
    expect(decide(vipOrUrgentRefund, withFacts({ tags: ['vip'] }, 'hi'))).toBe('true');
    expect(decide(vipOrUrgentRefund, withFacts({ priority: 'urgent' }, 'refund now'))).toBe('true');
    expect(decide(vipOrUrgentRefund, withFacts({ priority: 'urgent' }, 'hello'))).toBe('false');
    expect(decide(vipOrUrgentRefund, withFacts({ priority: 'normal' }, 'refund now'))).toBe('false');
  });

  it('the card shows the first rule and how many more', () => {
    const config = ifConfigSchema.parse({ group: vipOrUrgentRefund });
    expect(ifCondition.summary(config)).toBe('tags contains “vip” or 1 more');
    expect(ifCondition.summary(ifConfigSchema.parse({ group: rule('window.open', 'is_true') }))).toBe(
      '24-hour window is open',
    );
  });
});

describe('condition.if: configuration mistakes are reported where they are', () => {
  it('a contact field without its name', () => {
    expect(problems(rule('contact.field', 'equals', 'gold'))).toEqual([
      ['group.rules.0.fieldKey', 'name the contact field'],
    ]);
  });

  it('an operator that does not fit the field, and a value that does not fit the operator', () => {
    expect(problems(rule('message.text', 'greater_than', 3))?.[0]?.[0]).toBe('group.rules.0.operator');
    expect(problems(rule('conversation.ageMinutes', 'greater_than', '30'))).toEqual([
      ['group.rules.0.value', 'enter a number'],
    ]);
    expect(problems(rule('message.text', 'contains', ''))).toEqual([
      ['group.rules.0.value', 'enter a value'],
    ]);
    expect(problems(rule('conversation.tags', 'in', []))).toEqual([
      ['group.rules.0.value', 'list at least one value'],
    ]);
  });

  it('a message type or priority that does not exist', () => {
    expect(problems(rule('message.type', 'equals', 'photo'))?.[0]?.[1]).toMatch(/^use one of text, image/);
    expect(problems(rule('conversation.priority', 'in', ['high', 'critical']))?.[0]?.[1]).toMatch(
      /^use values among low, normal, high, urgent/,
    );
  });

  it('a regular expression that does not compile, or that could not be matched safely', () => {
    expect(problems(rule('message.text', 'matches_regex', '(refund'))?.[0]).toEqual([
      'group.rules.0.value',
      expect.stringMatching(/Invalid regular expression/),
    ]);
    expect(problems(rule('message.text', 'matches_regex', '(a)\\1'))?.[0]?.[1]).toMatch(/back-references/);
  });

  it('a mistake inside a nested group points into that group', () => {
    const nested = { rules: [{ rules: [{ field: 'message.text', operator: 'sounds_like', value: 'x' }] }] };
    expect(problems(nested)?.[0]?.[0]).toBe('group.rules.0.rules.0.operator');
  });

  it('empty groups, and groups nested more than five deep', () => {
    expect(problems({ combinator: 'and', rules: [] })).toEqual([['group.rules', 'add a rule']]);
    let group: Record<string, unknown> = rule('window.open', 'is_true');
    for (let depth = 1; depth < 6; depth += 1) group = { combinator: 'and', rules: [group] };
    expect(problems(group)).toEqual([
      ['group.rules.0.rules.0.rules.0.rules.0.rules.0', 'groups nest at most 5 deep'],
    ]);
  });
});

describe('condition.if in a workflow', () => {
  const graph = branch(
    chain(
      { id: 'start', type: 'trigger.messageReceived' },
      {
        id: 'isRefund',
        type: 'condition.if',
        config: { group: rule('message.text', 'contains', 'refund') },
        via: 'true',
      },
      { id: 'refunds', type: 'action.tag', config: { tag: 'refund' } },
    ),
    'isRefund',
    'false',
    { id: 'general', type: 'action.tag', config: { tag: 'general' } },
  );

  it('a refund request goes down "true", anything else down "false"', () => {
    const refund = new ConversationDriver(graph);
    refund.send(inboundMessage({ text: 'Refund please' }));
    expect(refund.trail).toEqual(['start→out', 'isRefund→true', 'refunds→out']);

    const other = new ConversationDriver(graph);
    other.send(inboundMessage({ text: 'What are your opening hours?' }));
    expect(other.trail).toEqual(['start→out', 'isRefund→false', 'general→out']);
  });

  it('after a wait the message text is gone (state keeps no bodies), so text rules see none', () => {
    const driver = new ConversationDriver(
      branch(
        chain(
          { id: 'start', type: 'trigger.messageReceived' },
          { id: 'pause', type: 'flow.wait', config: { mode: 'duration', minutes: 5 } },
          {
            id: 'isRefund',
            type: 'condition.if',
            config: { group: rule('message.text', 'contains', 'refund') },
            via: 'false',
          },
          { id: 'general', type: 'action.tag', config: { tag: 'general' } },
        ),
        'isRefund',
        'true',
        { id: 'refunds', type: 'action.tag', config: { tag: 'refund' } },
      ),
    );
    driver.send(inboundMessage({ text: 'Refund please' }));
    driver.fireTimer();
    expect(driver.trail.slice(-2)).toEqual(['isRefund→false', 'general→out']);
  });
});
