import { describe, expect, it } from 'vitest';
import { createRoutingActivities } from '../../src/routing/activities';
import { demoDatabase } from '../support/testDatabase';

describe('shard checkpoints in SQLite', () => {
  it('a page saved before continue-as-new is read back whole by the next run; saving twice is harmless', async () => {
    const { db } = demoDatabase();
    const activities = createRoutingActivities({ db, applyEffects: async () => [] });
    const content = {
      conversations: [{ conversationId: 'c1', execution: null }],
      pending: [],
    };
    await activities.saveCheckpointPage({ runId: 'run-1', page: 0, content });
    await activities.saveCheckpointPage({ runId: 'run-1', page: 0, content });
    expect(await activities.loadCheckpointPage({ runId: 'run-1', page: 0 })).toEqual(content);
    await expect(activities.loadCheckpointPage({ runId: 'run-1', page: 1 })).rejects.toThrow(
      'shard checkpoint run-1 page 1 is missing',
    );
  });
});
