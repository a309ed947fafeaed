import type { AssignEffect, AssignmentExplanation } from '@switchboard/shared';
import type { AppDatabase } from '../db/database';
import { timeOrderedId } from '../db/timeOrderedId';
import { type AssignmentStatements, prepareAssignmentStatements } from './assignmentStatements';
import { explain } from './explanation';
import { loadSituation } from './situation';
import { chooseAgent } from './strategies';

export { AssignmentError } from './assignmentError';

export interface AssignDecision {
  assignmentId: string;
  agentId: string | null;
  explanation: AssignmentExplanation;
  /** False when this effect key had been decided before (a retried activity). */
  created: boolean;
}

/**
 * Picks the agent for one assign effect inside one SQLite transaction, whatever the strategy: the
 * rotation pointer, agents' load and the assignment row change together or not at all, whichever
 * shard asks. Throws AssignmentError when the effect can never succeed (unknown team or agent).
 */
export function createAssignConversation(db: AppDatabase) {
  const statements = prepareAssignmentStatements(db);

  const decideRows = (effect: AssignEffect, now: number): AssignDecision => {
    const earlier = statements.earlierDecision(effect.key);
    if (earlier) {
      return {
        assignmentId: earlier.id,
        agentId: earlier.agentId,
        explanation: JSON.parse(earlier.explanation),
        created: false,
      };
    }
    const situation = loadSituation(statements, effect, now);
    const choice = chooseAgent(situation);
    const explanation = explain(situation, choice);
    const agentId = choice.decidedBy?.chosen?.agentId ?? null;
    if (agentId) {
      if (choice.decidedBy?.movesRotation && effect.teamId) statements.moveRotation(effect.teamId, agentId);
      statements.setOwner(effect.conversationId, agentId, effect.teamId);
    }
    const assignmentId = record(statements, effect, agentId, explanation, now);
    return { assignmentId, agentId, explanation, created: true };
  };
  const decide = db.$client.transaction(decideRows);

  // IMMEDIATE takes the write lock up front, so two processes never both read the same pointer.
  // Inside a caller's transaction it is a savepoint: one rolled back undoes writes the memo counted.
  const assign = (effect: AssignEffect, now: number): AssignDecision => {
    try {
      return decide.immediate(effect, now);
    } catch (error) {
      statements.forgetMemo();
      throw error;
    }
  };
  return Object.assign(assign, {
    /** See `AssignmentStatements.withinMemo`: for a batch of decisions in one write transaction. */
    withinMemo: statements.withinMemo,
    forgetMemo: statements.forgetMemo,
    /**
     * The same decision inside the caller's write transaction, without a savepoint of its own: for
     * a caller that rolls its whole transaction back when this throws, since a decision that fails
     * half-way may have moved the rotation without recording the assignment.
     */
    withinTransaction: decideRows,
  });
}

function record(
  statements: AssignmentStatements,
  effect: AssignEffect,
  agentId: string | null,
  explanation: AssignmentExplanation,
  now: number,
): string {
  const id = timeOrderedId();
  statements.insertAssignment({
    id,
    effectKey: effect.key,
    conversationId: effect.conversationId,
    agentId,
    teamId: effect.teamId,
    workflowVersionId: effect.workflowVersionId,
    executionId: effect.executionId,
    nodeId: effect.nodeId,
    explanation: JSON.stringify(explanation),
    createdAt: now,
  });
  return id;
}
