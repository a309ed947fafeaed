import { findNodeType, type GraphValidation, validateGraph } from '@switchboard/nodes';
import type { GraphNode, WorkflowGraph } from '@switchboard/shared';
import { createStore } from 'zustand/vanilla';
import { autoLayout } from './autoLayout';
import {
  type Connection,
  connect,
  connectionProblem,
  createNode,
  extractFragment,
  moveNodes,
  nodeIds,
  pasteFragment,
  removeElements,
  updateNode,
} from './graphEdits';
import type { LaterValidator } from './offThreadValidation';

/** Undo goes back this many edits; older ones fall off so a long session does not grow without bound. */
const HISTORY_LIMIT = 100;
const PASTE_OFFSET = { x: 40, y: 40 };
const TYPING_PAUSE_MS = 1000;
const EMPTY: ReadonlySet<string> = new Set();

/**
 * Past this many nodes a loaded graph is drawn before it is validated: validating 1,000 nodes takes
 * ~100 ms in a cold page, time the manager would otherwise wait for a blank canvas.
 */
export const VALIDATE_AFTER_DRAWING_NODES = 300;
/** A loaded graph not checked yet; validateLoaded replaces it. Not ok, so nothing treats it as valid. */
const NOT_YET_VALIDATED: GraphValidation = { ok: false, problems: [] };

export type DraftEditorState = {
  graph: WorkflowGraph;
  validation: GraphValidation;
  past: WorkflowGraph[];
  future: WorkflowGraph[];
  selectedNodeIds: ReadonlySet<string>;
  selectedEdgeIds: ReadonlySet<string>;
  clipboard: WorkflowGraph | null;
  /** A refusal or hint for the manager (a connection that breaks a rule); cleared by the next edit. */
  notice: string | null;
  /** Bumped to ask the canvas to centre on a node (a click in the problems panel). */
  focus: { nodeId: string; serial: number } | null;
};

export type DraftEditorActions = {
  /** Replaces the whole graph (load); clears history. A large graph is validated by validateLoaded. */
  reset(graph: WorkflowGraph): void;
  /** Validates a graph that reset left unchecked; does nothing otherwise. */
  validateLoaded(): void;
  /** Replaces the whole graph as one undoable edit (an import). */
  replaceGraph(graph: WorkflowGraph): void;
  addNode(type: string, position: { x: number; y: number }): string | null;
  /** Positions during a drag: no validation, no history entry (the drag start took one). */
  dragNodes(positions: ReadonlyMap<string, { x: number; y: number }>): void;
  beginDrag(): void;
  connect(connection: Connection): boolean;
  setSelection(nodeIds: Iterable<string>, edgeIds: Iterable<string>): void;
  selectAll(): void;
  deleteSelection(): void;
  copySelection(): void;
  cutSelection(): void;
  paste(): void;
  updateConfig(nodeId: string, config: Record<string, unknown>): void;
  updateLabel(nodeId: string, label: string): void;
  layout(): void;
  undo(): void;
  redo(): void;
  focusNode(nodeId: string): void;
};

export type DraftEditorStore = ReturnType<typeof createDraftEditorStore>;

/** Which top-level config keys an edit touches: typing in one field coalesces, switching fields does not. */
function changedKeys(graph: WorkflowGraph, nodeId: string, config: Record<string, unknown>): string {
  const before = graph.nodes.find((node) => node.id === nodeId)?.config ?? {};
  const keys = new Set([...Object.keys(before), ...Object.keys(config)]);
  return [...keys].filter((key) => before[key] !== config[key]).join(',');
}

function validate(graph: WorkflowGraph): GraphValidation {
  return validateGraph(graph);
}

/**
 * The editor's state: the domain graph is the only copy of the workflow; React Flow's nodes are
 * derived from it (see flowModel.ts). One store per open workflow, so tests make their own.
 */
