import type { ConversationState } from '@switchboard/nodes';
import type { RoutedEvent } from '@switchboard/shared';
import type { RoutingActivities } from './routingActivities';

/** Where a shard's carried state waits between two runs. */
export interface ShardCheckpointRef {
  runId: string;
  pages: number;
}

export interface ShardCheckpointPage {
  conversations: ConversationState[];
  pending: RoutedEvent[];
}

/**
 * Items per page. A live conversation's state is about 1 KB, and Temporal refuses payloads over
 * 2 MB: carried inline, continue-as-new would fail once a shard holds ~2,000 live conversations.
 * Pages of 500 keep every activity payload near 0.5 MB.
 */
export const CHECKPOINT_PAGE_SIZE = 500;

/**
 * Workflow side: writes the carried state in pages through activities (deterministic). `queue` is
 * the shard's live queue: events the signal handler adds while pages are being written are taken
 * too, until it stays empty.
 */
export async function saveShardCheckpoint(
  activities: Pick<RoutingActivities, 'saveCheckpointPage'>,
  runId: string,
  conversations: ConversationState[],
  queue: RoutedEvent[],
): Promise<ShardCheckpointRef> {
  let page = 0;
  const save = (content: ShardCheckpointPage) =>
    activities.saveCheckpointPage({ runId, page: page++, content });
  for (let from = 0; from === 0 || from < conversations.length; from += CHECKPOINT_PAGE_SIZE) {
    await save({ conversations: conversations.slice(from, from + CHECKPOINT_PAGE_SIZE), pending: [] });
  }
  while (queue.length > 0) await save({ conversations: [], pending: queue.splice(0, CHECKPOINT_PAGE_SIZE) });
  return { runId, pages: page };
}

/** Workflow side: reads the pages back, in order. */
export async function loadShardCheckpoint(
  activities: Pick<RoutingActivities, 'loadCheckpointPage'>,
  ref: ShardCheckpointRef,
): Promise<ShardCheckpointPage> {
  const loaded: ShardCheckpointPage = { conversations: [], pending: [] };
  for (let page = 0; page < ref.pages; page++) {
    const content = await activities.loadCheckpointPage({ runId: ref.runId, page });
    loaded.conversations.push(...content.conversations);
    loaded.pending.push(...content.pending);
  }
  return loaded;
}
