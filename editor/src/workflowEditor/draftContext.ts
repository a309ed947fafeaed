import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { DraftEditorActions, DraftEditorState, DraftEditorStore } from './draftStore';

export const DraftStoreContext = createContext<DraftEditorStore | null>(null);

export function useDraftStore(): DraftEditorStore {
  const store = useContext(DraftStoreContext);
  if (!store) throw new Error('useDraftStore outside a DraftStoreContext provider');
  return store;
}

/** Subscribes to the smallest slice a component needs; it re-renders only when that slice changes. */
export function useDraft<T>(selector: (state: DraftEditorState & DraftEditorActions) => T): T {
  return useStore(useDraftStore(), selector);
}
