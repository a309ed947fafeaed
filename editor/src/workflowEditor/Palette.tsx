import { type AnyNodeType, type NodeCategory, nodeCatalog } from '@switchboard/nodes';
import type { WorkflowGraph } from '@switchboard/shared';
import { type DragEvent, useMemo, useState } from 'react';
import { useDraftStore } from './draftContext';
import { PALETTE_MIME } from './EditorCanvas';

const categoryTitles: Record<NodeCategory, string> = {
  trigger: 'Triggers',
  condition: 'Conditions',
  action: 'Actions',
  flow: 'Flow',
};
const categories: NodeCategory[] = ['trigger', 'condition', 'action', 'flow'];

function matches(nodeType: AnyNodeType, query: string): boolean {
  if (!query) return true;
  const haystack = `${nodeType.label} ${nodeType.type} ${nodeType.description}`.toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}

/** Where a clicked (not dragged) node goes: right of the rightmost node, so it never lands on one. */
export function nextFreePosition(graph: WorkflowGraph): { x: number; y: number } {
  if (graph.nodes.length === 0) return { x: 0, y: 0 };
  let right = Number.NEGATIVE_INFINITY;
  let y = 0;
  for (const node of graph.nodes) {
    if (node.position.x > right) {
      right = node.position.x;
      y = node.position.y;
    }
  }
  return { x: right + 300, y };
}

export function Palette() {
  const store = useDraftStore();
  const [query, setQuery] = useState('');
  const groups = useMemo(
    () =>
      categories.map((category) => ({
        category,
        types: nodeCatalog.filter((t) => t.category === category && matches(t, query)),
      })),
    [query],
  );
  const onDragStart = (event: DragEvent, type: string) => {
    event.dataTransfer.setData(PALETTE_MIME, type);
    event.dataTransfer.effectAllowed = 'copy';
  };
  const add = (type: string) => {
    const s = store.getState();
    s.addNode(type, nextFreePosition(s.graph));
  };
  return (
    <aside className="palette" aria-label="Node palette" data-testid="palette">
      <input
        type="search"
        className="palette-search"
        placeholder="Search nodes…"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        aria-label="Search nodes"
      />
      {groups.map(({ category, types }) =>
        types.length === 0 ? null : (
          <section key={category} className="palette-group">
            <h3 className="palette-group-title">{categoryTitles[category]}</h3>
            <ul className="palette-list">
              {types.map((nodeType) => (
                <li key={nodeType.type}>
                  <button
                    type="button"
                    className={`palette-item palette-item--${category}`}
                    draggable
                    onDragStart={(event) => onDragStart(event, nodeType.type)}
                    onClick={() => add(nodeType.type)}
                    title={`${nodeType.description} — drag onto the canvas or click to add`}
                    data-testid="palette-item"
                    data-node-type={nodeType.type}
                  >
                    <span aria-hidden="true">{nodeType.icon}</span> {nodeType.label}
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ),
      )}
      {groups.every((group) => group.types.length === 0) && (
        <p className="muted">No node matches “{query}”.</p>
      )}
    </aside>
  );
}
