import { findNodeType, ruleFieldSchema, valueShapes } from '@switchboard/nodes';
import { describe, expect, it } from 'vitest';
import { adaptValue, operatorsFor } from './ruleControls';

const ifSchema = findNodeType('condition.if')?.configSchema;

describe('rule form controls', () => {
  it('offers for each field only operators the If schema accepts for it', () => {
    if (!ifSchema) throw new Error('no If node');
    for (const field of ruleFieldSchema.options) {
      const offered = operatorsFor(field);
      expect(offered.length, field).toBeGreaterThan(0);
      for (const operator of offered) {
        const rule = { field, fieldKey: 'plan', operator, value: sampleValue(field, operator) };
        const parsed = ifSchema.safeParse({ group: { combinator: 'and', rules: [rule] } });
        expect(parsed.success, `${field} ${operator}: ${parsed.error?.message}`).toBe(true);
      }
    }
    expect(operatorsFor('window.open')).toEqual(['is_true', 'is_false']);
    expect(operatorsFor('conversation.ageMinutes')).toEqual(['greater_than', 'less_than']);
  });

  it('keeps what it can of a value when the operator changes shape', () => {
    expect(adaptValue('texts', 'vip')).toEqual(['vip']);
    expect(adaptValue('texts', '  ')).toBeUndefined();
    expect(adaptValue('text', ['vip', 'gold'])).toBe('vip');
    expect(adaptValue('text', 30)).toBe('30');
    expect(adaptValue('number', '30')).toBeUndefined();
    expect(adaptValue('none', 'anything')).toBeUndefined();
  });
});

/** A value of the shape the operator takes, from the field's closed list where it has one. */
function sampleValue(field: string, operator: keyof typeof valueShapes) {
  const text = field === 'conversation.priority' ? 'high' : field === 'message.type' ? 'text' : 'refund';
  switch (valueShapes[operator]) {
    case 'none':
      return undefined;
    case 'number':
      return 30;
    case 'text':
      return text;
    case 'texts':
      return [text];
  }
}
