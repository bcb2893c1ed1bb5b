import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiKey, KeyUsage } from '../api/types';
import { PolicyUsageList, until } from '../components/PolicyUsageList';
import { useSession } from '../stores/session';
import { fail, fakeGateway, ok } from '../test/http';
import { EditKeyDialog, localInput, RotateKeyDialog } from './KeyLifecycle';
import { KeyUsagePanel } from './KeyUsagePanel';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});
beforeEach(() => useSession.setState({ status: 'signedIn', csrfToken: 'csrf-9' }));

const key: ApiKey = {
  id: 7, prefix: 'sk_live_Ab', name: 'checkout', ownerId: 1, ownerEmail: 'a@example.com', tier: 'free', scopes: ['read'],
  rateLimitPerMinute: null, limits: null, status: 'active', expiresAt: null, createdAt: '2026-12-01T00:00:00Z', lastUsedAt: null,
  revokedAt: null, previousKeyExpiresAt: null,
};

const bucket = (start: string, requests: number, rateLimited = 0) => ({ start, requests, rateLimited, errors: 0 });

const usage: KeyUsage = {
  keyId: 7,
  lastUsedAt: '2026-12-03T10:00:00Z',
  last24Hours: { requests: 24, rateLimited: 4, errors: 0 },
  hourly: [bucket('2026-12-03T09:00:00Z', 0), bucket('2026-12-03T10:00:00Z', 24, 4)],
  daily: [],
  thisMonth: {
    start: '2026-12-01T00:00:00Z', requests: 31, rateLimited: 4, errors: 0,
    daily: [bucket('2026-12-01T00:00:00Z', 7), bucket('2026-12-02T00:00:00Z', 0), bucket('2026-12-03T00:00:00Z', 24, 4)],
  },
  policiesFrom: 'tier',
  countersAvailable: true,
  policies: [
    { name: 'free', window: 'minute', windowSeconds: 60, limit: 20, used: 20, remaining: 0, resetAt: '2026-12-03T10:01:01Z' },
    { name: 'monthly', window: 'month', windowSeconds: 2592000, limit: 1000, used: 31, remaining: 969, resetAt: '2027-01-01T00:00:00Z' },
  ],
};

