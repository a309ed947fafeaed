import { create } from 'zustand';
import { errorMessage, getJson, sendJson } from '../api';

export type InAppNotification = {
  id: string;
  conversationId: string | null;
  title: string;
  body: string;
  readAt?: number | null;
  createdAt: number;
};

type NotificationsState = {
  items: InAppNotification[];
  unread: number;
  error: string | null;
  load: () => Promise<void>;
  received: (notification: InAppNotification) => void;
  markAllRead: () => Promise<void>;
};

export const useNotifications = create<NotificationsState>()((set, get) => ({
  items: [],
  unread: 0,
  error: null,
  load: async () => {
    try {
      const body = await getJson<{ notifications: InAppNotification[]; unread: number }>(
        '/api/notifications',
      );
      set({ items: body.notifications, unread: body.unread, error: null });
    } catch (error) {
      set({ error: errorMessage(error) });
    }
  },
  received: (notification) => {
    if (get().items.some((item) => item.id === notification.id)) return;
    set((state) => ({
      items: [{ ...notification, readAt: null }, ...state.items],
      unread: state.unread + 1,
    }));
  },
  markAllRead: async () => {
    const { unread } = await sendJson<{ unread: number }>('POST', '/api/notifications/read', {});
    set((state) => ({
      unread,
      items: state.items.map((item) => ({ ...item, readAt: item.readAt ?? Date.now() })),
    }));
  },
}));
