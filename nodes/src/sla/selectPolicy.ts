import type { Priority } from '@switchboard/shared';
import type { SlaMatch, SlaPolicy } from './policy';

export interface SlaSubject {
  priority: Priority;
  teamId: string | null;
  tags: string[];
  businessNumberId: string;
}

/**
 * Weights break ties between policies naming the same number of criteria: a business number is the
 * narrowest audience (one WhatsApp line), then a tag, a team, a priority.
 */
const CRITERION_WEIGHT = { businessNumberId: 8, tag: 4, teamId: 2, priority: 1 } as const;

/**
 * The policy that covers a conversation: among enabled policies whose every criterion matches, the one
 * naming the most criteria; then the heavier criteria; then the lowest id, so the answer never depends
 * on row order.
 */
export function selectPolicy(policies: readonly SlaPolicy[], subject: SlaSubject): SlaPolicy | null {
  let best: { policy: SlaPolicy; count: number; weight: number } | null = null;
  for (const policy of policies) {
    if (!policy.enabled || !matches(policy.match, subject)) continue;
    const named = (Object.keys(CRITERION_WEIGHT) as (keyof SlaMatch)[]).filter((key) => policy.match[key]);
    const count = named.length;
    const weight = named.reduce((sum, key) => sum + CRITERION_WEIGHT[key], 0);
    if (
      !best ||
      count > best.count ||
      (count === best.count && weight > best.weight) ||
      (count === best.count && weight === best.weight && policy.id < best.policy.id)
    )
      best = { policy, count, weight };
  }
  return best?.policy ?? null;
}

function matches(match: SlaMatch, subject: SlaSubject): boolean {
  return (
    (!match.priority || match.priority === subject.priority) &&
    (!match.teamId || match.teamId === subject.teamId) &&
    (!match.tag || subject.tags.includes(match.tag)) &&
    (!match.businessNumberId || match.businessNumberId === subject.businessNumberId)
  );
}
