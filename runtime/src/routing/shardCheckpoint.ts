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

/** Workflow side: writes the carried state in pages through activities (deterministic). */
export async function saveShardCheckpoint(
  activities: Pick<RoutingActivities, 'saveCheckpointPage'>,
  runId: string,
  conversations: ConversationState[],
  pending: RoutedEvent[],
): Promise<ShardCheckpointRef> {
  const pages = Math.max(1, Math.ceil(Math.max(conversations.length, pending.length) / CHECKPOINT_PAGE_SIZE));
  for (let page = 0; page < pages; page++) {
    const from = page * CHECKPOINT_PAGE_SIZE;
    await activities.saveCheckpointPage({
      runId,
      page,
      content: {
        conversations: conversations.slice(from, from + CHECKPOINT_PAGE_SIZE),
        pending: pending.slice(from, from + CHECKPOINT_PAGE_SIZE),
      },
    });
  }
  return { runId, pages };
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
