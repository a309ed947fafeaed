import { type GraphValidation, validateGraph } from '@switchboard/nodes';
import type { WorkflowGraph } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { createDraftEditorStore, VALIDATE_AFTER_DRAWING_NODES } from './draftStore';
import type { LaterValidator } from './offThreadValidation';

function buildRoute() {
  const store = createDraftEditorStore();
  const s = () => store.getState();
  const trigger = s().addNode('trigger.newConversation', { x: 0, y: 0 }) ?? '';
  const hours = s().addNode('condition.businessHours', { x: 300, y: 0 }) ?? '';
  const assign = s().addNode('assign', { x: 600, y: 0 }) ?? '';
  return { store, s, trigger, hours, assign };
}

describe('editing a draft', () => {
  it('adds catalog nodes with their defaults and unique ids', () => {
    const { s, trigger, hours, assign } = buildRoute();
    expect([trigger, hours, assign]).toEqual(['newConversation_1', 'businessHours_1', 'assign_1']);
    const hoursNode = s().graph.nodes.find((n) => n.id === hours);
    expect(hoursNode?.config.weekly).toHaveLength(5);
    // A business-hours node needs a time zone the manager has to choose: validation says so.
    expect(s().validation.problems).toContainEqual(
      expect.objectContaining({ code: 'invalid_config', nodeId: hours, field: 'timeZone' }),
    );
  });

  it('refuses an edge into a trigger and a second edge from one output, explaining why', () => {
    const { s, trigger, hours, assign } = buildRoute();
    expect(s().connect({ source: hours, sourceHandle: 'true', target: trigger })).toBe(false);
    expect(s().notice).toMatch(/trigger/);
    expect(s().connect({ source: trigger, sourceHandle: 'out', target: hours })).toBe(true);
    expect(s().connect({ source: trigger, sourceHandle: 'out', target: assign })).toBe(false);
    expect(s().notice).toMatch(/already leads/);
    expect(s().graph.edges).toHaveLength(1);
  });

  it('undoes and redoes edits, and a drag is one undo step', () => {
    const { s, trigger, hours } = buildRoute();
    s().connect({ source: trigger, sourceHandle: 'out', target: hours });
    s().beginDrag();
    for (let x = 1; x <= 10; x += 1) s().dragNodes(new Map([[hours, { x: 300 + x, y: 5 }]]));
    expect(s().graph.nodes.find((n) => n.id === hours)?.position).toEqual({ x: 310, y: 5 });
    s().undo();
    expect(s().graph.nodes.find((n) => n.id === hours)?.position).toEqual({ x: 300, y: 0 });
    s().undo();
    expect(s().graph.edges).toHaveLength(0);
    s().redo();
    expect(s().graph.edges).toHaveLength(1);
  });

  it('deletes selected nodes with their edges', () => {
    const { s, trigger, hours, assign } = buildRoute();
    s().connect({ source: trigger, sourceHandle: 'out', target: hours });
    s().connect({ source: hours, sourceHandle: 'true', target: assign });
    s().setSelection([hours], []);
    s().deleteSelection();
    expect(s().graph.nodes.map((n) => n.id)).toEqual([trigger, assign]);
    expect(s().graph.edges).toEqual([]);
  });

  it('copies and pastes a selection with fresh ids and its inner edges, shifted', () => {
    const { s, trigger, hours, assign } = buildRoute();
    s().connect({ source: hours, sourceHandle: 'true', target: assign });
    s().setSelection([hours, assign], []);
    s().copySelection();
    s().paste();
    const ids = s().graph.nodes.map((n) => n.id);
    expect(ids).toEqual([trigger, hours, assign, 'businessHours_2', 'assign_2']);
    expect(s().graph.edges.map((e) => `${e.source}>${e.target}`)).toEqual([
      'businessHours_1>assign_1',
      'businessHours_2>assign_2',
    ]);
    expect(s().graph.nodes[3]?.position).toEqual({ x: 340, y: 40 });
    expect([...s().selectedNodeIds]).toEqual(['businessHours_2', 'assign_2']);
  });

  it('keeps untouched node objects when one node moves, so only its card re-renders', () => {
    const { s, trigger, hours } = buildRoute();
    const before = s().graph.nodes;
    s().dragNodes(new Map([[hours, { x: 1, y: 1 }]]));
    const after = s().graph.nodes;
    expect(after.find((n) => n.id === trigger)).toBe(before.find((n) => n.id === trigger));
    expect(after.find((n) => n.id === hours)).not.toBe(before.find((n) => n.id === hours));
  });

  it('lays the graph out left to right along its edges', () => {
    const { s, trigger, hours, assign } = buildRoute();
    s().connect({ source: trigger, sourceHandle: 'out', target: hours });
    s().connect({ source: hours, sourceHandle: 'true', target: assign });
    s().dragNodes(new Map([[assign, { x: -500, y: 900 }]]));
    s().layout();
    const x = (id: string) => s().graph.nodes.find((n) => n.id === id)?.position.x ?? Number.NaN;
    expect(x(trigger)).toBeLessThan(x(hours));
    expect(x(hours)).toBeLessThan(x(assign));
  });
});

