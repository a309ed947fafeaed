import { ROUTED_TEXT_LIMIT } from '@switchboard/shared';

/**
 * The matching machine behind text patterns (see textPattern.ts): a parsed pattern becomes a list
 * of instructions, and the text is read once, left to right, keeping every instruction the pattern
 * could be at. Each instruction is visited at most once per position, hence the linear time.
 */

/** A pattern this machine cannot match; the message is shown to the manager. */
export class UnsupportedPattern extends Error {}

type Assertion = 'start' | 'end' | 'wordBoundary' | 'notWordBoundary';

export type PatternNode =
  /** One code point, tested by a native expression that can only ever look at that code point. */
  | { kind: 'char'; regex: RegExp }
  | { kind: 'sequence'; items: PatternNode[] }
  | { kind: 'choice'; options: PatternNode[] }
  | { kind: 'repeat'; item: PatternNode; min: number; max: number }
  | { kind: 'assert'; at: Assertion };

/** Letters, marks, numbers and connectors of every script: what `\w` and `\b` mean here. */
export const WORD_CLASS = '\\p{L}\\p{M}\\p{N}\\p{Pc}';
const WORD_CHAR = new RegExp(`^[${WORD_CLASS}]$`, 'u');
/** Bounds the machine built from one pattern; `{1,100}` copies its item a hundred times. */
const INSTRUCTION_LIMIT = 2_000;

export function buildMatcher(pattern: PatternNode): { test(text: string): boolean } {
  const builder = new ProgramBuilder();
  const start = builder.compile(pattern, MATCH);
  return new PatternMatcher(builder.program, start);
}

type Instruction =
  | { op: 'match' }
  | { op: 'char'; regex: RegExp; next: number }
  | { op: 'split'; next: number; alt: number }
  | { op: 'assert'; at: Assertion; next: number };

const MATCH = 0;

/** Compiles the pattern back to front: each piece is emitted knowing where it continues. */
class ProgramBuilder {
  readonly program: Instruction[] = [{ op: 'match' }];

  compile(node: PatternNode, next: number): number {
    switch (node.kind) {
      case 'char':
        return this.emit({ op: 'char', regex: node.regex, next });
      case 'assert':
        return this.emit({ op: 'assert', at: node.at, next });
      case 'sequence':
        return node.items.reduceRight((entry, item) => this.compile(item, entry), next);
      case 'choice':
        return node.options
          .map((option) => this.compile(option, next))
          .reduceRight((rest, entry) => this.emit({ op: 'split', next: entry, alt: rest }));
      case 'repeat':
        return this.compileRepeat(node, next);
    }
  }

  private compileRepeat({ item, min, max }: { item: PatternNode; min: number; max: number }, next: number) {
    let entry = next;
    if (Number.isFinite(max)) {
      for (let copy = min; copy < max; copy += 1) {
        entry = this.emit({ op: 'split', next: this.compile(item, entry), alt: next });
      }
    } else {
      const loop = { op: 'split' as const, next, alt: next };
      entry = this.emit(loop);
      loop.next = this.compile(item, entry);
    }
    for (let copy = 0; copy < min; copy += 1) entry = this.compile(item, entry);
    return entry;
  }

  private emit(instruction: Instruction): number {
    if (this.program.length >= INSTRUCTION_LIMIT) {
      throw new UnsupportedPattern('the pattern is too complex; split it into simpler keywords');
    }
    this.program.push(instruction);
    return this.program.length - 1;
  }
}

/** Runs the program over the text keeping, per position, the set of places the pattern could be at. */
class PatternMatcher {
  constructor(
    private readonly program: Instruction[],
    private readonly start: number,
  ) {}

  test(text: string): boolean {
    const chars = Array.from(text.normalize('NFC').slice(0, ROUTED_TEXT_LIMIT));
    const seen = new Uint32Array(this.program.length);
    let threads: { regex: RegExp; next: number }[] = [];
    if (this.follow(this.start, 0, chars, threads, seen, 1)) return true;
    for (let position = 0; position < chars.length; position += 1) {
      const char = chars[position] ?? '';
      const generation = position + 2;
      const advanced: typeof threads = [];
      for (const thread of threads) {
        if (
          thread.regex.test(char) &&
          this.follow(thread.next, position + 1, chars, advanced, seen, generation)
        ) {
          return true;
        }
      }
      // Any later position may begin an occurrence, as with an unanchored RegExp#test.
      if (this.follow(this.start, position + 1, chars, advanced, seen, generation)) return true;
      threads = advanced;
    }
    return false;
  }

  /** Adds the character tests reachable from `from` without consuming text; true on reaching the end. */
  private follow(
    from: number,
    position: number,
    chars: string[],
    threads: { regex: RegExp; next: number }[],
    seen: Uint32Array,
    generation: number,
  ): boolean {
    const pending = [from];
    for (let pc = pending.pop(); pc !== undefined; pc = pending.pop()) {
      const instruction = this.program[pc];
      if (!instruction || seen[pc] === generation) continue;
      seen[pc] = generation;
      switch (instruction.op) {
        case 'match':
          return true;
        case 'char':
          threads.push(instruction);
          break;
        case 'split':
          pending.push(instruction.alt, instruction.next);
          break;
        case 'assert':
          if (holds(instruction.at, position, chars)) pending.push(instruction.next);
          break;
      }
    }
    return false;
  }
}

function holds(assertion: Assertion, position: number, chars: string[]): boolean {
  switch (assertion) {
    case 'start':
      return position === 0;
    case 'end':
      return position === chars.length;
    case 'wordBoundary':
      return isWordChar(chars[position - 1]) !== isWordChar(chars[position]);
    case 'notWordBoundary':
      return isWordChar(chars[position - 1]) === isWordChar(chars[position]);
  }
}

function isWordChar(char: string | undefined): boolean {
  return char !== undefined && WORD_CHAR.test(char);
}
