import { create } from 'zustand';
import { api, ApiError } from '../api/client';
import type { CurrentMetrics, History } from '../api/types';

export const POLL_INTERVAL_MS = 5000;
/** Failed polls in a row after which the figures on screen are flagged as stale. */
export const STALE_AFTER_FAILURES = 3;

interface OverviewState {
  current: CurrentMetrics | null;
  history: History | null;
  lastUpdated: number | null;
  failures: number;
  lastError: ApiError | null;
  poll: () => Promise<void>;
  reset: () => void;
}

export const useOverview = create<OverviewState>((set) => ({
  current: null,
  history: null,
  lastUpdated: null,
  failures: 0,
  lastError: null,
  poll: async () => {
    try {
      const [current, history] = await Promise.all([
        api<CurrentMetrics>('/metrics/current'),
        api<History>('/metrics/history', { query: { minutes: 60 } }),
      ]);
      set({ current: current.data, history: history.data, lastUpdated: Date.now(), failures: 0, lastError: null });
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError(0, 'CLIENT_ERROR', String(e), null);
      set((s) => ({ failures: s.failures + 1, lastError: error }));
    }
  },
  reset: () => set({ current: null, history: null, lastUpdated: null, failures: 0, lastError: null }),
}));

export function isStale(state: { failures: number }): boolean {
  return state.failures >= STALE_AFTER_FAILURES;
}