describe('handles of a node still being configured', () => {
  it('offers business hours open/closed before a time zone is chosen', async () => {
    const { outputsOf } = await import('./graphEdits');
    const store = createDraftEditorStore();
    const id = store.getState().addNode('condition.businessHours', { x: 0, y: 0 }) ?? '';
    const node = store.getState().graph.nodes.find((n) => n.id === id);
    expect(node && outputsOf(node).map((o) => o.id)).toEqual(['open', 'closed']);
  });
});

describe('undo while typing', () => {
  it('takes back a word typed into one field in one step, but a change to another field separately', () => {
    const store = createDraftEditorStore();
    const s = () => store.getState();
    const id = s().addNode('action.note', { x: 0, y: 0 }) ?? '';
    const config = () => s().graph.nodes.find((n) => n.id === id)?.config ?? {};
    for (const text of ['E', 'Es', 'Esc', 'Escalated']) s().updateConfig(id, { ...config(), text });
    s().updateLabel(id, 'Note for the lead');
    s().undo();
    expect(s().graph.nodes[0]?.label).toBeUndefined();
    expect(config().text).toBe('Escalated');
    s().undo();
    expect(config().text).toBeUndefined();
    expect(s().graph.nodes).toHaveLength(1);
  });
});

describe('loading a large draft', () => {
  it('shows the graph first and its problems once validateLoaded runs', () => {
    const nodes = Array.from({ length: VALIDATE_AFTER_DRAWING_NODES + 1 }, (_, i) => ({
      id: `hours_${i}`,
      type: 'condition.businessHours',
      typeVersion: 1,
      position: { x: i * 10, y: 0 },
      config: {},
    }));
    const store = createDraftEditorStore();
    store.getState().reset({ nodes, edges: [] });
    expect(store.getState().validation).toEqual({ ok: false, problems: [] });
    store.getState().validateLoaded();
    // Business hours without a time zone, on every node: now the manager is told.
    const problems = store.getState().validation.problems;
    expect(problems.filter((p) => p.code === 'invalid_config')).toHaveLength(nodes.length);
  });

  it('validates a small draft as it loads', () => {
    const store = createDraftEditorStore();
    store.getState().reset({
      nodes: [
        {
          id: 'hours',
          type: 'condition.businessHours',
          typeVersion: 1,
          position: { x: 0, y: 0 },
          config: {},
        },
      ],
      edges: [],
    });
    expect(store.getState().validation.problems).toContainEqual(
      expect.objectContaining({ code: 'invalid_config', nodeId: 'hours' }),
    );
  });
});

describe('a large draft validated off the main thread', () => {
  /** A validator that answers only when told, as a worker answers later. */
  function laterValidator() {
    const asked: Array<{ graph: WorkflowGraph; done: (validation: GraphValidation) => void }> = [];
    const validateLater: LaterValidator = (graph, done) => asked.push({ graph, done });
    const answer = (i: number) => {
      const request = asked[i];
      request?.done(validateGraph(request.graph));
    };
    return { validateLater, asked, answer };
  }
  const hoursNodes = (count: number) =>
    Array.from({ length: count }, (_, i) => ({
      id: `hours_${i}`,
      type: 'condition.businessHours',
      typeVersion: 1,
      position: { x: i * 10, y: 0 },
      config: {},
    }));

  it('keeps the validation it has until the edit’s own arrives; an answer for an older graph is dropped', () => {
    const { validateLater, asked, answer } = laterValidator();
    const store = createDraftEditorStore(undefined, validateLater);
    store.getState().reset({ nodes: hoursNodes(VALIDATE_AFTER_DRAWING_NODES + 1), edges: [] });
    store.getState().validateLoaded();
    expect(asked).toHaveLength(1);
    expect(store.getState().validation).toEqual({ ok: false, problems: [] });
    answer(0);
    // Business hours without a time zone, on every node.
    const unconfigured = () =>
      store.getState().validation.problems.filter((p) => p.code === 'invalid_config').length;
    expect(unconfigured()).toBe(VALIDATE_AFTER_DRAWING_NODES + 1);

    // Two edits in a row: each asks; the first answer comes after the second edit and is dropped.
    store.getState().updateConfig('hours_0', { timeZone: 'Europe/Lisbon' });
    store.getState().updateConfig('hours_1', { timeZone: 'Europe/Lisbon' });
    expect(asked).toHaveLength(3);
    expect(unconfigured()).toBe(VALIDATE_AFTER_DRAWING_NODES + 1);
    answer(1);
    expect(unconfigured()).toBe(VALIDATE_AFTER_DRAWING_NODES + 1);
    answer(2);
    expect(unconfigured()).toBe(VALIDATE_AFTER_DRAWING_NODES - 1);
  });

  it('a small draft is validated at once, without the validator', () => {
    const { validateLater, asked } = laterValidator();
    const store = createDraftEditorStore(undefined, validateLater);
    store.getState().reset({ nodes: hoursNodes(2), edges: [] });
    store.getState().updateConfig('hours_0', { timeZone: 'Europe/Lisbon' });
    expect(asked).toHaveLength(0);
    expect(store.getState().validation.problems.filter((p) => p.code === 'invalid_config')).toHaveLength(1);
  });
});
