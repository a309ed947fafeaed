import { type GraphProblem, validateGraph } from '@switchboard/nodes';
import {
  type RunningExecutionsPolicy,
  runningExecutionsPolicySchema,
  workflowGraphSchema,
} from '@switchboard/shared';
import { type ChangeEvent, useEffect, useMemo, useState } from 'react';
import { errorMessage } from '../api';
import { Link } from '../app/Link';
import { formatDateTime } from '../format';
import { DryRunPanel } from './DryRunPanel';
import { draftApi, PublishRefused, takeDraft, type WorkflowDraft } from './draftApi';
import { DraftStoreContext, useDraft } from './draftContext';
import { createDraftEditorStore, type DraftEditorStore } from './draftStore';
import type { DryRunResult } from './dryRun';
import { type CanvasTrail, EditorCanvas, ReactFlowProvider } from './EditorCanvas';
import { Inspector } from './Inspector';
import { createOffThreadValidator } from './offThreadValidation';
import { Palette } from './Palette';
import { ProblemsPanel } from './ProblemsPanel';
import { editorName, type SaveStatus, useDraftSaving } from './useDraftSaving';

type SidePanel = 'inspector' | 'problems' | 'test';

function saveLabel(status: SaveStatus): string {
  switch (status.state) {
    case 'saved':
      return 'All changes saved';
    case 'unsaved':
      return 'Unsaved changes';
    case 'saving':
      return 'Saving…';
    case 'conflict':
    case 'error':
      return status.message;
  }
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

function HistoryButtons() {
  const canUndo = useDraft((s) => s.past.length > 0);
  const canRedo = useDraft((s) => s.future.length > 0);
  const undo = useDraft((s) => s.undo);
  const redo = useDraft((s) => s.redo);
  const layout = useDraft((s) => s.layout);
  return (
    <>
      <button type="button" onClick={undo} disabled={!canUndo} title="Undo (Ctrl+Z)">
        Undo
      </button>
      <button type="button" onClick={redo} disabled={!canRedo} title="Redo (Ctrl+Shift+Z)">
        Redo
      </button>
      <button type="button" onClick={layout} title="Auto-layout (Shift+L)" data-testid="auto-layout">
        Auto-layout
      </button>
    </>
  );
}

function Notice() {
  const notice = useDraft((s) => s.notice);
  return notice ? (
    <p className="editor-notice" role="status" data-testid="editor-notice">
      {notice}
    </p>
  ) : null;
}

function ProblemsTabLabel() {
  const errors = useDraft((s) => s.validation.problems.filter((p) => p.severity === 'error').length);
  return <>Problems{errors > 0 ? ` (${errors})` : ''}</>;
}

function EditorBody({ draft, store }: { draft: WorkflowDraft; store: DraftEditorStore }) {
  const { status, meta, save, overwrite, notePublished } = useDraftSaving(store, draft);
  const [panel, setPanel] = useState<SidePanel>('inspector');
  const [note, setNote] = useState('');
  const [runningExecutions, setRunningExecutions] = useState<RunningExecutionsPolicy>('stay');
  const [publishMessage, setPublishMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [serverProblems, setServerProblems] = useState<GraphProblem[]>([]);
  const [dryRunResult, setDryRunResult] = useState<DryRunResult | null>(null);
  const selectedCount = useDraft((s) => s.selectedNodeIds.size);
  const trail: CanvasTrail | null = useMemo(() => dryRunResult?.trail ?? null, [dryRunResult]);

  // A message about the last publish or import stops being true at the next edit.
  useEffect(
    () =>
      store.subscribe((state, previous) => {
        if (state.graph !== previous.graph) setPublishMessage(null);
      }),
    [store],
  );

  // Selecting a node is asking to configure it.
  useEffect(() => {
    if (selectedCount === 1) setPanel((current) => (current === 'test' ? current : 'inspector'));
  }, [selectedCount]);

  const publish = async () => {
    setPublishMessage(null);
    setServerProblems([]);
    const graph = store.getState().graph;
    if (!validateGraph(graph).ok) {
      setPanel('problems');
      setPublishMessage({ ok: false, text: 'Fix the errors in the problems panel before publishing.' });
      return;
    }
    if (!(await save())) return;
    try {
      const { version } = await draftApi.publish(
        draft.workflowId,
        graph,
        note,
        editorName(),
        runningExecutions,
      );
      notePublished(version);
      setPublishMessage({ ok: true, text: `Published version ${version.number}.` });
      setNote('');
    } catch (error) {
      if (error instanceof PublishRefused) {
        setServerProblems(error.problems);
        setPanel('problems');
      }
      setPublishMessage({ ok: false, text: errorMessage(error) });
    }
  };

  const onImport = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    try {
      const parsed = workflowGraphSchema.safeParse(JSON.parse(await file.text()));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(`${issue?.path.join('.') || 'graph'}: ${issue?.message ?? 'not a workflow graph'}`);
      }
      store.getState().replaceGraph(parsed.data);
      setPublishMessage({ ok: true, text: `Imported ${parsed.data.nodes.length} nodes from ${file.name}.` });
    } catch (error) {
      setPublishMessage({ ok: false, text: `Import failed: ${errorMessage(error)}` });
    }
  };

  return (
    <section className="workflow-editor" data-testid="workflow-editor">
      <header className="editor-toolbar">
        <Link href="/workflows" className="link-button">
          ← Workflows
        </Link>
        <h1 className="editor-title">{draft.name}</h1>
        <HistoryButtons />
        <button type="button" onClick={() => void save()} data-testid="save-draft">
          Save
        </button>
        <span className={`save-status save-status--${status.state}`} data-testid="save-status" role="status">
          {saveLabel(status)}
        </span>
        {status.state === 'conflict' && (
          <>
            <button type="button" onClick={() => window.location.reload()}>
              Reload theirs
            </button>
            <button type="button" onClick={() => void overwrite()}>
              Keep mine
            </button>
          </>
        )}
        {meta?.lastEditedAt && (
          <span className="muted" data-testid="last-edited">
            rev {meta.revision} · {meta.lastEditedBy ?? 'someone'} at {formatDateTime(meta.lastEditedAt)}
          </span>
        )}
        <span className="editor-toolbar-spacer" />
        <button
          type="button"
          onClick={() =>
            download(`${draft.workflowId}.json`, JSON.stringify(store.getState().graph, null, 2))
          }
        >
          Export
        </button>
        <label className="button-like">
          Import
          <input
            type="file"
            accept="application/json,.json"
            onChange={onImport}
            hidden
            data-testid="import-file"
          />
        </label>
        <input
          type="text"
          placeholder="Change note"
          value={note}
          onChange={(e) => setNote(e.target.value)}
          data-testid="publish-note"
          aria-label="Change note"
        />
        <select
          value={runningExecutions}
          onChange={(e) => setRunningExecutions(runningExecutionsPolicySchema.parse(e.target.value))}
          data-testid="publish-running-executions"
          aria-label="Running executions"
          title="Conversations running on an older version: stay on it until done, or move to this one at their next safe point"
        >
          <option value="stay">Running: stay</option>
          <option value="move_at_safe_point">Running: move at safe point</option>
        </select>
        <button type="button" className="primary" onClick={() => void publish()} data-testid="publish">
          Publish
        </button>
      </header>
      {publishMessage && (
        <p
          className={publishMessage.ok ? 'editor-message' : 'error'}
          role="status"
          data-testid="publish-message"
        >
          {publishMessage.text}
        </p>
      )}
      <Notice />
      <div className="editor-body">
        <Palette />
        <EditorCanvas trail={trail} />
        <div className="editor-side">
          <div className="editor-tabs" role="tablist">
            {(['inspector', 'problems', 'test'] as const).map((tab) => (
              <button
                key={tab}
                type="button"
                role="tab"
                aria-selected={panel === tab}
                onClick={() => setPanel(tab)}
                data-testid={`tab-${tab}`}
              >
                {tab === 'problems' ? <ProblemsTabLabel /> : tab === 'test' ? 'Test run' : 'Inspector'}
              </button>
            ))}
          </div>
          {panel === 'inspector' && <Inspector />}
          {panel === 'problems' && (
            <>
              <ProblemsPanel />
              {serverProblems.length > 0 && (
                <p className="muted">The server refused to publish; its problems match the list above.</p>
              )}
            </>
          )}
          <div hidden={panel !== 'test'}>
            <DryRunPanel onResult={setDryRunResult} />
          </div>
        </div>
      </div>
    </section>
  );
}

export function WorkflowEditorPage({ workflowId }: { workflowId: string }) {
  const [store] = useState(() => createDraftEditorStore(undefined, createOffThreadValidator()));
  const [draft, setDraft] = useState<WorkflowDraft | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    takeDraft(workflowId).then(
      (loaded) => {
        if (!live) return;
        // The benchmark times the drawing from here: code and draft both in hand.
        performance.mark('switchboard:draft-ready');
        store.getState().reset(loaded.graph);
        setDraft(loaded);
      },
      (loadError) => live && setError(errorMessage(loadError)),
    );
    return () => {
      live = false;
    };
  }, [workflowId, store]);
  if (error) return <p className="error page">{error}</p>;
  if (!draft) return <p className="muted page">Loading the draft…</p>;
  return (
    <DraftStoreContext.Provider value={store}>
      <ReactFlowProvider>
        <EditorBody draft={draft} store={store} />
      </ReactFlowProvider>
    </DraftStoreContext.Provider>
  );
}
