import { assignAction } from './actions/assign';
import type { AnyNodeType } from './nodeType';
import { messageReceivedTrigger } from './triggers/messageReceived';
import { newConversationTrigger } from './triggers/newConversation';

/** Every node type the editor offers and the runtime executes. Adding a type = one line here. */
export const nodeCatalog: readonly AnyNodeType[] = [
  newConversationTrigger,
  messageReceivedTrigger,
  assignAction,
];

const byType = new Map(nodeCatalog.map((nodeType) => [nodeType.type, nodeType]));

/** Config is checked against the type's schema before a node runs, so callers see `unknown` config. */
export function findNodeType(type: string): AnyNodeType | undefined {
  return byType.get(type);
}
