import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useSession } from '../stores/session';
import { fail, fakeGateway, ok } from '../test/http';
import { SettingsScreen } from './SettingsScreen';

const TIERS = [
  { name: 'anonymous', policies: [{ name: 'anonymous', window: 'minute', limit: 100 }], updatedAt: '2025-01-01T00:00:00Z' },
  { name: 'free', policies: [{ name: 'free', window: 'minute', limit: 1000 }], updatedAt: '2025-01-01T00:00:00Z' },
  {
    name: 'pro',
    policies: [
      { name: 'pro', window: 'minute', limit: 10000 },
      { name: 'monthly', window: 'month', limit: 5000000 },
    ],
    updatedAt: '2025-01-01T00:00:00Z',
  },
  { name: 'enterprise', policies: [{ name: 'enterprise', window: 'minute', limit: 100000 }], updatedAt: null },
];
const SETTINGS = { trustedProxies: ['10.0.0.0/8', '::1/128'], changePollIntervalMillis: 1000 };

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

beforeEach(() =>
  useSession.setState({ status: 'signedIn', csrfToken: 'csrf-7', user: { id: 1, email: 'root@example.com', role: 'admin', tier: 'free', createdAt: '' } as never }),
);

describe('SettingsScreen', () => {
  it('lists the tiers with their policies and the trusted proxies, read-only', async () => {
    fakeGateway({ 'GET /api/v1/admin/tiers': ok(TIERS), 'GET /api/v1/admin/settings': ok(SETTINGS) });
    render(<SettingsScreen />);
    const pro = (await screen.findByText('pro')).closest('tr')!;
    expect(within(pro).getByTestId('tier-policies').textContent).toBe('pro 10,000/minute, monthly 5,000,000/month');
    const proxies = screen.getByTestId('trusted-proxies');
    expect(within(proxies).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['10.0.0.0/8', '::1/128']);
    expect(within(proxies).queryByRole('textbox')).toBeNull();
    expect(screen.getByText(/within about 1 s/)).toBeTruthy();
  });

  it('adds and removes policies, picks the window and limit, and PUTs the whole list with the CSRF token', async () => {
    const saved = { ...TIERS[2], policies: [{ name: 'monthly', window: 'month', limit: 5000000 }, { name: 'burst', window: 'second', limit: 50 }] };
    const calls = fakeGateway({
      'GET /api/v1/admin/tiers': [ok(TIERS), ok([TIERS[0], TIERS[1], saved, TIERS[3]])],
      'GET /api/v1/admin/settings': ok(SETTINGS),
      'PUT /api/v1/admin/tiers/pro': ok(saved),
    });
    render(<SettingsScreen />);
    fireEvent.click(await screen.findByRole('button', { name: 'Edit pro' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit tier pro' });
    expect(within(dialog).getAllByTestId('policy-row')).toHaveLength(2);

    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove policy 1' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add policy' }));
    fireEvent.change(within(dialog).getByLabelText('Policy 2 name'), { target: { value: 'burst' } });
    fireEvent.change(within(dialog).getByLabelText('Policy 2 window'), { target: { value: 'second' } });
    fireEvent.change(within(dialog).getByLabelText('Policy 2 limit'), { target: { value: '50' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const put = calls.find((c) => c.method === 'PUT')!;
    expect(put.headers['X-CSRF-Token']).toBe('csrf-7');
    expect(put.body).toEqual({
      policies: [
        { name: 'monthly', window: 'month', limit: 5000000 },
        { name: 'burst', window: 'second', limit: 50 },
      ],
    });
    const pro = (await screen.findByText('burst 50/second', { exact: false })).closest('tr')!;
    expect(pro.getAttribute('data-tier')).toBe('pro');
  });

  it('shows the gateway\'s field errors beside the fields and keeps the dialog open', async () => {
    fakeGateway({
      'GET /api/v1/admin/tiers': ok(TIERS),
      'GET /api/v1/admin/settings': ok(SETTINGS),
      'PUT /api/v1/admin/tiers/free': fail(422, 'VALIDATION_FAILED', 'Validation failed for: policies[0].limit', undefined, {
        'policies[0].limit': ['must be from 1 to 1000000000'],
      }),
    });
    render(<SettingsScreen />);
    fireEvent.click(await screen.findByRole('button', { name: 'Edit free' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit tier free' });
    fireEvent.change(within(dialog).getByLabelText('Policy 1 limit'), { target: { value: '0' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    const limitCell = within(dialog).getByLabelText('Policy 1 limit').closest('td')!;
    expect((await within(limitCell).findByRole('alert')).textContent).toBe('must be from 1 to 1000000000');
    expect(screen.getByRole('dialog', { name: 'Edit tier free' })).toBeTruthy();
  });

  it('sends a policy without a name as the window alone, and cannot save an empty list', async () => {
    const calls = fakeGateway({
      'GET /api/v1/admin/tiers': ok(TIERS),
      'GET /api/v1/admin/settings': ok(SETTINGS),
      'PUT /api/v1/admin/tiers/enterprise': ok(TIERS[3]),
    });
    render(<SettingsScreen />);
    fireEvent.click(await screen.findByRole('button', { name: 'Edit enterprise' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit tier enterprise' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove policy 1' }));
    expect((within(dialog).getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add policy' }));
    fireEvent.change(within(dialog).getByLabelText('Policy 1 window'), { target: { value: 'day' } });
    fireEvent.change(within(dialog).getByLabelText('Policy 1 limit'), { target: { value: '1000000' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
    expect(calls.find((c) => c.method === 'PUT')!.body).toEqual({ policies: [{ window: 'day', limit: 1000000 }] });
  });
});
