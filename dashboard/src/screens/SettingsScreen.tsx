import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api } from '../api/client';
import type { GatewaySettings, RateLimitPolicy, Tier } from '../api/types';
import { ErrorBox } from '../components/ErrorBox';
import { fieldErrors } from '../components/fieldErrors';
import { policies, time } from '../components/format';
import { Modal } from '../components/Modal';
import { useSubmission } from '../components/useSubmission';

const WINDOWS: RateLimitPolicy['window'][] = ['second', 'minute', 'hour', 'day', 'month'];
const MAX_POLICIES = 8;

/**
 * Settings: the rate-limit tiers with their policies, editable (a change reaches every gateway within seconds), and
 * what the gateway trusts, read-only (set at deploy time).
 */
export function SettingsScreen() {
  const [tiers, setTiers] = useState<Tier[] | null>(null);
  const [settings, setSettings] = useState<GatewaySettings | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<Tier | null>(null);

  const load = useCallback(async () => {
    try {
      const [t, s] = await Promise.all([api<Tier[]>('/tiers'), api<GatewaySettings>('/settings')]);
      setTiers(t.data);
      setSettings(s.data);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => {
    load();
  }, [load]);

  const seconds = settings ? Math.max(1, Math.round(settings.changePollIntervalMillis / 1000)) : null;
  return (
    <section>
      <div className="screen-head">
        <h1>Settings</h1>
      </div>
      <ErrorBox error={error} onRetry={load} />
      <h2>Rate-limit tiers</h2>
      <p className="muted">
        A tier's policies apply to every user and key of the tier, except keys with their own limits.
        {seconds !== null && <> A change reaches every gateway within about {seconds} s.</>}
      </p>
      {tiers && (
        <div className="table-wrap">
          <table data-testid="tiers">
            <thead>
              <tr>
                <th>Tier</th>
                <th>Policies</th>
                <th>Last set</th>
                <th>Actions</th>
              </tr>
            </thead>
            <tbody>
              {tiers.map((t) => (
                <tr key={t.name} data-tier={t.name}>
                  <td>{t.name}</td>
                  <td data-testid="tier-policies">{policies(t.policies)}</td>
                  <td>{time(t.updatedAt)}</td>
                  <td className="row-actions">
                    <button type="button" aria-label={`Edit ${t.name}`} onClick={() => setEditing(t)}>
                      Edit
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>Trusted proxies</h2>
      <p className="muted">
        Peers whose <code>X-Forwarded-For</code> the gateway believes (<code>TRUSTED_PROXIES</code>, set at deploy time).
      </p>
      {settings && (
        <ul data-testid="trusted-proxies">
          {settings.trustedProxies.length === 0 && <li className="muted">None: the peer's address is the client's.</li>}
          {settings.trustedProxies.map((p) => (
            <li key={p}>
              <code>{p}</code>
            </li>
          ))}
        </ul>
      )}
      {editing && (
        <EditTierDialog
          tier={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            load();
          }}
        />
      )}
    </section>
  );
}

interface Row {
  id: number;
  name: string;
  window: RateLimitPolicy['window'];
  limit: string;
}

let nextRow = 0;
const row = (p?: RateLimitPolicy): Row => ({
  id: nextRow++,
  name: p?.name ?? '',
  window: p?.window ?? 'minute',
  limit: p ? String(p.limit) : '',
});

/**
 * Edits a tier's whole list: add and remove policies, pick each one's window and limit, name it (optional: without a
 * name, the window's default such as "monthly"). The gateway validates; its field errors show beside the fields.
 */
export function EditTierDialog({ tier, onClose, onSaved }: { tier: Tier; onClose: () => void; onSaved: (t: Tier) => void }) {
  const [rows, setRows] = useState<Row[]>(() => tier.policies.map(row));
  const { busy, error, run } = useSubmission();

  const change = (id: number, patch: Partial<Row>) => setRows((rs) => rs.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  const fieldError = fieldErrors(error);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(async () => {
      const body = {
        policies: rows.map((r) => ({
          ...(r.name.trim() ? { name: r.name.trim() } : {}),
          window: r.window,
          limit: r.limit.trim() === '' || Number.isNaN(Number(r.limit)) ? null : Number(r.limit),
        })),
      };
      const res = await api<Tier>(`/tiers/${encodeURIComponent(tier.name)}`, { method: 'PUT', body });
      onSaved(res.data);
    });
  };

  return (
    <Modal title={`Edit tier ${tier.name}`} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <table className="policy-rows">
          <thead>
            <tr>
              <th>Name (optional)</th>
              <th>Window</th>
              <th>Limit</th>
              <th>
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={r.id} data-testid="policy-row">
                <td>
                  <input
                    aria-label={`Policy ${i + 1} name`}
                    value={r.name}
                    placeholder="default for the window"
                    maxLength={32}
                    onChange={(e) => change(r.id, { name: e.target.value })}
                  />
                  {fieldError(`policies[${i}].name`)}
                </td>
                <td>
                  <select
                    aria-label={`Policy ${i + 1} window`}
                    value={r.window}
                    onChange={(e) => change(r.id, { window: e.target.value as Row['window'] })}
                  >
                    {WINDOWS.map((w) => (
                      <option key={w} value={w}>
                        {w}
                      </option>
                    ))}
                  </select>
                  {fieldError(`policies[${i}].window`)}
                </td>
                <td>
                  <input
                    aria-label={`Policy ${i + 1} limit`}
                    type="number"
                    min={1}
                    inputMode="numeric"
                    value={r.limit}
                    onChange={(e) => change(r.id, { limit: e.target.value })}
                  />
                  {fieldError(`policies[${i}].limit`)}
                </td>
                <td>
                  <button type="button" aria-label={`Remove policy ${i + 1}`} onClick={() => setRows((rs) => rs.filter((x) => x.id !== r.id))}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {fieldError('policies')}
        <p>
          <button type="button" disabled={rows.length >= MAX_POLICIES} onClick={() => setRows((rs) => [...rs, row()])}>
            Add policy
          </button>
        </p>
        <p className="muted">Day and month are UTC calendar periods; second, minute and hour slide.</p>
        <ErrorBox error={error} />
        <div className="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || rows.length === 0}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
