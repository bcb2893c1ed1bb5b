import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { policies } from './format';
import { useOverview } from '../stores/overview';
import { useRateLimit } from '../stores/rateLimit';
import { useRouter } from '../stores/router';
import { useSession } from '../stores/session';
import { LoginScreen } from '../screens/LoginScreen';
import { CreateKeyDialog } from '../screens/KeyForm';
import { OverviewScreen } from '../screens/OverviewScreen';
import { UsersScreen } from '../screens/UsersScreen';
import { fail, fakeGateway, ok } from '../test/http';
import { ErrorBox } from './ErrorBox';
import { RateLimitIndicator } from './RateLimitIndicator';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('LoginScreen', () => {
  beforeEach(() => useSession.setState({ status: 'signedOut', user: null, csrfToken: null, notice: null }));

  it('shows a wrong password inline and stays on the form', async () => {
    fakeGateway({ 'POST /api/v1/admin/login': fail(401, 'AUTH_INVALID_CREDENTIALS', 'Invalid email or password') });
    render(<LoginScreen />);
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'admin@example.com' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'nope' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', 'Wrong email or password.');
    expect(useSession.getState().status).toBe('signedOut');
  });

  it('says when the account is not an administrator', async () => {
    fakeGateway({ 'POST /api/v1/admin/login': fail(403, 'FORBIDDEN') });
    render(<LoginScreen />);
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'user@example.com' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'user123' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/not an administrator/);
  });
});

describe('ErrorBox', () => {
  it('shows the code and request id of a 5xx and retries on demand', () => {
    const retry = vi.fn();
    render(<ErrorBox error={new ApiError(503, 'SERVICE_UNAVAILABLE', 'database down', 'req-42')} onRetry={retry} />);
    expect(screen.getByRole('alert').textContent).toMatch(/The server failed.*database down/);
    expect(screen.getByText('SERVICE_UNAVAILABLE')).toBeTruthy();
    expect(screen.getByTestId('error-request-id').textContent).toBe('req-42');
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(retry).toHaveBeenCalledOnce();
  });

  it('shows nothing for a 401 (the login screen takes over)', () => {
    const { container } = render(<ErrorBox error={new ApiError(401, 'AUTH_REQUIRED', 'x', 'r')} />);
    expect(container.textContent).toBe('');
  });
});

describe('RateLimitIndicator', () => {
  beforeEach(() => useRateLimit.getState().clear());

  it('shows calls left, then a countdown after a 429 that ends by itself', () => {
    vi.useFakeTimers();
    const headers = new Headers({ 'X-RateLimit-Limit': '600', 'X-RateLimit-Remaining': '42', 'X-RateLimit-Reset': '1' });
    act(() => useRateLimit.getState().record(headers));
    render(<RateLimitIndicator />);
    expect(screen.getByTestId('rate-limit').textContent).toMatch(/API calls left: 42\/600/);
    act(() => useRateLimit.getState().block(3));
    expect(screen.getByTestId('rate-limit').textContent).toMatch(/retry in 3 s/);
    act(() => vi.advanceTimersByTime(1100));
    expect(screen.getByTestId('rate-limit').textContent).toMatch(/retry in 2 s/);
    act(() => vi.advanceTimersByTime(2500));
    expect(screen.getByTestId('rate-limit').textContent).toMatch(/API calls left: 0\/600/);
  });
});

