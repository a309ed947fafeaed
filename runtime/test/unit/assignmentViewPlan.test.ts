import { expect, it } from 'vitest';
import { ASSIGNMENT_VIEW_SELECT } from '../../src/assignment/assignmentViews';
import { demoDatabase } from '../support/testDatabase';

it('the view of an assignment finds its latest inbound text through the index, without a sort', () => {
  const { db } = demoDatabase();
  const plan = (
    db.$client.prepare(`EXPLAIN QUERY PLAN ${ASSIGNMENT_VIEW_SELECT} WHERE a.id = ?`).all('a') as {
      detail: string;
    }[]
  ).map((step) => step.detail);
  expect(plan).toContain('SEARCH m USING INDEX messages_conversation (conversation_id=?)');
  expect(plan.filter((step) => step.includes('TEMP B-TREE'))).toEqual([]);
});
