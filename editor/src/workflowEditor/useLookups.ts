import { useEffect, useState } from 'react';
import { draftApi, type EditorLookups } from './draftApi';

const EMPTY_LOOKUPS: EditorLookups = {
  agents: [],
  teams: [],
  tags: [],
  skills: [],
  languages: [],
  businessNumbers: [],
  templates: [],
  workflows: [],
};

let pending: Promise<EditorLookups> | null = null;

/**
 * Agents, teams, tags, skills, business numbers and templates for the inspector's selects. Fetched
 * once per page load; a failure leaves the selects as free text rather than blocking editing.
 */
export function useLookups(): EditorLookups {
  const [lookups, setLookups] = useState<EditorLookups>(EMPTY_LOOKUPS);
  useEffect(() => {
    let live = true;
    pending ??= draftApi.lookups().catch(() => {
      pending = null;
      return EMPTY_LOOKUPS;
    });
    void pending.then((value) => {
      if (live) setLookups(value);
    });
    return () => {
      live = false;
    };
  }, []);
  return lookups;
}