describe('CreateKeyDialog', () => {
  beforeEach(() => useSession.setState({ status: 'signedIn', csrfToken: 'csrf-9' }));

  it('sends the form and shows the full key once, with a copy button and the warning', async () => {
    const details = { id: 7, name: 'ci', tier: 'pro', scopes: ['read', 'write'], prefix: 'sk_live_Ab' };
    const calls = fakeGateway({ 'POST /api/v1/admin/keys': { status: 201, ...ok({ key: 'sk_live_FULLSECRET0123456789012345678901', details }) } });
    const created = vi.fn();
    render(<CreateKeyDialog onClose={() => {}} onCreated={created} />);
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'ci' } });
    fireEvent.change(screen.getByLabelText('Tier'), { target: { value: 'pro' } });
    fireEvent.click(screen.getByLabelText('write'));
    fireEvent.change(screen.getByLabelText('Rate limit override per minute (optional)'), { target: { value: '50' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));
    const key = await screen.findByTestId('new-key');
    expect((key as HTMLInputElement).value).toBe('sk_live_FULLSECRET0123456789012345678901');
    expect(screen.getByRole('alert').textContent).toMatch(/You will not see it again/);
    expect(screen.getByRole('button', { name: 'Copy key' })).toBeTruthy();
    // no owner picked: the gateway makes the signed-in admin the owner
    expect(calls[0].body).toEqual({ name: 'ci', tier: 'pro', scopes: ['read', 'write'], rateLimitPerMinute: 50 });
    expect(calls[0].headers['X-CSRF-Token']).toBe('csrf-9');
    expect(created).toHaveBeenCalledOnce();
  });

  it('shows the field errors of a 422 next to the fields', async () => {
    fakeGateway({ 'POST /api/v1/admin/keys': fail(422, 'VALIDATION_FAILED', 'Invalid request', undefined, { ownerId: ['must be positive'] }) });
    render(<CreateKeyDialog onClose={() => {}} onCreated={() => {}} />);
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'x' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));
    expect(await screen.findByText('must be positive')).toBeTruthy();
    expect(screen.queryByTestId('new-key')).toBeNull();
  });
});

describe('CreateKeyDialog owner by email', () => {
  beforeEach(() => useSession.setState({ status: 'signedIn', csrfToken: 'csrf-9' }));
  const alice = { id: 41, email: 'alice@example.com', role: 'user', tier: 'pro', status: 'active', passwordSet: true, keyCount: 0, createdAt: '2025-01-01T00:00:00Z' };

  it('suggests users as the operator types and sends the picked user as owner', async () => {
    const calls = fakeGateway({
      'GET /api/v1/admin/users': ok([alice]),
      'POST /api/v1/admin/keys': { status: 201, ...ok({ key: 'sk_live_X', details: { id: 8, name: 'a', tier: 'free', scopes: ['read'] } }) },
    });
    render(<CreateKeyDialog onClose={() => {}} onCreated={() => {}} />);
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'a' } });
    const owner = screen.getByRole('combobox', { name: 'Owner (email; empty = me)' });
    fireEvent.focus(owner);
    fireEvent.change(owner, { target: { value: 'ali' } });
    const option = await screen.findByRole('option', { name: /alice@example.com/ });
    expect(calls.find((c) => c.method === 'GET')!.url).toContain('q=ali');
    fireEvent.mouseDown(option);
    expect((owner as HTMLInputElement).value).toBe('alice@example.com');
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));
    await screen.findByTestId('new-key');
    expect(calls.find((c) => c.method === 'POST')!.body).toMatchObject({ name: 'a', ownerId: 41 });
  });

  it('refuses an email nobody has, without creating a key', async () => {
    const calls = fakeGateway({ 'GET /api/v1/admin/users': ok([]) });
    render(<CreateKeyDialog onClose={() => {}} onCreated={() => {}} />);
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'a' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Owner (email; empty = me)' }), { target: { value: 'nobody@example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));
    expect(await screen.findByText('no user has this email')).toBeTruthy();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  });
});

