import { findNodeType } from '@switchboard/nodes';
import { Handle, type NodeProps, type NodeTypes, Position } from '@xyflow/react';
import { memo, useMemo } from 'react';
import { nodeTitle, summarizeConfig } from '../workflows/nodeSummary';
import type { EditorFlowNode } from './flowModel';
import { outputsOf } from './graphEdits';

function NodeBadgeView({ data }: { data: EditorFlowNode['data'] }) {
  const badge = data.badge;
  if (!badge) return null;
  const severity = badge.errors > 0 ? 'error' : 'warning';
  const count = badge.errors > 0 ? badge.errors : badge.warnings;
  return (
    <span
      className={`editor-node-badge editor-node-badge--${severity}`}
      title={badge.messages.join('\n')}
      data-testid="node-badge"
      data-severity={severity}
    >
      {severity === 'error' ? '⛔' : '⚠'} {count}
    </span>
  );
}

/** The card every category shares; categories differ in accent, handles and what the header says. */
function EditorNodeCard({
  id,
  data,
  selected,
  showTarget,
}: NodeProps<EditorFlowNode> & { showTarget: boolean }) {
  const { node, usedHandles, trail } = data;
  const nodeType = findNodeType(node.type);
  // Recomputed only when this node's config or edges change, not when it moves.
  const summary = useMemo(() => summarizeConfig(node.type, node.config), [node.type, node.config]);
  const { type, config } = node;
  const outputs = useMemo(() => outputsOf({ type, config }, usedHandles), [type, config, usedHandles]);
  const title = nodeTitle(node);
  const classes = [
    'editor-node',
    `editor-node--${nodeType?.category ?? 'unknown'}`,
    selected ? 'editor-node--selected' : '',
    trail ? `editor-node--trail-${trail}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <div
      className={classes}
      style={{ borderTopColor: nodeType?.color }}
      data-testid="editor-node"
      data-node-id={id}
      data-node-type={node.type}
      data-trail={trail ?? undefined}
    >
      {showTarget && <Handle type="target" position={Position.Left} className="node-handle" />}
      <div className="editor-node-header">
        <span className="editor-node-icon" aria-hidden="true">
          {nodeType?.icon ?? '❔'}
        </span>
        <span className="editor-node-title">{title}</span>
        <NodeBadgeView data={data} />
      </div>
      <div className="editor-node-summary" title={summary}>
        {summary}
      </div>
      {outputs.length > 0 && (
        <ul className="node-card-outputs">
          {outputs.map((output) => (
            <li key={output.id} className="node-card-output">
              <span className="node-card-output-label">{output.label}</span>
              <Handle
                type="source"
                position={Position.Right}
                id={output.id}
                className="node-handle"
                data-testid={`handle-${id}-${output.id}`}
              />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

const TriggerNode = memo((props: NodeProps<EditorFlowNode>) => (
  <EditorNodeCard {...props} showTarget={false} />
));
const ConditionNode = memo((props: NodeProps<EditorFlowNode>) => <EditorNodeCard {...props} showTarget />);
const ActionNode = memo((props: NodeProps<EditorFlowNode>) => <EditorNodeCard {...props} showTarget />);
const FlowControlNode = memo((props: NodeProps<EditorFlowNode>) => <EditorNodeCard {...props} showTarget />);

/** Module-level so React Flow never sees a new object and remounts every node. */
export const editorNodeTypes: NodeTypes = {
  trigger: TriggerNode,
  condition: ConditionNode,
  action: ActionNode,
  flow: FlowControlNode,
  unknown: ActionNode,
};
