import { findNodeType } from '@switchboard/nodes';
import { useMemo } from 'react';
import { nodeTitle } from '../workflows/nodeSummary';
import { ConfigField, ObjectFields, VariantFields } from './ConfigField';
import { useDraft } from './draftContext';
import { describeSchema, drawsPath } from './schemaFields';
import { useLookups } from './useLookups';

const NO_NODE = null;

/** The selected node's settings, as a form generated from its type's zod schema. */
export function Inspector() {
  const nodeId = useDraft((s) =>
    s.selectedNodeIds.size === 1 ? ([...s.selectedNodeIds][0] ?? NO_NODE) : NO_NODE,
  );
  const selectedCount = useDraft((s) => s.selectedNodeIds.size);
  // Field by field, not the node object: a drag replaces the node every frame but none of these.
  const type = useDraft((s) => (nodeId ? s.graph.nodes.find((n) => n.id === nodeId)?.type : undefined));
  const config = useDraft((s) => (nodeId ? s.graph.nodes.find((n) => n.id === nodeId)?.config : undefined));
  const label = useDraft((s) => (nodeId ? s.graph.nodes.find((n) => n.id === nodeId)?.label : undefined));
  const typeVersion = useDraft((s) =>
    nodeId ? s.graph.nodes.find((n) => n.id === nodeId)?.typeVersion : undefined,
  );
  const node =
    nodeId && type !== undefined && config !== undefined
      ? { id: nodeId, type, config, typeVersion: typeVersion ?? 1, ...(label === undefined ? {} : { label }) }
      : undefined;
  const problems = useDraft((s) => s.validation.problems);
  const updateConfig = useDraft((s) => s.updateConfig);
  const updateLabel = useDraft((s) => s.updateLabel);
  const lookups = useLookups();
  const nodeType = node ? findNodeType(node.type) : undefined;
  const spec = useMemo(() => (nodeType ? describeSchema(nodeType.configSchema) : null), [nodeType]);
  const nodeProblems = useMemo(() => problems.filter((p) => p.nodeId === nodeId), [problems, nodeId]);
  const errors = useMemo(() => {
    const byField = new Map<string, string>();
    for (const p of nodeProblems)
      if (p.field !== undefined && !byField.has(p.field)) byField.set(p.field, p.message);
    return byField;
  }, [nodeProblems]);

  if (!node) {
    return (
      <aside className="inspector" data-testid="inspector">
        <p className="muted">
          {selectedCount > 1 ? `${selectedCount} nodes selected.` : 'Select a node to edit its settings.'}
        </p>
      </aside>
    );
  }
  const onChange = (config: unknown) => updateConfig(node.id, (config ?? {}) as Record<string, unknown>);
  const general = nodeProblems.filter(
    (p) => p.field === undefined || !spec || !drawsPath(spec, p.field.split('.')),
  );
  return (
    <aside className="inspector" data-testid="inspector" data-node-id={node.id}>
      <h3 className="inspector-title">
        <span aria-hidden="true">{nodeType?.icon}</span> {nodeTitle(node)}
      </h3>
      <p className="muted inspector-type">
        <code>{node.type}</code> · v{node.typeVersion} · <code>{node.id}</code>
      </p>
      {nodeType && <p className="inspector-description">{nodeType.description}</p>}
      <label className="field">
        <span className="field-label">Label</span>
        <input
          type="text"
          value={node.label ?? ''}
          placeholder={nodeType?.label}
          onChange={(e) => updateLabel(node.id, e.target.value)}
          data-field="label"
        />
      </label>
      {general.length > 0 && (
        <ul className="inspector-problems">
          {general.map((p) => (
            <li key={`${p.code}:${p.field ?? ''}:${p.message}`} className={`problem--${p.severity}`}>
              {p.message}
            </li>
          ))}
        </ul>
      )}
      {/* Keyed by node: what a control keeps while typing belongs to the node it was typed for. */}
      <form key={node.id} className="inspector-form" onSubmit={(e) => e.preventDefault()}>
        {spec?.kind === 'object' && (
          <ObjectFields
            fields={spec.fields}
            value={node.config}
            onChange={onChange}
            path=""
            errors={errors}
            lookups={lookups}
          />
        )}
        {spec?.kind === 'variants' && (
          <VariantFields
            name="config"
            spec={spec}
            value={node.config}
            onChange={onChange}
            path=""
            errors={errors}
            lookups={lookups}
          />
        )}
        {spec && spec.kind !== 'object' && spec.kind !== 'variants' && (
          <ConfigField
            name="config"
            spec={spec}
            value={node.config}
            onChange={onChange}
            path="config"
            errors={errors}
            lookups={lookups}
          />
        )}
        {!nodeType && <p className="error">Unknown node type: this node cannot be configured or run.</p>}
      </form>
    </aside>
  );
}
