import type { WorkflowGraph, WorkflowVersion } from '@switchboard/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, errorMessage } from '../api';
import { useSession } from '../auth/session';
import { draftApi, type WorkflowDraft } from './draftApi';
import type { DraftEditorStore } from './draftStore';

export type SaveStatus =
  | { state: 'saved' }
  | { state: 'unsaved' }
  | { state: 'saving' }
  | { state: 'conflict'; message: string }
  | { state: 'error'; message: string };

/** How long the graph must stay still before an autosave: one save per burst of edits. */
export const AUTOSAVE_DELAY_MS = 1500;

/** Who saves: the signed-in person (the server records the session's name in any case). */
export function editorName(): string {
  return useSession.getState().user?.name ?? 'manager';
}

/**
 * Keeps the server's draft in step with the store: autosave after a pause, explicit save, and the
 * revision that makes a second editor's stale save fail with 409 instead of overwriting.
 */
export function useDraftSaving(store: DraftEditorStore, draft: WorkflowDraft | null) {
  const [status, setStatus] = useState<SaveStatus>({ state: 'saved' });
  const [meta, setMeta] = useState<Pick<WorkflowDraft, 'revision' | 'lastEditedBy' | 'lastEditedAt'> | null>(
    null,
  );
  const revision = useRef(0);
  const saved = useRef<WorkflowGraph | null>(null);
  const inFlight = useRef<Promise<boolean> | null>(null);
  const conflict = useRef(false);

  useEffect(() => {
    if (!draft) return;
    revision.current = draft.revision;
    saved.current = draft.graph;
    conflict.current = false;
    setMeta({ revision: draft.revision, lastEditedBy: draft.lastEditedBy, lastEditedAt: draft.lastEditedAt });
    setStatus({ state: 'saved' });
  }, [draft]);

  const save = useCallback(async (): Promise<boolean> => {
    if (!draft) return false;
    if (inFlight.current) await inFlight.current;
    const graph = store.getState().graph;
    if (graph === saved.current) return true;
    setStatus({ state: 'saving' });
    const attempt = (async () => {
      try {
        const next = await draftApi.save(draft.workflowId, graph, revision.current, editorName());
        revision.current = next.revision;
        saved.current = graph;
        conflict.current = false;
        setMeta({
          revision: next.revision,
          lastEditedBy: next.lastEditedBy,
          lastEditedAt: next.lastEditedAt,
        });
        setStatus(store.getState().graph === graph ? { state: 'saved' } : { state: 'unsaved' });
        return true;
      } catch (error) {
        if (error instanceof ApiError && error.status === 409) {
          conflict.current = true;
          setStatus({ state: 'conflict', message: error.message });
        } else {
          setStatus({ state: 'error', message: errorMessage(error) });
        }
        return false;
      } finally {
        inFlight.current = null;
      }
    })();
    inFlight.current = attempt;
    return attempt;
  }, [draft, store]);

  useEffect(() => {
    if (!draft) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = store.subscribe((state, previous) => {
      if (state.graph === previous.graph) return;
      if (conflict.current) return;
      // Same object when nothing changes: a drag fires this every frame and must not re-render the page.
      setStatus((current) =>
        current.state === 'saving' || current.state === 'unsaved' ? current : { state: 'unsaved' },
      );
      clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        void save();
      }, AUTOSAVE_DELAY_MS);
    });
    // Leaving the editor inside the app saves what the pause had not saved yet.
    return () => {
      if (timer !== undefined && !conflict.current) void save();
      clearTimeout(timer);
      unsubscribe();
    };
  }, [draft, store, save]);

  // Closing the tab cannot wait for a save; the browser asks the manager instead.
  useEffect(() => {
    if (status.state === 'saved') return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [status.state]);

  /** After a conflict: take the other editor's revision and save ours over it, on purpose. */
  const overwrite = useCallback(async () => {
    if (!draft) return;
    const latest = await draftApi.load(draft.workflowId);
    revision.current = latest.revision;
    conflict.current = false;
    saved.current = null;
    await save();
  }, [draft, save]);

  /** A publish is an edit too: the toolbar names it, as the server's workflow list does. */
  const notePublished = useCallback((version: WorkflowVersion) => {
    setMeta(
      (current) =>
        current && { ...current, lastEditedBy: version.publishedBy, lastEditedAt: version.publishedAt },
    );
  }, []);

  return { status, meta, save, overwrite, notePublished };
}
