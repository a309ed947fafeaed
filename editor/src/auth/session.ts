import type { CurrentUser, Role } from '@switchboard/shared';
import { ROLE_RANK } from '@switchboard/shared';
import { create } from 'zustand';
import { ApiError, errorMessage, getJson, SIGNED_OUT_EVENT, sendJson } from '../api';

type SessionState = {
  user: CurrentUser | null;
  /** The live-feed number when the session was checked: the socket replays everything after it. */
  lastSeq: number | null;
  state: 'checking' | 'signedIn' | 'signedOut';
  error: string | null;
  check: () => Promise<void>;
  signIn: (email: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
};

export const useSession = create<SessionState>()((set) => ({
  user: null,
  lastSeq: null,
  state: 'checking',
  error: null,
  check: async () => {
    try {
      const { user, lastSeq } = await getJson<{ user: CurrentUser; lastSeq: number }>('/api/auth/me');
      set({ user, lastSeq, state: 'signedIn', error: null });
    } catch (error) {
      set({
        user: null,
        state: 'signedOut',
        error: error instanceof ApiError && error.status === 401 ? null : errorMessage(error),
      });
    }
  },
  signIn: async (email, password) => {
    try {
      await sendJson('POST', '/api/auth/login', { email, password });
      // Me again, for the live-feed number as well.
      const { user, lastSeq } = await getJson<{ user: CurrentUser; lastSeq: number }>('/api/auth/me');
      set({ user, lastSeq, state: 'signedIn', error: null });
    } catch (error) {
      set({ state: 'signedOut', error: errorMessage(error) });
    }
  },
  signOut: async () => {
    await sendJson('POST', '/api/auth/logout').catch(() => undefined);
    set({ user: null, state: 'signedOut', error: null });
  },
}));

window.addEventListener(SIGNED_OUT_EVENT, () => {
  if (useSession.getState().state === 'signedIn') useSession.setState({ user: null, state: 'signedOut' });
});

export function hasRole(user: CurrentUser | null, role: Role): boolean {
  return user !== null && ROLE_RANK[user.role] >= ROLE_RANK[role];
}
