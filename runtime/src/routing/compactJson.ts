/**
 * A lossless, deterministic packing of JSON values for shard checkpoints. Thousands of live
 * conversation states share their object shapes (the same keys in the same order) and most of
 * their strings (version ids, node ids, statuses, team and agent ids); written once each in a
 * table instead of per conversation, a state shrinks to roughly its unique ids and numbers.
 *
 * Packed form of a value:
 * - number, boolean, null, and strings seen only once: as they are;
 * - an object: `[shapeIndex, ...values]`, shapeIndex ≥ 0 into `shapes` (the object's keys);
 * - an array: `[ARRAY, ...items]`;
 * - a string seen more than once: `[STRING, stringIndex]` into `strings`;
 * - within one top-level value, the first inline string of ANCHOR_LENGTH or more (a state's
 *   conversation id) is its anchor, and later strings that start with it (execution ids, timer
 *   keys) are `[ANCHORED, rest]`.
 * Plain values are never arrays, so the first element of an array tells the three apart.
 * Runs inside workflow code: no I/O, iteration order only from the input.
 */
export interface PackedValues {
  shapes: string[][];
  strings: string[];
  values: unknown[];
}

const ARRAY = -1;
const STRING = -2;
const ANCHORED = -3;
const ANCHOR_LENGTH = 8;
/** Shorter strings cost less inline than as a reference. */
const MIN_SHARED_STRING = 4;

export function packValues(values: readonly unknown[]): PackedValues {
  // Counted once per top-level value: a string repeated inside one state only (its conversation
  // id) is no help in the shared table.
  const counts = new Map<string, number>();
  const collect = (value: unknown, seen: Set<string>): void => {
    if (typeof value === 'string') {
      if (value.length >= MIN_SHARED_STRING) seen.add(value);
    } else if (Array.isArray(value)) for (const item of value) collect(item, seen);
    else if (value !== null && typeof value === 'object')
      for (const item of Object.values(value)) collect(item, seen);
  };
  for (const value of values) {
    const seen = new Set<string>();
    collect(value, seen);
    for (const text of seen) counts.set(text, (counts.get(text) ?? 0) + 1);
  }

  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  for (const [text, count] of counts) {
    if (count < 2) continue;
    stringIndex.set(text, strings.length);
    strings.push(text);
  }
  const shapes: string[][] = [];
  const shapeIndex = new Map<string, number>();
  let anchor: string | null = null;
  const pack = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const index = stringIndex.get(value);
      if (index !== undefined) return [STRING, index];
      if (anchor !== null && value.startsWith(anchor)) return [ANCHORED, value.slice(anchor.length)];
      if (anchor === null && value.length >= ANCHOR_LENGTH) anchor = value;
      return value;
    }
    if (Array.isArray(value)) return [ARRAY, ...value.map(pack)];
    if (value === null || typeof value !== 'object') return value;
    // `undefined` properties vanish in JSON anyway; leaving them out keeps shapes shared.
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    const keys = entries.map(([key]) => key);
    const signature = JSON.stringify(keys);
    let index = shapeIndex.get(signature);
    if (index === undefined) {
      index = shapes.length;
      shapeIndex.set(signature, index);
      shapes.push(keys);
    }
    return [index, ...entries.map(([, item]) => pack(item))];
  };
  return {
    shapes,
    strings,
    values: values.map((value) => {
      anchor = null;
      return pack(value);
    }),
  };
}

export function unpackValues(packed: PackedValues): unknown[] {
  let anchor: string | null = null;
  const unpack = (value: unknown): unknown => {
    if (typeof value === 'string') {
      if (anchor === null && value.length >= ANCHOR_LENGTH) anchor = value;
      return value;
    }
    if (!Array.isArray(value)) return value;
    const tag = value[0] as number;
    if (tag === STRING) return packed.strings[value[1] as number];
    if (tag === ANCHORED) {
      if (anchor === null) throw new Error('packed string refers to a missing anchor');
      return anchor + (value[1] as string);
    }
    if (tag === ARRAY) return value.slice(1).map(unpack);
    const keys = packed.shapes[tag];
    if (!keys) throw new Error(`packed object refers to unknown shape ${tag}`);
    const object: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) object[keys[i] as string] = unpack(value[i + 1]);
    return object;
  };
  return packed.values.map((value) => {
    anchor = null;
    return unpack(value);
  });
}
