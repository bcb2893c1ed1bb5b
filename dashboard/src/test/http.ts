import { vi } from 'vitest';

export interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

type Reply = { status?: number; body?: unknown; headers?: Record<string, string> };

/** Replaces fetch with a scripted gateway: each call takes the next reply for its path (or fails the test). */
export function fakeGateway(routes: Record<string, Reply | Reply[] | ((call: Call) => Reply)>) {
  const calls: Call[] = [];
  const queues = new Map<string, Reply[]>();
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    const call: Call = {
      url,
      method: init.method ?? 'GET',
      headers: (init.headers ?? {}) as Record<string, string>,
      body: init.body ? JSON.parse(String(init.body)) : undefined,
    };
    calls.push(call);
    const path = url.split('?')[0];
    const key = `${call.method} ${path}`;
    const route = routes[key] ?? routes[path];
    if (!route) throw new Error(`unexpected call ${key}`);
    let reply: Reply;
    if (typeof route === 'function') reply = route(call);
    else if (Array.isArray(route)) {
      if (!queues.has(key)) queues.set(key, [...route]);
      const q = queues.get(key)!;
      reply = q.length > 1 ? q.shift()! : q[0];
    } else reply = route;
    return new Response(JSON.stringify(reply.body ?? {}), {
      status: reply.status ?? 200,
      headers: { 'Content-Type': 'application/json', ...(reply.headers ?? {}) },
    });
  });
  return calls;
}

export const ok = (data: unknown, headers?: Record<string, string>, meta: object = {}): Reply => ({
  body: { data, meta: { requestId: 'rid-ok', ...meta } },
  headers,
});

export const fail = (status: number, code: string, message = code, headers?: Record<string, string>, details?: object): Reply => ({
  status,
  body: { error: { code, message, ...(details ? { details } : {}) }, meta: { requestId: `rid-${status}` } },
  headers,
});
