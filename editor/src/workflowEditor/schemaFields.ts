import { ruleFieldSchema, ruleGroupSchema, ruleOperatorSchema, ruleValueSchema } from '@switchboard/nodes';
import type { z } from 'zod';

/**
 * What a form needs to know about one value of a node's config, read off its zod schema so that the
 * inspector never drifts from what validation accepts. The rule schemas shared by the If and Switch
 * nodes get kinds of their own: what a rule's value may be depends on its field and operator, which
 * no generic control can know. Kinds the form cannot draw (free unions) fall back to a JSON text area
 * rather than being silently dropped.
 */
export type FieldSpec =
  | { kind: 'text' }
  | { kind: 'number'; integer: boolean; min: number | null; max: number | null }
  | { kind: 'boolean' }
  | { kind: 'enum'; options: string[] }
  | { kind: 'literal'; value: unknown }
  | { kind: 'array'; item: FieldSpec }
  | { kind: 'object'; fields: ObjectField[] }
  | { kind: 'variants'; discriminator: string; options: VariantOption[] }
  /** String keys to string values (HTTP headers): rows of name and value. */
  | { kind: 'record' }
  /** An If node's AND/OR group of rules and nested groups. */
  | { kind: 'ruleGroup' }
  /** What a rule or switch looks at; sets which operators and values the fields beside it offer. */
  | { kind: 'ruleField'; options: string[] }
  | { kind: 'ruleOperator' }
  | { kind: 'ruleValue' }
  | { kind: 'json' };

export type ObjectField = {
  key: string;
  spec: FieldSpec;
  /** Absent is allowed (optional or defaulted); the form offers to clear it. */
  optional: boolean;
  defaultValue: unknown;
};

export type VariantOption = { value: string; spec: Extract<FieldSpec, { kind: 'object' }> };

type AnySchema = z.core.$ZodType;
type Def = { type: string } & Record<string, unknown>;

function defOf(schema: AnySchema): Def {
  return schema._zod.def as unknown as Def;
}

/** Unwraps optional/default/nullable/readonly/pipe, collecting what they say about absence. */
function unwrap(schema: AnySchema): { inner: AnySchema; optional: boolean; defaultValue: unknown } {
  let current = schema;
  let optional = false;
  let defaultValue: unknown;
  for (let depth = 0; depth < 10; depth += 1) {
    const def = defOf(current);
    if (def.type === 'optional' || def.type === 'nullable' || def.type === 'readonly') {
      optional ||= def.type === 'optional';
      current = def.innerType as AnySchema;
    } else if (def.type === 'default' || def.type === 'prefault') {
      optional = true;
      if (defaultValue === undefined) defaultValue = structuredClone(def.defaultValue);
      current = def.innerType as AnySchema;
    } else if (def.type === 'pipe') {
      current = def.in as AnySchema;
    } else {
      break;
    }
  }
  return { inner: current, optional, defaultValue };
}

function numberBounds(def: Def): { integer: boolean; min: number | null; max: number | null } {
  let integer = false;
  let min: number | null = null;
  let max: number | null = null;
  const checks = (def.checks as Array<{ _zod: { def: Record<string, unknown> } }> | undefined) ?? [];
  for (const check of checks) {
    const c = check._zod.def;
    if (c.check === 'number_format' && String(c.format).includes('int')) integer = true;
    if (c.check === 'greater_than' && typeof c.value === 'number') min = c.value;
    if (c.check === 'less_than' && typeof c.value === 'number') max = c.value;
  }
  return { integer, min, max };
}

function describeObject(def: Def, seen: Set<AnySchema>): Extract<FieldSpec, { kind: 'object' }> {
  const shape = def.shape as Record<string, AnySchema>;
  const fields = Object.entries(shape).flatMap(([key, child]): ObjectField[] => {
    const { inner, optional, defaultValue } = unwrap(child);
    // `field: z.undefined()` marks a rule group apart from a rule; there is nothing to fill in.
    if (defOf(inner).type === 'undefined') return [];
    return [{ key, spec: describe(inner, seen), optional, defaultValue }];
  });
  return { kind: 'object', fields };
}

