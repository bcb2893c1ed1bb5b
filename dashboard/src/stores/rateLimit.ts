import { create } from 'zustand';

/** The admin API's rate limit as the dashboard's own calls see it (X-RateLimit-* headers, 429s). */
interface RateLimitState {
  limit: number | null;
  remaining: number | null;
  resetAt: number | null;
  /** Epoch ms until which a 429 told us to wait. */
  blockedUntil: number | null;
  record: (headers: Headers) => void;
  block: (retryAfterSeconds: number, now?: number) => void;
  clear: () => void;
}

export const useRateLimit = create<RateLimitState>((set) => ({
  limit: null,
  remaining: null,
  resetAt: null,
  blockedUntil: null,
  record: (headers) => {
    const limit = headers.get('X-RateLimit-Limit');
    if (limit === null) return;
    set({
      limit: Number(limit),
      remaining: Number(headers.get('X-RateLimit-Remaining')),
      resetAt: Number(headers.get('X-RateLimit-Reset')) * 1000 || null,
    });
  },
  block: (retryAfterSeconds, now = Date.now()) =>
    set({ blockedUntil: now + Math.max(1, retryAfterSeconds) * 1000, remaining: 0 }),
  clear: () => set({ limit: null, remaining: null, resetAt: null, blockedUntil: null }),
}));
