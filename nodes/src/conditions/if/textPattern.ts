import { buildMatcher, type PatternNode, UnsupportedPattern, WORD_CLASS } from './patternProgram';

/**
 * Regular expressions written by managers (keyword triggers, "matches regex" rules) run inside the
 * router workflow, where one slow match stalls every conversation of the shard. JavaScript's
 * backtracking engine needs exponential time for `(a+)+x` and, on a 1,024-character message, minutes
 * for `.*.*.*x`: capping the text is not enough. So patterns are matched here by following every
 * path through the pattern at once (Thompson's construction): the work is at most text length ×
 * pattern size, whatever the pattern. The syntax is JavaScript's (`u` flag) minus the two features
 * no such matcher can offer, back-references and lookaround.
 *
 * Unlike JavaScript, `\w`, `\d` and `\b` know every script (`\w` = letters, marks, numbers and
 * connectors; `\d` = any decimal digit), so `\bشكرا\b` and `\d+` on "٤٢" work for Arabic customers.
 * Inside a character class only `\w` and `\d` are widened; `[\W]` and `[\D]` keep JavaScript's meaning.
 */
export interface TextPattern {
  /** Whether the pattern occurs anywhere in `text`, like `RegExp#test` without the `g` flag. */
  test(text: string): boolean;
}

export type CompiledPattern = { ok: true; pattern: TextPattern } | { ok: false; problem: string };

/** A keyword rule, not a program; with the repeat and instruction limits it bounds the matcher's size. */
export const PATTERN_LENGTH_LIMIT = 300;
const REPEAT_LIMIT = 100;

/** Folds text for comparisons without regular expressions: composed form, and lower case unless asked. */
export function foldText(text: string, caseSensitive = false): string {
  const composed = text.normalize('NFC');
  return caseSensitive ? composed : composed.toLowerCase();
}

/** Keyword triggers test every inbound message, and published graphs reuse the same few patterns. */
const compiledPatterns = new Map<string, CompiledPattern>();
const COMPILED_PATTERN_LIMIT = 500;

export function compileTextPattern(source: string, { caseSensitive = false } = {}): CompiledPattern {
  const flags = caseSensitive ? 'u' : 'iu';
  const key = `${flags}/${source}`;
  const known = compiledPatterns.get(key);
  if (known) return known;
  const compiled = compile(source, flags);
  if (compiledPatterns.size >= COMPILED_PATTERN_LIMIT) compiledPatterns.clear();
  compiledPatterns.set(key, compiled);
  return compiled;
}

function compile(source: string, flags: string): CompiledPattern {
  if (source.length > PATTERN_LENGTH_LIMIT) {
    return { ok: false, problem: `keep the pattern under ${PATTERN_LENGTH_LIMIT} characters` };
  }
  // Compiling (never running) the native expression checks the syntax with the messages people know.
  try {
    new RegExp(source, flags);
  } catch (error) {
    if (error instanceof SyntaxError) return { ok: false, problem: error.message };
    throw error;
  }
  try {
    return { ok: true, pattern: buildMatcher(new PatternParser(source, flags).parse()) };
  } catch (error) {
    if (error instanceof UnsupportedPattern) return { ok: false, problem: error.message };
    throw error;
  }
}

const SHORTHAND_CLASSES: Record<string, string> = {
  d: '\\p{Nd}',
  D: '\\P{Nd}',
  w: `[${WORD_CLASS}]`,
  W: `[^${WORD_CLASS}]`,
  s: '\\s',
  S: '\\S',
};
/** Escapes longer than one character; anything else is a backslash and one code point. */
const LONG_ESCAPE =
  /^(?:[pP]\{[^}]*\}|u\{[0-9a-fA-F]+\}|u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|c[A-Za-z])/;

/** Reads a pattern the native engine has already accepted, so it only rejects what it cannot match. */
class PatternParser {
  private at = 0;

  constructor(
    private readonly source: string,
    private readonly flags: string,
  ) {}

  parse(): PatternNode {
    return this.choice();
  }

  private choice(): PatternNode {
    const options = [this.sequence()];
    while (this.source[this.at] === '|') {
      this.at += 1;
      options.push(this.sequence());
    }
    return options.length === 1 && options[0] ? options[0] : { kind: 'choice', options };
  }

