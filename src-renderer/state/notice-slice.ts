import type { SliceCreator } from "./app-store";
import { errorInfoOf, notConnected, type ErrorNotice } from "./error-info";

export interface NoticeSlice {
  notices: ErrorNotice[];
  nextNoticeId: number;
  /** Shows a failure until dismissed; anything already on screen stays. */
  reportError(title: string, error: unknown): void;
  dismissNotice(id: number): void;
}

export const createNoticeSlice: SliceCreator<NoticeSlice> = () => (set, get) => ({
  notices: [],
  nextNoticeId: 1,
  reportError: (title, error) => {
    const info = errorInfoOf(error);
    // While the connection banner is up it already says why every call fails.
    if (info === notConnected && get().connection.state !== "open") return;
    set((state) => ({
      notices: [...state.notices, { id: state.nextNoticeId, title, error: info }],
      nextNoticeId: state.nextNoticeId + 1,
    }));
  },
  dismissNotice: (id) => set((state) => ({ notices: state.notices.filter((n) => n.id !== id) })),
});
