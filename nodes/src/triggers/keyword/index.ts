import { defineNodeType } from '../../nodeType';
import { matchesKeyword } from './matchesKeyword';
import { type KeywordConfig, keywordConfigSchema } from './schema';

const matchLabels: Record<KeywordConfig['match'], string> = {
  contains: 'contains',
  exact: 'is',
  starts_with: 'starts with',
  regex: 'matches',
};

export const keywordTrigger = defineNodeType<KeywordConfig>({
  type: 'trigger.keyword',
  typeVersion: 1,
  category: 'trigger',
  label: 'Keyword',
  description: 'Starts when a customer’s message contains, is, starts with or matches one of the keywords.',
  icon: '🔑',
  color: '#2563eb',
  configSchema: keywordConfigSchema,
  outputs: () => [{ id: 'out', label: 'next' }],
  summary: (config) =>
    `message ${matchLabels[config.match]} ${config.keywords.map((keyword) => `“${keyword}”`).join(' or ')}`,
  matches: (config, event) =>
    event.type === 'message.received' && event.text !== null && matchesKeyword(config, event.text),
});
