import type Database from 'better-sqlite3';
import type { AcknowledgingAgents } from './acknowledgingAgents';
import type { ShardProbe } from './shardProbe';

export interface EscalationRunView {
  sqlite: Database.Database;
  agents: AcknowledgingAgents;
  shards: ShardProbe;
  posted: { count: number };
  customers: number;
  escalations: number;
}

/**
 * A progress line every `intervalMs` on stderr, so a run of many minutes never looks stuck: what
 * the database holds so far and what the shards last said they hold in memory. Returns the
 * function that stops it.
 */
export function startEscalationProgress(
  view: EscalationRunView,
  print: (line: string) => void,
  intervalMs: number,
): () => void {
  const { sqlite, agents, shards } = view;
  const countAssignments = sqlite.prepare<[], number>(`SELECT count(*) FROM assignments`).pluck();
  const executionsByStatus = sqlite.prepare<[], { status: string; n: number }>(
    `SELECT status, count(*) AS n FROM executions GROUP BY status ORDER BY status`,
  );
  const outboxPending = sqlite
    .prepare<[], number>(`SELECT count(*) FROM outbox WHERE dispatched_at IS NULL`)
    .pluck();
  const timer = setInterval(() => {
    const shardTotals = shards.latest;
    const executions = executionsByStatus.all().map(({ status, n }) => `${status} ${n}`);
    print(
      `posted ${view.posted.count}/${view.customers}; assignments ${countAssignments.get()} ` +
        `(first ${agents.assigned.size}, lead ${agents.escalated.size}/${view.escalations}); ` +
        `acknowledged ${agents.acknowledged}; executions: ${executions.join(', ') || 'none'}; ` +
        `outbox pending ${outboxPending.get()}; ` +
        (shardTotals?.answered
          ? `shards answering ${shardTotals.answered}: live conversations ${shardTotals.liveConversations}, pending deadlines ${shardTotals.pendingDeadlines}`
          : 'no shard answered the last status query'),
    );
  }, intervalMs);
  return () => clearInterval(timer);
}
