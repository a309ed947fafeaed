import type { RoutedEvent } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { chain, inboundMessage, tagChanged } from '../../testing/builders';
import { ConversationDriver } from '../../testing/drive';
import { keywordTrigger } from '.';
import { keywordConfigSchema } from './schema';

/** Whether a message with `text` starts a workflow whose trigger has `config`. */
function startsOn(config: Record<string, unknown>, text: string | null): boolean {
  return starts(config, inboundMessage({ text }));
}

function starts(config: Record<string, unknown>, event: RoutedEvent): boolean {
  const driver = new ConversationDriver(chain({ id: 'start', type: 'trigger.keyword', config }));
  driver.send(event);
  return driver.state.execution !== null;
}

describe('keyword trigger', () => {
  it('by default finds the keyword anywhere in the message, whatever its case', () => {
    expect(startsOn({ keywords: ['refund'] }, 'I want a REFUND please')).toBe(true);
    expect(startsOn({ keywords: ['refund', 'reembolso'] }, 'Quero um reembolso')).toBe(true);
    expect(startsOn({ keywords: ['refund'] }, 'where is my order?')).toBe(false);
  });

  it('respects case when asked to', () => {
    expect(startsOn({ keywords: ['VIP'], caseSensitive: true }, 'vip access')).toBe(false);
    expect(startsOn({ keywords: ['VIP'], caseSensitive: true }, 'VIP access')).toBe(true);
  });

  it('"exact" and "starts with" ignore the spaces around what the customer typed', () => {
    expect(startsOn({ keywords: ['menu'], match: 'exact' }, '  Menu \n')).toBe(true);
    expect(startsOn({ keywords: ['menu'], match: 'exact' }, 'menu please')).toBe(false);
    expect(startsOn({ keywords: ['cancel'], match: 'starts_with' }, ' Cancel my order')).toBe(true);
    expect(startsOn({ keywords: ['cancel'], match: 'starts_with' }, 'please cancel')).toBe(false);
  });

  it('works with Arabic, accents and emoji', () => {
    expect(startsOn({ keywords: ['مساعدة'] }, 'مرحبا، أحتاج مساعدة من فضلك')).toBe(true);
    expect(startsOn({ keywords: ['ÉTÉ'] }, 'les soldes d’été')).toBe(true);
    // The keyword is typed composed (é), the message arrives decomposed (e + ◌́).
    expect(startsOn({ keywords: ['café'] }, 'cafe\u0301')).toBe(true);
    expect(startsOn({ keywords: ['🆘'], match: 'exact' }, '🆘')).toBe(true);
    expect(startsOn({ keywords: ['^🔥+$'], match: 'regex' }, '🔥🔥🔥')).toBe(true);
  });

  it('reads keywords as regular expressions in "regex" mode', () => {
    const orderNumber = { keywords: ['order\\s*#?\\d{5}'], match: 'regex' };
    expect(startsOn(orderNumber, 'Order #12345 has not arrived')).toBe(true);
    expect(startsOn(orderNumber, 'my order is late')).toBe(false);
  });

  it('never starts on events without text', () => {
    expect(startsOn({ keywords: ['refund'] }, null)).toBe(false);
    expect(starts({ keywords: ['vip'] }, tagChanged({ tag: 'vip' }))).toBe(false);
  });

  it('rejects a keyword that is not a valid pattern, pointing at that keyword', () => {
    const parsed = keywordConfigSchema.safeParse({ keywords: ['refund', '(order'], match: 'regex' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['keywords', 1] });
    expect(parsed.error?.issues[0]?.message).toMatch(/Invalid regular expression/);
    // The same text is an ordinary keyword when not in regex mode.
    expect(keywordConfigSchema.safeParse({ keywords: ['(order'] }).success).toBe(true);
  });

  it('rejects an empty keyword list and blank keywords', () => {
    expect(keywordConfigSchema.safeParse({ keywords: [] }).error?.issues[0]?.message).toBe(
      'add at least one keyword',
    );
    expect(keywordConfigSchema.safeParse({ keywords: ['  '] }).error?.issues[0]).toMatchObject({
      path: ['keywords', 0],
      message: 'a keyword cannot be empty',
    });
  });

  it('the card reads like the rule', () => {
    const config = keywordConfigSchema.parse({ keywords: ['refund', 'reembolso'] });
    expect(keywordTrigger.summary(config)).toBe('message contains “refund” or “reembolso”');
  });

  it('starts the workflow on a matching message only', () => {
    const graph = chain(
      { id: 'start', type: 'trigger.keyword', config: { keywords: ['refund', 'reembolso'] } },
      { id: 'tag', type: 'action.tag', config: { tag: 'refund' } },
    );
    const ignored = new ConversationDriver(graph);
    ignored.send(inboundMessage({ text: 'good morning' }));
    expect(ignored.state.execution).toBeNull();

    const driver = new ConversationDriver(graph);
    driver.send(inboundMessage({ text: 'I need a Refund' }));
    expect(driver.trail).toEqual(['start→out', 'tag→out']);
    expect(driver.effects).toEqual([expect.objectContaining({ type: 'tag', tag: 'refund' })]);
  });
});