  private sequence(): PatternNode {
    const items: PatternNode[] = [];
    while (this.at < this.source.length && this.source[this.at] !== '|' && this.source[this.at] !== ')') {
      const atom = this.atom();
      const repeat = this.quantifier();
      items.push(repeat ? { kind: 'repeat', item: atom, ...repeat } : atom);
    }
    return { kind: 'sequence', items };
  }

  private atom(): PatternNode {
    switch (this.source[this.at]) {
      case '(':
        return this.group();
      case '[':
        return this.charClass();
      case '\\':
        return this.escape();
      case '^':
        this.at += 1;
        return { kind: 'assert', at: 'start' };
      case '$':
        this.at += 1;
        return { kind: 'assert', at: 'end' };
      default: {
        const literal = String.fromCodePoint(this.source.codePointAt(this.at) ?? 0);
        this.at += literal.length;
        return this.char(literal);
      }
    }
  }

  private quantifier(): { min: number; max: number } | null {
    const rest = this.source.slice(this.at);
    const counted = /^\{(\d+)(,(\d*))?\}/.exec(rest);
    let range: { min: number; max: number };
    if (rest.startsWith('*')) range = { min: 0, max: Number.POSITIVE_INFINITY };
    else if (rest.startsWith('+')) range = { min: 1, max: Number.POSITIVE_INFINITY };
    else if (rest.startsWith('?')) range = { min: 0, max: 1 };
    else if (counted) {
      const min = Number(counted[1]);
      const max = counted[2] === undefined ? min : counted[3] ? Number(counted[3]) : Number.POSITIVE_INFINITY;
      range = { min, max };
    } else return null;
    this.at += counted ? counted[0].length : 1;
    // Lazy and greedy repeats find the same occurrences; only the captured text would differ.
    if (this.source[this.at] === '?') this.at += 1;
    if (range.min > REPEAT_LIMIT || (Number.isFinite(range.max) && range.max > REPEAT_LIMIT)) {
      throw new UnsupportedPattern(`repeat counts above ${REPEAT_LIMIT} are not supported`);
    }
    return range;
  }

  private group(): PatternNode {
    const rest = this.source.slice(this.at + 1);
    if (/^\?<?[=!]/.test(rest)) {
      throw new UnsupportedPattern(
        'lookahead and lookbehind ((?=…), (?!…), (?<=…), (?<!…)) are not supported',
      );
    }
    if (rest.startsWith('?:')) this.at += 3;
    else if (rest.startsWith('?<')) this.at = this.source.indexOf('>', this.at) + 1;
    else if (rest.startsWith('?'))
      throw new UnsupportedPattern('inline flags such as (?i:…) are not supported');
    else this.at += 1;
    const inner = this.choice();
    this.at += 1; // the closing parenthesis
    return inner;
  }

  private charClass(): PatternNode {
    let end = this.at + 1;
    while (this.source[end] !== ']') end += this.source[end] === '\\' ? 2 : 1;
    const body = this.source
      .slice(this.at, end + 1)
      .replace(/\\(.)/gu, (escaped, letter: string) =>
        letter === 'w' ? WORD_CLASS : letter === 'd' ? '\\p{Nd}' : escaped,
      );
    this.at = end + 1;
    return this.char(body);
  }

  private escape(): PatternNode {
    const rest = this.source.slice(this.at + 1);
    const letter = String.fromCodePoint(rest.codePointAt(0) ?? 0);
    if (letter === 'b' || letter === 'B') {
      this.at += 2;
      return { kind: 'assert', at: letter === 'b' ? 'wordBoundary' : 'notWordBoundary' };
    }
    const shorthand = SHORTHAND_CLASSES[letter];
    if (shorthand) {
      this.at += 2;
      return this.char(shorthand);
    }
    if (letter === 'k' || /^[1-9]/.test(letter)) {
      throw new UnsupportedPattern('back-references (\\1, \\k<name>) are not supported');
    }
    const length = 1 + (LONG_ESCAPE.exec(rest)?.[0].length ?? letter.length);
    const escaped = this.source.slice(this.at, this.at + length);
    this.at += length;
    return this.char(escaped);
  }

  private char(source: string): PatternNode {
    return { kind: 'char', regex: new RegExp(`^(?:${source})$`, this.flags) };
  }
}
