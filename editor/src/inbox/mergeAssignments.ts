import type { Assignment } from '@switchboard/shared';

/**
 * Folds fresh assignments into the list, newest first, one entry per assignment id. The same
 * assignment can arrive twice (socket push, then the re-fetch after a reconnect); the incoming copy
 * wins. Returns `current` itself when nothing changed, so React can skip the re-render.
 */
export function mergeAssignments(
  current: readonly Assignment[],
  incoming: readonly Assignment[],
): Assignment[] {
  const byId = new Map<string, Assignment>();
  for (const assignment of incoming) if (!byId.has(assignment.id)) byId.set(assignment.id, assignment);
  for (const assignment of current) if (!byId.has(assignment.id)) byId.set(assignment.id, assignment);
  // Array.prototype.sort is stable, so equal timestamps keep the server's order.
  const merged = [...byId.values()].sort((a, b) => b.createdAt - a.createdAt);
  const unchanged = merged.length === current.length && merged.every((a, i) => a === current[i]);
  return unchanged ? (current as Assignment[]) : merged;
}
