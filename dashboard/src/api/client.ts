import { useRateLimit } from '../stores/rateLimit';

/** The brief's error envelope, turned into an exception the screens can show. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | null,
    readonly retryAfterSeconds: number | null = null,
    readonly details: Record<string, string[]> | null = null,
  ) {
    super(message);
  }
}

export interface Pagination {
  page?: number;
  limit?: number;
  total?: number;
  hasMore?: boolean;
  nextCursor?: string | null;
}

export interface Envelope<T> {
  data: T;
  meta: { requestId?: string; timestamp?: string; pagination?: Pagination };
}

type Query = Record<string, string | number | undefined | null>;

interface ClientHooks {
  csrfToken: () => string | null;
  /** The session is gone (401 from any admin call except login itself). */
  onUnauthorized: () => void;
}

let hooks: ClientHooks = { csrfToken: () => null, onUnauthorized: () => {} };

export function configureClient(next: ClientHooks) {
  hooks = next;
}

export const API_ROOT = '/api/v1/admin';

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

/**
 * Calls the admin API with the session cookie (same origin), sends the CSRF token on state-changing calls,
 * records the X-RateLimit-* headers of every answer and turns error envelopes into {@link ApiError}.
 */
export async function api<T>(
  path: string,
  options: { method?: string; body?: unknown; query?: Query; signal?: AbortSignal } = {},
): Promise<Envelope<T>> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const csrf = hooks.csrfToken();
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  let response: Response;
  try {
    response = await fetch(withQuery(API_ROOT + path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK_ERROR', 'The gateway could not be reached', null);
  }
  useRateLimit.getState().record(response.headers);
  const body = await response.json().catch(() => null);
  if (response.ok) return body as Envelope<T>;
  const error = body?.error ?? {};
  const requestId = body?.meta?.requestId ?? response.headers.get('X-Request-ID');
  const retryAfter = Number(response.headers.get('Retry-After')) || null;
  const failure = new ApiError(
    response.status,
    error.code ?? `HTTP_${response.status}`,
    error.message ?? response.statusText,
    requestId,
    retryAfter,
    error.details ?? null,
  );
  if (response.status === 429) useRateLimit.getState().block(retryAfter ?? 1);
  if (response.status === 401 && path !== '/login') hooks.onUnauthorized();
  throw failure;
}
