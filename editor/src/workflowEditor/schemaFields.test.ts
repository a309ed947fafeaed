import { findNodeType, nodeCatalog } from '@switchboard/nodes';
import { describe, expect, it } from 'vitest';
import { defaultConfig, describeSchema, drawsPath, type FieldSpec } from './schemaFields';

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

  it('gives the If node one rule-group editor and the Switch node typed operator and value fields', () => {
    const group = fieldOf(describeSchema(schemaOf('condition.if')), 'group')?.spec;
    expect(group).toEqual({ kind: 'ruleGroup' });
    const switchSpec = describeSchema(schemaOf('condition.switch'));
    expect(fieldOf(switchSpec, 'field')?.spec).toMatchObject({
      kind: 'ruleField',
      options: expect.arrayContaining(['conversation.tags', 'window.open']),
    });
    const cases = fieldOf(switchSpec, 'cases')?.spec;
    const item = cases?.kind === 'array' ? cases.item : null;
    expect(item && fieldOf(item, 'operator')?.spec).toEqual({ kind: 'ruleOperator' });
    expect(item && fieldOf(item, 'value')).toMatchObject({ spec: { kind: 'ruleValue' }, optional: true });
    expect(fieldOf(describeSchema(schemaOf('action.httpRequest')), 'headers')?.spec).toEqual({
      kind: 'record',
    });
  });

  it('draws every field of every catalog node as a form control, none as raw JSON', () => {
    const jsonPaths = (spec: FieldSpec, path: string): string[] => {
      switch (spec.kind) {
        case 'json':
          return [path];
        case 'array':
          return jsonPaths(spec.item, `${path}[]`);
        case 'object':
          return spec.fields.flatMap((f) => jsonPaths(f.spec, `${path}.${f.key}`));
        case 'variants':
          return spec.options.flatMap((o) => jsonPaths(o.spec, `${path}<${o.value}>`));
        default:
          return [];
      }
    };
    const fallbacks = nodeCatalog.flatMap((nodeType) =>
      jsonPaths(describeSchema(nodeType.configSchema), nodeType.type),
    );
    expect(fallbacks).toEqual([]);
  });

  it('knows which error paths the form has a place for', () => {
    const ifSpec = describeSchema(schemaOf('condition.if'));
    expect(drawsPath(ifSpec, 'group.rules.1.rules.0.value'.split('.'))).toBe(true);
    const switchSpec = describeSchema(schemaOf('condition.switch'));
    expect(drawsPath(switchSpec, 'cases.0.value'.split('.'))).toBe(true);
    expect(drawsPath(switchSpec, 'cases.first.value'.split('.'))).toBe(false);
    expect(drawsPath(switchSpec, ['nonsense'])).toBe(false);
    const httpSpec = describeSchema(schemaOf('action.httpRequest'));
    expect(drawsPath(httpSpec, ['headers', 'X-Token'])).toBe(true);
    expect(drawsPath(httpSpec, ['headers', 'X-Token', 'deeper'])).toBe(false);
  });

  it('starts every catalog type from its declared defaults, required fields left for the manager', () => {
    expect(defaultConfig(schemaOf('flow.waitForAcknowledgement'))).toEqual({
      waitFor: 'acknowledgement',
      timeoutMinutes: 15,
    });
    expect(defaultConfig(schemaOf('condition.businessHours'))).not.toHaveProperty('timeZone');
    expect(defaultConfig(schemaOf('flow.wait'))).toEqual({ mode: 'duration' });
    // An If node starts with an empty AND group, so the form opens on "add a rule", not on nothing.
    expect(defaultConfig(schemaOf('condition.if'))).toEqual({ group: { combinator: 'and', rules: [] } });
    for (const nodeType of nodeCatalog) {
      expect(() => describeSchema(nodeType.configSchema), nodeType.type).not.toThrow();
    }
  });
});
