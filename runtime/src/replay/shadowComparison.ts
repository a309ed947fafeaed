import type { ConversationComparison, ConversationOutcome, ShadowTotals } from '@switchboard/shared';
import type { ShadowPass } from './shadowRun';

export function compareOutcomes(
  baseline: ShadowPass,
  target: ShadowPass,
  recordedAssignees: ReadonlyMap<string, string | null>,
): { conversations: ConversationComparison[]; totals: ShadowTotals } {
  const conversations: ConversationComparison[] = [];
  const ids = new Set([...baseline.outcomes.keys(), ...target.outcomes.keys()]);
  for (const conversationId of ids) {
    const before = baseline.outcomes.get(conversationId) ?? emptyOutcome();
    const after = target.outcomes.get(conversationId) ?? emptyOutcome();
    conversations.push({
      conversationId,
      before,
      after,
      recordedAssigneeId: recordedAssignees.get(conversationId) ?? null,
      differences: differencesBetween(before, after),
    });
  }
  conversations.sort((a, b) => (a.conversationId < b.conversationId ? -1 : 1));

  const beforeLoad = baseline.loadByAgent();
  const afterLoad = target.loadByAgent();
  const loadPerAgent: ShadowTotals['loadPerAgent'] = {};
  for (const agentId of new Set([...Object.keys(beforeLoad), ...Object.keys(afterLoad)])) {
    loadPerAgent[agentId] = {
      before: { assigned: 0, openAtEnd: beforeLoad[agentId] ?? 0 },
      after: { assigned: 0, openAtEnd: afterLoad[agentId] ?? 0 },
    };
  }
  const totals: ShadowTotals = {
    events: baseline.events,
    conversations: conversations.length,
    conversationsChanged: 0,
    assignmentsChanged: 0,
    loadPerAgent,
    slaBreaches: { before: 0, after: 0 },
    escalations: { before: 0, after: 0 },
    effects: { before: {}, after: {} },
  };
  for (const row of conversations) {
    if (row.differences.length > 0) totals.conversationsChanged += 1;
    if (row.differences.includes('assignee')) totals.assignmentsChanged += 1;
    for (const side of ['before', 'after'] as const) {
      const outcome = row[side];
      if (outcome.assigneeId) {
        // An agent deleted since the range began still shows, with what they were given.
        loadPerAgent[outcome.assigneeId] ??= {
          before: { assigned: 0, openAtEnd: 0 },
          after: { assigned: 0, openAtEnd: 0 },
        };
        const load = loadPerAgent[outcome.assigneeId];
        if (load) load[side].assigned += 1;
      }
      totals.slaBreaches[side] += outcome.slaBreaches;
      totals.escalations[side] += outcome.escalations;
      for (const [type, count] of Object.entries(outcome.effects))
        totals.effects[side][type] = (totals.effects[side][type] ?? 0) + (count ?? 0);
    }
  }
  return { conversations, totals };
}

function differencesBetween(before: ConversationOutcome, after: ConversationOutcome): string[] {
  const differences: string[] = [];
  if (before.assigneeId !== after.assigneeId) differences.push('assignee');
  if (before.teamId !== after.teamId) differences.push('team');
  if ([...before.tags].sort().join('\n') !== [...after.tags].sort().join('\n')) differences.push('tags');
  if (before.priority !== after.priority) differences.push('priority');
  if (before.escalations !== after.escalations) differences.push('escalations');
  if (before.slaBreaches !== after.slaBreaches) differences.push('slaBreaches');
  return differences;
}

function emptyOutcome(): ConversationOutcome {
  return {
    assigneeId: null,
    teamId: null,
    tags: [],
    priority: 'normal',
    assignments: 0,
    escalations: 0,
    slaBreaches: 0,
    effects: {},
  };
}
