import { Handle, type NodeProps, Position } from '@xyflow/react';
import { memo } from 'react';
import type { FlowNode } from './toFlow';

function NodeCardView({ id, data }: NodeProps<FlowNode>) {
  const trigger = !data.hasTarget;
  const classes = [
    'node-card',
    trigger ? 'node-card--trigger' : '',
    data.highlight ? `node-card--${data.highlight}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <div className={classes} data-highlight={data.highlight} data-testid="flow-node" data-node-id={id}>
      {data.hasTarget && <Handle type="target" position={Position.Left} className="node-handle" />}
      <div className="node-card-header">
        <span className="node-card-title">{data.title}</span>
        <code className="node-card-type">{data.nodeType}</code>
      </div>
      <div className="node-card-summary" title={data.summary}>
        {data.summary}
      </div>
      {data.sourceHandles.length > 0 && (
        <ul className="node-card-outputs">
          {data.sourceHandles.map((handle) => (
            // Each handle sits in its own row so React Flow anchors the edge next to its label.
            <li key={handle} className="node-card-output">
              <span className="node-card-output-label">{handle}</span>
              <Handle type="source" position={Position.Right} id={handle} className="node-handle" />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export const NodeCard = memo(NodeCardView);
