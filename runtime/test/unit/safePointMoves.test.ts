import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_WORKFLOW_ID } from '../../src/demo/seedDemo';
import { type SafePointMove, SafePointMoves } from '../../src/routing/safePointMoves';
import type { WorkflowStore } from '../../src/workflows/workflowStore';
import { acknowledgeOrEscalate } from '../support/escalationGraph';
import { demoDatabase } from '../support/testDatabase';

describe('what the shards are told after publishes with move_at_safe_point', () => {
  let demo: ReturnType<typeof demoDatabase>;
  beforeEach(() => {
    demo = demoDatabase();
  });
  afterEach(() => demo.db.$client.close());

  function publish(workflows: WorkflowStore, minutes: number, policy: 'stay' | 'move_at_safe_point') {
    return workflows.publish(DEMO_WORKFLOW_ID, acknowledgeOrEscalate(minutes), '', null, Date.now(), policy);
  }

  it('nothing while every version said stay; then the newest move version with every version before it', () => {
    const { workflows } = demo;
    const seeded = workflows.versionByNumber(DEMO_WORKFLOW_ID, 1);
    const v2 = publish(workflows, 15, 'stay');
    expect(workflows.safePointMoves()).toEqual([]);

    const v3 = publish(workflows, 20, 'move_at_safe_point');
    const v4 = publish(workflows, 25, 'stay');
    expect(workflows.safePointMoves()).toEqual([
      {
        workflowId: DEMO_WORKFLOW_ID,
        to: { versionId: v3.id, number: 3 },
        from: [
          { versionId: seeded?.id, number: 1 },
          { versionId: v2.id, number: 2 },
        ],
      },
    ]);

    const v5 = publish(workflows, 30, 'move_at_safe_point');
    expect(workflows.safePointMoves()).toEqual([
      expect.objectContaining({
        to: { versionId: v5.id, number: 5 },
        from: [seeded?.id, v2.id, v3.id, v4.id].map((versionId, i) => ({ versionId, number: i + 1 })),
      }),
    ]);
  });
});

describe("a shard's announced moves", () => {
  const v = (n: number) => ({ versionId: `version-${n}`, number: n });
  const move = (to: number, workflowId = 'wf'): SafePointMove => ({
    workflowId,
    to: v(to),
    from: Array.from({ length: to - 1 }, (_, i) => v(i + 1)),
  });

  it('the newest announcement of a workflow wins, whatever order they arrive in', () => {
    const moves = new SafePointMoves();
    expect(moves.announce(move(3))).toBe(true);
    expect(moves.targetOf('version-1')?.to).toEqual(v(3));
    expect(moves.announce(move(2))).toBe(false);
    expect(moves.announce(move(3))).toBe(false);
    expect(moves.targetOf('version-2')?.to).toEqual(v(3));
    expect(moves.announce(move(5))).toBe(true);
    expect(moves.targetOf('version-1')).toEqual({ from: v(1), to: v(5) });
    expect(moves.targetOf('version-5')).toBeUndefined();
  });

  it('are carried into the next run, one per workflow, and not at all when there are none', () => {
    expect(new SafePointMoves().carried()).toEqual({});
    const moves = new SafePointMoves([move(2, 'wf-a'), move(3, 'wf-b'), move(4, 'wf-a')]);
    expect(moves.carried().moves?.map((m) => [m.workflowId, m.to.number])).toEqual([
      ['wf-a', 4],
      ['wf-b', 3],
    ]);
    const next = new SafePointMoves(moves.carried().moves);
    expect(next.targetOf('version-3')?.to).toEqual(v(4));
  });
});
