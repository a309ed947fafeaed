import { findNodeType, nodeCatalog } from '@switchboard/nodes';
import { describe, expect, it } from 'vitest';
import { defaultConfig, describeSchema, type FieldSpec } from './schemaFields';

function schemaOf(type: string) {
  const nodeType = findNodeType(type);
  if (!nodeType) throw new Error(`no ${type}`);
  return nodeType.configSchema;
}

function fieldOf(spec: FieldSpec, key: string) {
  if (spec.kind !== 'object') throw new Error(`expected an object, got ${spec.kind}`);
  return spec.fields.find((f) => f.key === key);
}

describe('forms from node schemas', () => {
  it('reads enums, booleans, optional fields and defaults off the assign schema', () => {
    const spec = describeSchema(schemaOf('assign'));
    expect(fieldOf(spec, 'strategy')).toMatchObject({
      spec: { kind: 'enum', options: expect.arrayContaining(['round_robin', 'skill_match']) },
      defaultValue: 'round_robin',
    });
    expect(fieldOf(spec, 'teamId')).toMatchObject({ spec: { kind: 'text' }, optional: true });
    expect(fieldOf(spec, 'onlyOnline')).toMatchObject({ spec: { kind: 'boolean' }, defaultValue: true });
    expect(fieldOf(spec, 'skills')?.spec).toMatchObject({ kind: 'array', item: { kind: 'object' } });
  });

  it('reads number bounds and integer-ness', () => {
    const steps = fieldOf(describeSchema(schemaOf('flow.escalationLadder')), 'steps')?.spec;
    const item = steps?.kind === 'array' ? steps.item : null;
    expect(item && fieldOf(item, 'afterMinutes')?.spec).toMatchObject({ kind: 'number', min: 0 });
    const day = fieldOf(describeSchema(schemaOf('condition.businessHours')), 'weekly')?.spec;
    const interval = day?.kind === 'array' ? day.item : null;
    expect(interval && fieldOf(interval, 'day')?.spec).toMatchObject({
      kind: 'number',
      integer: true,
      min: 0,
      max: 6,
    });
  });

  it('turns a discriminated union into variants, one per option', () => {
    const spec = describeSchema(schemaOf('flow.wait'));
    expect(spec).toMatchObject({ kind: 'variants', discriminator: 'mode' });
    expect(spec.kind === 'variants' && spec.options.map((o) => o.value)).toEqual(['duration', 'until']);
  });

  it('falls back to JSON for recursive rule groups instead of looping', () => {
    const group = fieldOf(describeSchema(schemaOf('condition.if')), 'group')?.spec;
    expect(group?.kind).toBe('object');
    const rules = group && fieldOf(group, 'rules')?.spec;
    expect(rules).toEqual({ kind: 'array', item: { kind: 'json' } });
  });

  it('starts every catalog type from its declared defaults, required fields left for the manager', () => {
    expect(defaultConfig(schemaOf('flow.waitForAcknowledgement'))).toEqual({
      waitFor: 'acknowledgement',
      timeoutMinutes: 15,
    });
    expect(defaultConfig(schemaOf('condition.businessHours'))).not.toHaveProperty('timeZone');
    expect(defaultConfig(schemaOf('flow.wait'))).toEqual({ mode: 'duration' });
    for (const nodeType of nodeCatalog) {
      expect(() => describeSchema(nodeType.configSchema), nodeType.type).not.toThrow();
    }
  });
});
