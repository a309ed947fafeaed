import { findNodeType } from '@switchboard/nodes';
import type { GraphNode } from '@switchboard/shared';

/** Splits `messageReceived`, `round_robin` or `business-hours` into lower-case words. */
function words(identifier: string): string {
  return identifier
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** `trigger.messageReceived` → "Trigger: message received", `assign` → "Assign". */
export function humanizeType(type: string): string {
  const [head = '', ...tail] = type.split('.').filter(Boolean).map(words);
  return tail.length === 0 ? capitalize(head) : `${capitalize(head)}: ${tail.join(' ')}`;
}

export function nodeTitle(node: Pick<GraphNode, 'label' | 'type'>): string {
  return node.label?.trim() || findNodeType(node.type)?.label || humanizeType(node.type);
}

export function isTriggerType(type: string): boolean {
  const nodeType = findNodeType(type);
  return nodeType ? nodeType.category === 'trigger' : type.startsWith('trigger.');
}

function compactValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(compactValue).join(',')}]`;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function keyValueList(config: Record<string, unknown>): string {
  return Object.entries(config)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${compactValue(value)}`)
    .join(' · ');
}

/**
 * One line that tells a reader what the node does without opening its settings: the catalog's own
 * summary when the type is known and its config valid, else the raw settings.
 */
export function summarizeConfig(type: string, config: Record<string, unknown>): string {
  const nodeType = findNodeType(type);
  const parsed = nodeType?.configSchema.safeParse(config);
  if (nodeType && parsed?.success) return nodeType.summary(parsed.data);
  return Object.keys(config).length === 0 ? 'no settings' : keyValueList(config);
}
