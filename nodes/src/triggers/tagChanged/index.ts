import { foldText } from '../../conditions/if/textPattern';
import { defineNodeType } from '../../nodeType';
import { type TagChangedConfig, tagChangedConfigSchema } from './schema';

export const tagChangedTrigger = defineNodeType<TagChangedConfig>({
  type: 'trigger.tagChanged',
  typeVersion: 1,
  category: 'trigger',
  label: 'Tag changed',
  description: 'Starts when a tag is added to a conversation or removed from it, by an agent or a workflow.',
  icon: '🔖',
  color: '#2563eb',
  configSchema: tagChangedConfigSchema,
  outputs: () => [{ id: 'out', label: 'next' }],
  summary: ({ tag, change }) =>
    `${tag ? `“${tag}”` : 'any tag'} ${change === 'any' ? 'added or removed' : change}`,
  // Tags are typed by hand in the inbox, so "VIP" and "vip" are the same tag here.
  matches: ({ tag, change }, event) =>
    event.type === 'conversation.tagChanged' &&
    (change === 'any' || change === event.change) &&
    (!tag || foldText(tag) === foldText(event.tag.trim())),
});
