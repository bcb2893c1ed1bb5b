import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError } from './client';
import { useRateLimit } from '../stores/rateLimit';
import { useRouter } from '../stores/router';
import { useSession } from '../stores/session';
import { fail, fakeGateway, ok } from '../test/http';

describe('admin API client', () => {
  beforeEach(() => {
    useRateLimit.getState().clear();
    useSession.setState({ status: 'signedIn', user: { id: 1, email: 'a@x', role: 'admin' }, csrfToken: 'csrf-123', notice: null });
    useRouter.getState().navigate('/servers');
  });
  afterEach(() => vi.unstubAllGlobals());

  it('sends the CSRF token on state-changing calls only', async () => {
    const calls = fakeGateway({ '/api/v1/admin/keys': ok([]), 'POST /api/v1/admin/cache/clear': ok({}) });
    await api('/keys');
    await api('/cache/clear', { method: 'POST' });
    expect(calls[0].headers['X-CSRF-Token']).toBeUndefined();
    expect(calls[1].headers['X-CSRF-Token']).toBe('csrf-123');
  });

  it('records the X-RateLimit-* headers of every answer', async () => {
    fakeGateway({ '/api/v1/admin/keys': ok([], { 'X-RateLimit-Limit': '600', 'X-RateLimit-Remaining': '598', 'X-RateLimit-Reset': '1900000000' }) });
    await api('/keys');
    expect(useRateLimit.getState()).toMatchObject({ limit: 600, remaining: 598, resetAt: 1_900_000_000_000 });
  });

  it('turns an error envelope into an ApiError with code, message and request id', async () => {
    fakeGateway({ '/api/v1/admin/keys': fail(503, 'SERVICE_UNAVAILABLE', 'database down') });
    const error = await api('/keys').catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', message: 'database down', requestId: 'rid-503' });
  });

  it('a 429 blocks for Retry-After seconds', async () => {
    fakeGateway({ '/api/v1/admin/keys': fail(429, 'RATE_LIMIT_EXCEEDED', 'slow down', { 'Retry-After': '7' }) });
    const before = Date.now();
    const error = await api('/keys').catch((e) => e);
    expect(error.retryAfterSeconds).toBe(7);
    const until = useRateLimit.getState().blockedUntil!;
    expect(until - before).toBeGreaterThanOrEqual(7000);
    expect(until - before).toBeLessThan(8000);
  });

  it('a 401 ends the session and sends the operator to the login page, remembering where they were', async () => {
    fakeGateway({ '/api/v1/admin/keys': fail(401, 'AUTH_REQUIRED') });
    await api('/keys').catch(() => {});
    expect(useSession.getState().status).toBe('signedOut');
    expect(useSession.getState().notice).toMatch(/session has ended/);
    expect(window.location.pathname + window.location.search).toBe('/login?next=%2Fservers');
  });

  it('a wrong password at login does not count as an ended session', async () => {
    useSession.setState({ status: 'signedOut', user: null, csrfToken: null });
    useRouter.getState().navigate('/login');
    fakeGateway({ 'POST /api/v1/admin/login': fail(401, 'AUTH_INVALID_CREDENTIALS') });
    await expect(api('/login', { method: 'POST', body: {} })).rejects.toMatchObject({ code: 'AUTH_INVALID_CREDENTIALS' });
    expect(useSession.getState().notice).toBeNull();
    expect(window.location.pathname).toBe('/login');
  });
});