function describe(schema: AnySchema, seen: Set<AnySchema>): FieldSpec {
  const { inner } = unwrap(schema);
  if (inner === ruleGroupSchema) return { kind: 'ruleGroup' };
  if (inner === ruleFieldSchema) return { kind: 'ruleField', options: [...ruleFieldSchema.options] };
  if (inner === ruleOperatorSchema) return { kind: 'ruleOperator' };
  if (inner === ruleValueSchema) return { kind: 'ruleValue' };
  // Any other recursive schema is edited as JSON below its first level.
  if (seen.has(inner)) return { kind: 'json' };
  const def = defOf(inner);
  const next = new Set(seen).add(inner);
  switch (def.type) {
    case 'string':
      return { kind: 'text' };
    case 'number':
      return { kind: 'number', ...numberBounds(def) };
    case 'boolean':
      return { kind: 'boolean' };
    case 'enum':
      return { kind: 'enum', options: Object.values(def.entries as Record<string, string>) };
    case 'literal': {
      const values = def.values as unknown[];
      return { kind: 'literal', value: values[0] };
    }
    case 'array':
      return { kind: 'array', item: describe(def.element as AnySchema, next) };
    case 'object':
      return describeObject(def, next);
    case 'record': {
      const keyType = defOf(def.keyType as AnySchema).type;
      const valueType = defOf(unwrap(def.valueType as AnySchema).inner).type;
      return keyType === 'string' && valueType === 'string' ? { kind: 'record' } : { kind: 'json' };
    }
    case 'union': {
      const discriminator = def.discriminator as string | undefined;
      if (!discriminator) return { kind: 'json' };
      const options = (def.options as AnySchema[]).flatMap((option): VariantOption[] => {
        const optionDef = defOf(unwrap(option).inner);
        if (optionDef.type !== 'object') return [];
        const spec = describeObject(optionDef, next);
        const tag = spec.fields.find((field) => field.key === discriminator)?.spec;
        return tag?.kind === 'literal' ? [{ value: String(tag.value), spec }] : [];
      });
      // A union the form cannot split by one literal tag (rules vs. nested groups) is edited as JSON.
      if (options.length !== (def.options as AnySchema[]).length) return { kind: 'json' };
      return { kind: 'variants', discriminator, options };
    }
    default:
      return { kind: 'json' };
  }
}

export function describeSchema(schema: AnySchema): FieldSpec {
  return describe(schema, new Set());
}

/** A value a new field of this spec starts with, so that a fresh node is as close to valid as it can be. */
export function initialValue(spec: FieldSpec): unknown {
  switch (spec.kind) {
    case 'text':
      return '';
    case 'number':
      return spec.min !== null && spec.min > 0 ? spec.min : 0;
    case 'boolean':
      return false;
    case 'enum':
      return spec.options[0] ?? '';
    case 'literal':
      return spec.value;
    case 'array':
      return [];
    case 'object':
      return objectDefaults(spec);
    case 'variants': {
      const first = spec.options[0];
      return first ? objectDefaults(first.spec) : {};
    }
    case 'record':
      return {};
    case 'ruleGroup':
      return { combinator: 'and', rules: [] };
    case 'ruleField':
      return spec.options[0] ?? '';
    case 'ruleOperator':
      return 'equals';
    case 'ruleValue':
      return undefined;
    case 'json':
      return null;
  }
}

/**
 * The defaults of an object spec: declared defaults, literals and discriminators; required fields
 * without a default stay absent so that validation asks the manager for them.
 */
export function objectDefaults(spec: Extract<FieldSpec, { kind: 'object' }>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const field of spec.fields) {
    if (field.defaultValue !== undefined) result[field.key] = structuredClone(field.defaultValue);
    else if (field.spec.kind === 'literal') result[field.key] = field.spec.value;
    else if (!field.optional && (field.spec.kind === 'variants' || field.spec.kind === 'ruleGroup'))
      result[field.key] = initialValue(field.spec);
  }
  return result;
}

/** The config a node of this type starts with. */
export function defaultConfig(schema: AnySchema): Record<string, unknown> {
  const spec = describeSchema(schema);
  if (spec.kind === 'object') return objectDefaults(spec);
  if (spec.kind === 'variants') return initialValue(spec) as Record<string, unknown>;
  return {};
}

/**
 * Whether the form has a place for an error at this config path. Errors it has no place for (inside
 * a JSON-edited value, or on a key the form does not draw) are listed above the form, so none is lost.
 */
export function drawsPath(spec: FieldSpec, path: readonly string[]): boolean {
  const [head, ...rest] = path;
  if (head === undefined) return spec.kind !== 'json';
  switch (spec.kind) {
    case 'ruleGroup':
      // The group editor shows each group's and each rule's errors, however deep.
      return true;
    case 'record':
      return rest.length === 0;
    case 'array':
      return /^\d+$/.test(head) && drawsPath(spec.item, rest);
    case 'object': {
      const field = spec.fields.find((f) => f.key === head);
      return field !== undefined && drawsPath(field.spec, rest);
    }
    case 'variants':
      return (
        head === spec.discriminator ||
        spec.options.some((option) => {
          const field = option.spec.fields.find((f) => f.key === head);
          return field !== undefined && drawsPath(field.spec, rest);
        })
      );
    default:
      return false;
  }
}