describe('UsersScreen', () => {
  beforeEach(() => useSession.setState({ status: 'signedIn', csrfToken: 'csrf-9', user: { id: 1, email: 'root@example.com', role: 'admin', tier: 'free', createdAt: '' } as never }));
  const bob = { id: 5, email: 'bob@example.com', role: 'user', tier: 'free', status: 'active', passwordSet: true, keyCount: 2, createdAt: '2025-01-01T00:00:00Z' };

  it('creates a user without a password and shows the one-time token once, with a copy button', async () => {
    const calls = fakeGateway({
      'GET /api/v1/admin/users': ok([bob], undefined, { pagination: { page: 1, limit: 10, total: 1, hasMore: false } }),
      'POST /api/v1/admin/users': { status: 201, ...ok({ user: { ...bob, id: 6, email: 'new@example.com', passwordSet: false }, setPasswordToken: 'pst_ONCE', setPasswordTokenExpiresAt: '2025-01-02T00:00:00Z' }) },
    });
    render(<UsersScreen />);
    await screen.findByText('bob@example.com');
    fireEvent.click(screen.getByRole('button', { name: 'Create user…' }));
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'new@example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create user' }));
    const token = await screen.findByTestId('set-password-token');
    expect((token as HTMLInputElement).value).toBe('pst_ONCE');
    expect(screen.getByRole('button', { name: 'Copy token' })).toBeTruthy();
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({ email: 'new@example.com', role: 'user', tier: 'free' });
    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(screen.queryByText('pst_ONCE')).toBeNull();
  });

  it('sends only the changed fields, and locks role and status of your own account', async () => {
    const calls = fakeGateway({
      'GET /api/v1/admin/users': ok([bob, { ...bob, id: 1, email: 'root@example.com', role: 'admin' }]),
      'PATCH /api/v1/admin/users/5': ok({ ...bob, status: 'disabled' }),
    });
    render(<UsersScreen />);
    await screen.findByText('bob@example.com');
    fireEvent.click(screen.getAllByRole('button', { name: 'Edit' })[0]);
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'disabled' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PATCH')).toBe(true));
    expect(calls.find((c) => c.method === 'PATCH')!.body).toEqual({ status: 'disabled' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    fireEvent.click(screen.getAllByRole('button', { name: 'Edit' })[1]);
    expect((screen.getByLabelText('Role') as HTMLSelectElement).disabled).toBe(true);
    expect((screen.getByLabelText('Status') as HTMLSelectElement).disabled).toBe(true);
  });
});

describe('OverviewScreen', () => {
  beforeEach(() => {
    useOverview.getState().reset();
    useRouter.getState().navigate('/');
  });

  it('polls every 5 s and shows the stale banner after three failed polls', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    fakeGateway({ '/api/v1/admin/metrics/current': fail(502, 'UPSTREAM_ERROR'), '/api/v1/admin/metrics/history': fail(502, 'UPSTREAM_ERROR') });
    render(<OverviewScreen />);
    await waitFor(() => expect(useOverview.getState().failures).toBe(1));
    expect(screen.queryByTestId('stale-banner')).toBeNull();
    expect(screen.getByText('UPSTREAM_ERROR')).toBeTruthy();
    await act(async () => vi.advanceTimersByTime(5000));
    await waitFor(() => expect(useOverview.getState().failures).toBe(2));
    await act(async () => vi.advanceTimersByTime(5000));
    expect(await screen.findByTestId('stale-banner')).toBeTruthy();
  });

  it('shows current values and the last-updated time', async () => {
    const current = {
      requestsPerSecond: 12.5, errorRate: 0.02, latency: { p50: 1.2, p95: 8, p99: 20 },
      cache: { l1HitRate: 0.8, l2HitRate: 0.1 }, last24h: { requests: 1000 }, topBlocked: [],
    };
    const history = { from: 0, to: 20, stepSeconds: 10, points: [
      { t: 0, requestsPerSecond: 10, errorRate: 0, rateLimited: 2, latency: { p50: 1, p95: 2, p99: 3 }, cache: { l1HitRate: 1, l2HitRate: 0 } },
      { t: 10, requestsPerSecond: 15, errorRate: 0, rateLimited: 3, latency: { p50: 1, p95: 2, p99: 3 }, cache: { l1HitRate: 1, l2HitRate: 0 } },
    ] };
    fakeGateway({ '/api/v1/admin/metrics/current': ok(current), '/api/v1/admin/metrics/history': ok(history) });
    render(<OverviewScreen />);
    expect((await screen.findByTestId('m-rps')).textContent).toBe('12.5');
    expect(screen.getByTestId('m-errors').textContent).toBe('2.00 %');
    expect(screen.getByTestId('m-latency').textContent).toBe('1.2 ms / 8.0 ms / 20 ms');
    expect(screen.getByTestId('m-blocked').textContent).toBe('5');
    expect(screen.getByTestId('last-updated').textContent).toMatch(/Last updated \d\d:\d\d:\d\d/);
    expect(screen.getByTestId('chart-rps').getAttribute('data-points')).toBe('2');
  });
});

describe('key policies', () => {
  it('lists a key\'s own policies by name, limit and window', () => {
    expect(policies([{ name: 'burst', window: 'second', limit: 50 }, { name: 'monthly', window: 'month', limit: 5000 }]))
      .toBe('burst 50/second, monthly 5,000/month');
  });
});
