import type { ConversationState } from '@switchboard/nodes';
import type { RoutedEvent } from '@switchboard/shared';
import { type PackedValues, packValues, unpackValues } from './compactJson';
import type { RoutingActivities } from './routingActivities';

/** Where a shard's carried state waits between two runs. */
export interface ShardCheckpointRef {
  runId: string;
  pages: number;
}

export interface ShardCheckpointPage {
  conversations: ConversationState[];
  pending: RoutedEvent[];
  /**
   * Since `compact-checkpoint`, the page's items instead: conversations then pending events,
   * packed together (see compactJson.ts), `conversations` and `pending` left empty.
   */
  packed?: PackedValues & { conversationCount: number };
}

/**
 * Items per page. A live conversation's state is about 1 KB, and Temporal refuses payloads over
 * 2 MB: carried inline, continue-as-new would fail once a shard holds ~2,000 live conversations.
 * Pages of 500 keep every activity payload near 0.5 MB.
 */
export const CHECKPOINT_PAGE_SIZE = 500;
/**
 * Items per packed page. A packed live state is about 400 bytes, so a page stays near 100 KB: the
 * next run reads each page as its own activity, and no single workflow task or payload comes near
 * gRPC's 4 MB or the SDK's 512 KB warning, however many conversations the shard holds.
 */
export const PACKED_PAGE_SIZE = 250;

/** Packs up to PACKED_PAGE_SIZE items of a checkpoint; deterministic (workflow code). */
export function packPage(conversations: ConversationState[], pending: RoutedEvent[]): ShardCheckpointPage {
  return {
    conversations: [],
    pending: [],
    packed: { ...packValues([...conversations, ...pending]), conversationCount: conversations.length },
  };
}

/** Either page format, as lists. */
export function unpackPage(page: ShardCheckpointPage): {
  conversations: ConversationState[];
  pending: RoutedEvent[];
} {
  if (!page.packed) return { conversations: page.conversations, pending: page.pending };
  const items = unpackValues(page.packed);
  const count = page.packed.conversationCount;
  return {
    conversations: items.slice(0, count) as ConversationState[],
    pending: items.slice(count) as RoutedEvent[],
  };
}

/**
 * Workflow side, since `compact-checkpoint`: like saveShardCheckpoint, in packed pages of
 * PACKED_PAGE_SIZE. Pending events are drained from the live queue until it stays empty.
 */
export async function savePackedCheckpoint(
  activities: Pick<RoutingActivities, 'saveCheckpointPage'>,
  runId: string,
  conversations: ConversationState[],
  queue: RoutedEvent[],
): Promise<ShardCheckpointRef> {
  let page = 0;
  for (let from = 0; from === 0 || from < conversations.length; from += PACKED_PAGE_SIZE) {
    const content = packPage(conversations.slice(from, from + PACKED_PAGE_SIZE), []);
    await activities.saveCheckpointPage({ runId, page: page++, content });
  }
  while (queue.length > 0) {
    const content = packPage([], queue.splice(0, PACKED_PAGE_SIZE));
    await activities.saveCheckpointPage({ runId, page: page++, content });
  }
  return { runId, pages: page };
}

/** Workflow side, since `bounded-workflow-tasks`: drains `queue` into more packed pages of `ref`. */
export async function appendPendingPages(
  activities: Pick<RoutingActivities, 'saveCheckpointPage'>,
  ref: ShardCheckpointRef,
  queue: RoutedEvent[],
): Promise<ShardCheckpointRef> {
  let page = ref.pages;
  while (queue.length > 0) {
    const content = packPage([], queue.splice(0, PACKED_PAGE_SIZE));
    await activities.saveCheckpointPage({ runId: ref.runId, page: page++, content });
  }
  return { runId: ref.runId, pages: page };
}

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

/**
 * Pages read at once since `compact-checkpoint`: one at a time, a new run holding 12,500
 * conversations waited for 50 activity round trips before routing again. Four packed pages are
 * ~400 KB, far below gRPC's 4 MB for the task that brings their results.
 */
export const PAGES_READ_AT_ONCE = 4;

/** Workflow side, since `compact-checkpoint`: reads the pages back, a few at a time, in order. */
export async function loadCheckpointInGroups(
  activities: Pick<RoutingActivities, 'loadCheckpointPage'>,
  ref: ShardCheckpointRef,
): Promise<ShardCheckpointPage> {
  const loaded: ShardCheckpointPage = { conversations: [], pending: [] };
  for (let first = 0; first < ref.pages; first += PAGES_READ_AT_ONCE) {
    const group = Array.from({ length: Math.min(PAGES_READ_AT_ONCE, ref.pages - first) }, (_, i) =>
      activities.loadCheckpointPage({ runId: ref.runId, page: first + i }),
    );
    for (const page of await Promise.all(group)) {
      const content = unpackPage(page);
      loaded.conversations.push(...content.conversations);
      loaded.pending.push(...content.pending);
    }
  }
  return loaded;
}

/** Workflow side: reads the pages back, in order. */
export async function loadShardCheckpoint(
  activities: Pick<RoutingActivities, 'loadCheckpointPage'>,
  ref: ShardCheckpointRef,
): Promise<ShardCheckpointPage> {
  const loaded: ShardCheckpointPage = { conversations: [], pending: [] };
  for (let page = 0; page < ref.pages; page++) {
    const content = unpackPage(await activities.loadCheckpointPage({ runId: ref.runId, page }));
    loaded.conversations.push(...content.conversations);
    loaded.pending.push(...content.pending);
  }
  return loaded;
}
