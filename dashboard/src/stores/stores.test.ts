import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isStale, useOverview } from './overview';
import { useRouter } from './router';
import { loginPathFor, redirectTarget, useSession } from './session';
import { fail, fakeGateway, ok } from '../test/http';

const history = { from: 0, to: 60, stepSeconds: 10, points: [] };

describe('overview store', () => {
  beforeEach(() => useOverview.getState().reset());
  afterEach(() => vi.unstubAllGlobals());

  it('is stale after three failed polls in a row, and fresh again after a success', async () => {
    const current = { requestsPerSecond: 3 };
    fakeGateway({
      '/api/v1/admin/metrics/current': [fail(503, 'SERVICE_UNAVAILABLE'), fail(503, 'SERVICE_UNAVAILABLE'), fail(503, 'SERVICE_UNAVAILABLE'), ok(current)],
      '/api/v1/admin/metrics/history': ok(history),
    });
    await useOverview.getState().poll();
    await useOverview.getState().poll();
    expect(isStale(useOverview.getState())).toBe(false);
    await useOverview.getState().poll();
    expect(isStale(useOverview.getState())).toBe(true);
    expect(useOverview.getState().lastError?.code).toBe('SERVICE_UNAVAILABLE');
    await useOverview.getState().poll();
    expect(isStale(useOverview.getState())).toBe(false);
    expect(useOverview.getState().current).toEqual(current);
    expect(useOverview.getState().lastUpdated).not.toBeNull();
  });

  it('asks for the last hour of history', async () => {
    const calls = fakeGateway({ '/api/v1/admin/metrics/current': ok({}), '/api/v1/admin/metrics/history': ok(history) });
    await useOverview.getState().poll();
    expect(calls.map((c) => c.url)).toContain('/api/v1/admin/metrics/history?minutes=60');
  });
});

describe('session store', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('redirects back only to local paths', () => {
    expect(redirectTarget('?next=%2Flogs%3FkeyId%3D4')).toBe('/logs?keyId=4');
    expect(redirectTarget('?next=https%3A%2F%2Fevil.example')).toBe('/');
    expect(redirectTarget('?next=%2F%2Fevil.example')).toBe('/');
    expect(redirectTarget('')).toBe('/');
    expect(loginPathFor('/keys?q=a')).toBe('/login?next=%2Fkeys%3Fq%3Da');
    expect(loginPathFor('/')).toBe('/login');
  });

  it('login keeps the CSRF token and returns to the page asked for; logout forgets it', async () => {
    useRouter.getState().navigate('/login?next=%2Fkeys');
    const calls = fakeGateway({
      'POST /api/v1/admin/login': ok({ user: { id: 1, email: 'root@x', role: 'admin' }, csrfToken: 'tok-1' }),
      'POST /api/v1/admin/logout': ok({ signedOut: true }),
    });
    await useSession.getState().login('root@x', 'pw');
    expect(useSession.getState()).toMatchObject({ status: 'signedIn', csrfToken: 'tok-1' });
    expect(window.location.pathname).toBe('/keys');
    expect(calls[0].body).toEqual({ email: 'root@x', password: 'pw' });
    await useSession.getState().logout();
    expect(calls[1].headers['X-CSRF-Token']).toBe('tok-1');
    expect(useSession.getState()).toMatchObject({ status: 'signedOut', csrfToken: null });
    expect(window.location.pathname).toBe('/login');
  });

  it('restore() after a reload takes the user and CSRF token from /me, or signs out on 401', async () => {
    fakeGateway({ '/api/v1/admin/me': [ok({ user: { id: 1, email: 'root@x', role: 'admin' }, csrfToken: 'tok-2' }), fail(401, 'AUTH_REQUIRED')] });
    await useSession.getState().restore();
    expect(useSession.getState()).toMatchObject({ status: 'signedIn', csrfToken: 'tok-2' });
    await useSession.getState().restore();
    expect(useSession.getState().status).toBe('signedOut');
  });
});
