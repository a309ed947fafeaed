import type { RoutedEvent } from '@switchboard/shared';

/**
 * `{{contact.name}}`-style placeholders over the facts a node can see. Unknown placeholders
 * render empty rather than failing the execution: a missing contact name must not stop routing.
 */
export function renderTemplate(template: string, event: RoutedEvent, now: number): string {
  const values = templateValues(event, now);
  return template.replace(/\{\{\s*([a-zA-Z0-9_.]+)\s*\}\}/g, (_match, path: string) => values[path] ?? '');
}

/** The placeholders a template may use, for the editor's hints. */
export const TEMPLATE_FIELDS = [
  'contact.name',
  'contact.waId',
  'contact.language',
  'conversation.id',
  'conversation.priority',
  'conversation.tags',
  'conversation.ageMinutes',
  'message.text',
  'message.type',
] as const;

function templateValues(event: RoutedEvent, now: number): Record<string, string> {
  const facts = event.facts;
  const values: Record<string, string> = {
    'contact.name': facts.contact.name ?? '',
    'contact.waId': event.customerWaId,
    'contact.language': facts.contact.language ?? '',
    'conversation.id': event.conversationId,
    'conversation.priority': facts.priority,
    'conversation.tags': facts.tags.join(', '),
    'conversation.ageMinutes': String(Math.floor((now - facts.openedAt) / 60_000)),
    'message.text': event.type === 'message.received' ? (event.text ?? '') : '',
    'message.type': event.type === 'message.received' ? event.messageType : '',
  };
  for (const [key, value] of Object.entries(facts.contact.fields)) values[`contact.fields.${key}`] = value;
  return values;
}

/** Agent ids written as `@agent_id` in a note; the catalog resolves names in the editor. */
export function mentionedAgentIds(text: string): string[] {
  return [...new Set([...text.matchAll(/(?:^|\s)@([a-zA-Z0-9_.-]+)/g)].map((match) => match[1] as string))];
}
