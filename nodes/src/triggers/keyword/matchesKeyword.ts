import { compileTextPattern, foldText } from '../../conditions/if/textPattern';
import type { KeywordConfig } from './schema';

/** Whether a customer's message contains (or is, or starts with, or matches) one of the keywords. */
export function matchesKeyword({ keywords, match, caseSensitive }: KeywordConfig, text: string): boolean {
  const fold = (value: string) => foldText(value, caseSensitive);
  const message = fold(text.trim());
  switch (match) {
    case 'contains':
      return keywords.some((keyword) => message.includes(fold(keyword)));
    case 'exact':
      return keywords.some((keyword) => message === fold(keyword));
    case 'starts_with':
      return keywords.some((keyword) => message.startsWith(fold(keyword)));
    case 'regex':
      return keywords.some((keyword) => {
        const compiled = compileTextPattern(keyword, { caseSensitive });
        return compiled.ok && compiled.pattern.test(text);
      });
  }
}