export function createDraftEditorStore(
  initial: WorkflowGraph = { nodes: [], edges: [] },
  /** Validates large graphs elsewhere (a Web Worker); without it every graph is validated here. */
  validateLater: LaterValidator | null = null,
) {
  return createStore<DraftEditorState & DraftEditorActions>()((set, get) => {
    /** The last typing edit: keystrokes in one field within a pause are one undo step, not one each. */
    let lastTyping: { key: string; at: number } | null = null;

    /**
     * The validation to keep with `graph` now. A large graph with a later validator keeps the one it
     * has until its own arrives (a few tens of milliseconds); an answer for a graph edited since is
     * dropped, the edit has asked for its own.
     */
    function validationFor(graph: WorkflowGraph, current: GraphValidation): GraphValidation {
      if (!validateLater || graph.nodes.length <= VALIDATE_AFTER_DRAWING_NODES) return validate(graph);
      validateLater(graph, (validation) => {
        if (get().graph === graph) set({ validation });
      });
      return current;
    }

    /** An undoable edit: the previous graph goes on the undo stack and validation reruns. */
    function commit(graph: WorkflowGraph, extra: Partial<DraftEditorState> = {}, typingKey?: string) {
      const { graph: previous, past } = get();
      if (graph === previous) return;
      const now = Date.now();
      const continuesTyping =
        typingKey !== undefined && lastTyping?.key === typingKey && now - lastTyping.at < TYPING_PAUSE_MS;
      lastTyping = typingKey === undefined ? null : { key: typingKey, at: now };
      set({
        graph,
        validation: validationFor(graph, get().validation),
        past: continuesTyping ? past : [...past, previous].slice(-HISTORY_LIMIT),
        future: [],
        notice: null,
        ...extra,
      });
    }

    function selectedIds() {
      return get().selectedNodeIds;
    }

    return {
      graph: initial,
      validation: validate(initial),
      past: [],
      future: [],
      selectedNodeIds: EMPTY,
      selectedEdgeIds: EMPTY,
      clipboard: null,
      notice: null,
      focus: null,

      reset: (graph) =>
        set({
          graph,
          validation: graph.nodes.length > VALIDATE_AFTER_DRAWING_NODES ? NOT_YET_VALIDATED : validate(graph),
          past: [],
          future: [],
          selectedNodeIds: EMPTY,
          selectedEdgeIds: EMPTY,
          notice: null,
        }),

      validateLoaded: () => {
        const { graph, validation } = get();
        if (validation === NOT_YET_VALIDATED) set({ validation: validationFor(graph, validation) });
      },

      replaceGraph: (graph) => commit(graph, { selectedNodeIds: EMPTY, selectedEdgeIds: EMPTY }),

      addNode: (type, position) => {
        const nodeType = findNodeType(type);
        if (!nodeType) {
          set({ notice: `unknown node type "${type}"` });
          return null;
        }
        const { graph } = get();
        const node = createNode(nodeType, position, nodeIds(graph));
        commit(
          { ...graph, nodes: [...graph.nodes, node] },
          { selectedNodeIds: new Set([node.id]), selectedEdgeIds: EMPTY },
        );
        return node.id;
      },

      beginDrag: () => {
        const { graph, past } = get();
        set({ past: [...past, graph].slice(-HISTORY_LIMIT), future: [] });
      },

      dragNodes: (positions) => set({ graph: moveNodes(get().graph, positions) }),

      connect: (connection) => {
        const { graph } = get();
        const problem = connectionProblem(graph, connection);
        if (problem) {
          set({ notice: problem });
          return false;
        }
        commit(connect(graph, connection));
        return true;
      },

      setSelection: (nodes, edges) =>
        set({ selectedNodeIds: new Set(nodes), selectedEdgeIds: new Set(edges) }),

      selectAll: () =>
        set({
          selectedNodeIds: nodeIds(get().graph),
          selectedEdgeIds: new Set(get().graph.edges.map((edge) => edge.id)),
        }),

      deleteSelection: () => {
        const { graph, selectedNodeIds, selectedEdgeIds } = get();
        commit(removeElements(graph, selectedNodeIds, selectedEdgeIds), {
          selectedNodeIds: EMPTY,
          selectedEdgeIds: EMPTY,
        });
      },

      copySelection: () => {
        const ids = selectedIds();
        if (ids.size === 0) return;
        set({ clipboard: structuredClone(extractFragment(get().graph, ids)) });
      },

      cutSelection: () => {
        get().copySelection();
        get().deleteSelection();
      },

      paste: () => {
        const { clipboard, graph } = get();
        if (!clipboard || clipboard.nodes.length === 0) return;
        const pasted = pasteFragment(graph, clipboard, PASTE_OFFSET);
        // Pasting again lands one step further, not on top of the last copy.
        const nextClipboard = {
          ...clipboard,
          nodes: clipboard.nodes.map((node) => ({
            ...node,
            position: { x: node.position.x + PASTE_OFFSET.x, y: node.position.y + PASTE_OFFSET.y },
          })),
        };
        commit(pasted.graph, {
          selectedNodeIds: new Set(pasted.pastedIds),
          selectedEdgeIds: EMPTY,
          clipboard: nextClipboard,
        });
      },

      updateConfig: (nodeId, config) =>
        commit(
          updateNode(get().graph, nodeId, (node): GraphNode => ({ ...node, config })),
          {},
          `config:${nodeId}:${changedKeys(get().graph, nodeId, config)}`,
        ),

      updateLabel: (nodeId, label) =>
        commit(
          updateNode(get().graph, nodeId, (node): GraphNode => {
            const { label: _old, ...rest } = node;
            return label.trim() ? { ...rest, label } : rest;
          }),
          {},
          `label:${nodeId}`,
        ),

      layout: () => {
        const { graph } = get();
        commit(moveNodes(graph, autoLayout(graph)));
      },

      undo: () => {
        const { past, future, graph } = get();
        const previous = past.at(-1);
        if (!previous) return;
        set({
          graph: previous,
          validation: validate(previous),
          past: past.slice(0, -1),
          future: [graph, ...future],
          notice: null,
        });
      },

      redo: () => {
        const { past, future, graph } = get();
        const next = future[0];
        if (!next) return;
        set({
          graph: next,
          validation: validate(next),
          past: [...past, graph],
          future: future.slice(1),
          notice: null,
        });
      },

      focusNode: (nodeId) =>
        set({
          focus: { nodeId, serial: (get().focus?.serial ?? 0) + 1 },
          selectedNodeIds: new Set([nodeId]),
          selectedEdgeIds: EMPTY,
        }),
    };
  });
}