describe('KeyUsagePanel', () => {
  it("shows each policy as used / limit with a bar and its reset, and the month's daily usage", async () => {
    fakeGateway({ 'GET /api/v1/admin/keys/7/usage': ok(usage) });
    render(<KeyUsagePanel apiKey={key} onClose={() => {}} onChanged={() => {}} />);
    const list = await screen.findByTestId('policy-usage');
    const minute = within(list).getByText('free').closest('li')!;
    expect(within(minute).getByTestId('policy-used').textContent).toBe('20 / 20');
    const bar = within(minute).getByRole('progressbar');
    expect(bar.getAttribute('aria-valuenow')).toBe('20');
    expect(bar.getAttribute('aria-valuemax')).toBe('20');
    expect(bar.className).toContain('full');
    expect(within(minute).getByTestId('policy-reset').textContent).toMatch(/^frees up in /);
    const month = within(list).getByText('monthly').closest('li')!;
    expect(within(month).getByTestId('policy-used').textContent).toBe('31 / 1,000');
    expect(within(month).getByRole('progressbar').className).not.toMatch(/full|high/);
    expect(within(month).getByTestId('policy-reset').textContent).toMatch(/^resets in /);
    expect(screen.getByText('Rate-limit policies (tier free)')).toBeTruthy();
    expect(screen.getByTestId('month-requests').textContent).toBe('31');
    // the days with traffic: the 1st and the 3rd
    expect(screen.getByTestId('chart-month').getAttribute('data-points')).toBe('2');
    expect(screen.getByTestId('usage-requests').textContent).toBe('24');
  });

  it('lists the limits without counts when the limiter could not be read, and says so', async () => {
    const down = { ...usage, countersAvailable: false, policies: usage.policies.map((p) => ({ ...p, used: null, remaining: null, resetAt: null })) };
    fakeGateway({ 'GET /api/v1/admin/keys/7/usage': ok(down) });
    render(<KeyUsagePanel apiKey={key} onClose={() => {}} onChanged={() => {}} />);
    expect((await screen.findByRole('status')).textContent).toMatch(/Current counts unavailable/);
    expect(screen.getAllByTestId('policy-used').map((e) => e.textContent)).toEqual(['— / 20', '— / 1,000']);
    expect(screen.getAllByRole('progressbar')[0].getAttribute('aria-valuenow')).toBeNull();
  });

  it('offers no rotation for a revoked key', async () => {
    fakeGateway({ 'GET /api/v1/admin/keys/7/usage': ok(usage) });
    render(<KeyUsagePanel apiKey={{ ...key, status: 'revoked' }} onClose={() => {}} onChanged={() => {}} />);
    await screen.findByTestId('policy-usage');
    expect(screen.queryByRole('button', { name: 'Rotate…' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Edit…' })).toBeTruthy();
  });
});

describe('PolicyUsageList', () => {
  it('marks a policy at 80 % as high and says an idle sliding window has nothing used', () => {
    render(
      <PolicyUsageList
        countersAvailable
        policies={[
          { name: 'burst', window: 'second', windowSeconds: 1, limit: 10, used: 8, remaining: 2, resetAt: '2026-12-03T10:00:01Z' },
          { name: 'hourly', window: 'hour', windowSeconds: 3600, limit: 100, used: 0, remaining: 100, resetAt: null },
        ]}
      />,
    );
    const [burst, hourly] = screen.getAllByRole('progressbar');
    expect(burst.className).toContain('high');
    expect(hourly.className).not.toMatch(/high|full/);
    expect(screen.getAllByTestId('policy-reset')[1].textContent).toBe('nothing used');
  });

  it('says how far away a reset is', () => {
    const now = Date.parse('2026-12-03T10:00:00Z');
    expect(until('2026-12-03T10:00:41.200Z', now)).toBe('in 42 s');
    expect(until('2026-12-03T10:05:00Z', now)).toBe('in 5 min');
    expect(until('2026-12-03T13:05:00Z', now)).toBe('in 3 h 5 min');
    expect(until('2027-01-01T00:00:00Z', now)).toBe('in 28 d 14 h');
    expect(until('2026-12-03T09:00:00Z', now)).toBe('in 0 s');
  });
});

describe('RotateKeyDialog', () => {
  it('sends the grace, then shows the new secret once with a copy button and when the old one stops', async () => {
    const rotated = { ...key, previousKeyExpiresAt: '2026-12-04T10:00:00Z' };
    const calls = fakeGateway({ 'POST /api/v1/admin/keys/7/rotate': ok({ key: 'sk_live_NEWSECRET0123456789012345678901', warning: 'w', details: rotated }) });
    const onRotated = vi.fn();
    render(<RotateKeyDialog apiKey={key} onClose={() => {}} onRotated={onRotated} />);
    fireEvent.change(screen.getByLabelText(/Grace period in seconds/), { target: { value: '3600' } });
    fireEvent.click(screen.getByRole('button', { name: 'Rotate key' }));
    const secret = await screen.findByTestId('rotated-key');
    expect((secret as HTMLInputElement).value).toBe('sk_live_NEWSECRET0123456789012345678901');
    expect(screen.getByRole('alert').textContent).toMatch(/You will not see it again/);
    expect(screen.getByRole('button', { name: 'Copy new key' })).toBeTruthy();
    expect(screen.getByTestId('previous-key-expires').textContent).toContain(new Date('2026-12-04T10:00:00Z').toLocaleString('en-GB', { hour12: false }));
    expect(calls[0].body).toEqual({ graceSeconds: 3600 });
    expect(calls[0].headers['X-CSRF-Token']).toBe('csrf-9');
    expect(onRotated).toHaveBeenCalledWith(rotated);
  });

  it('warns about a grace of 0 and refuses one out of range', () => {
    fakeGateway({});
    render(<RotateKeyDialog apiKey={key} onClose={() => {}} onRotated={() => {}} />);
    const grace = screen.getByLabelText(/Grace period in seconds/);
    fireEvent.change(grace, { target: { value: '0' } });
    expect(screen.getByText(/stops working on every gateway at once/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Rotate key' }) as HTMLButtonElement).disabled).toBe(false);
    for (const bad of ['604801', '-1', '1.5', '']) {
      fireEvent.change(grace, { target: { value: bad } });
      expect((screen.getByRole('button', { name: 'Rotate key' }) as HTMLButtonElement).disabled).toBe(true);
    }
  });

  it('shows a refusal (a key revoked meanwhile) without a secret', async () => {
    fakeGateway({ 'POST /api/v1/admin/keys/7/rotate': fail(409, 'CONFLICT', 'Key 7 is revoked: it cannot be rotated') });
    render(<RotateKeyDialog apiKey={key} onClose={() => {}} onRotated={() => {}} />);
    fireEvent.click(screen.getByRole('button', { name: 'Rotate key' }));
    expect(await screen.findByText('CONFLICT')).toBeTruthy();
    expect(screen.queryByTestId('rotated-key')).toBeNull();
  });
});

describe('EditKeyDialog', () => {
  it('sends only the fields changed', async () => {
    const calls = fakeGateway({ 'PATCH /api/v1/admin/keys/7': ok({ ...key, name: 'renamed' }) });
    const onSaved = vi.fn();
    render(<EditKeyDialog apiKey={key} onClose={() => {}} onSaved={onSaved} />);
    expect((screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: ' renamed ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith({ ...key, name: 'renamed' }));
    expect(calls[0].body).toEqual({ name: 'renamed' });
    expect(calls[0].method).toBe('PATCH');
  });

  it('sets an expiry as an instant and removes one with null', async () => {
    const calls = fakeGateway({ 'PATCH /api/v1/admin/keys/7': ok(key) });
    const { unmount } = render(<EditKeyDialog apiKey={key} onClose={() => {}} onSaved={() => {}} />);
    fireEvent.change(screen.getByLabelText('Expires (empty: never)'), { target: { value: '2030-01-02T03:04' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(calls.length).toBe(1));
    expect(calls[0].body).toEqual({ expiresAt: new Date('2030-01-02T03:04').toISOString() });
    unmount();

    const expiring = { ...key, expiresAt: '2030-01-02T03:04:00Z' };
    render(<EditKeyDialog apiKey={expiring} onClose={() => {}} onSaved={() => {}} />);
    const input = screen.getByLabelText('Expires (empty: never)') as HTMLInputElement;
    expect(input.value).toBe(localInput('2030-01-02T03:04:00Z'));
    fireEvent.change(input, { target: { value: '' } });
    expect(screen.getByText(/Saving removes the expiry/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(calls.length).toBe(2));
    expect(calls[1].body).toEqual({ expiresAt: null });
  });

  it('shows a 422 next to its field', async () => {
    fakeGateway({ 'PATCH /api/v1/admin/keys/7': fail(422, 'VALIDATION_FAILED', 'Validation failed for: expiresAt', undefined, { expiresAt: ['must be in the future'] }) });
    render(<EditKeyDialog apiKey={key} onClose={() => {}} onSaved={() => {}} />);
    fireEvent.change(screen.getByLabelText('Expires (empty: never)'), { target: { value: '2001-01-01T00:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('must be in the future')).toBeTruthy();
  });
});
