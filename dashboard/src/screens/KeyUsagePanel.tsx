import { useCallback, useEffect, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api } from '../api/client';
import type { ApiKey, KeyUsage } from '../api/types';
import { ErrorBox } from '../components/ErrorBox';
import { num, time } from '../components/format';
import { PolicyUsageList } from '../components/PolicyUsageList';
import { TimeChart } from '../components/TimeChart';
import { EditKeyDialog, RotateKeyDialog } from './KeyLifecycle';

const hour = (iso: string) => new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
/** Days are UTC days (the usage table's): labelled as such, not in local time. */
const day = (t: number) => new Date(t * 1000).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });

/** The month's days as chart points (`t` in epoch seconds). */
export function monthPoints(usage: KeyUsage) {
  return usage.thisMonth.daily.map((b) => ({ t: Date.parse(b.start) / 1000, requests: b.requests, rateLimited: b.rateLimited }));
}

/**
 * A key's detail: its policies' current periods (used / limit, reset), its usage this month day by day and over the
 * last 24 h hour by hour, and its lifecycle actions (edit name and expiry, rotate the secret).
 */
export function KeyUsagePanel({ apiKey, onClose, onChanged }: { apiKey: ApiKey; onClose: () => void; onChanged: (k: ApiKey) => void }) {
  const [usage, setUsage] = useState<KeyUsage | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState(false);
  const [rotating, setRotating] = useState(false);
  const load = useCallback(async () => {
    try {
      setUsage((await api<KeyUsage>(`/keys/${apiKey.id}/usage`)).data);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [apiKey.id]);
  useEffect(() => {
    load();
  }, [load]);
  const active = apiKey.status === 'active';
  return (
    <section className="panel" aria-label={`Usage of ${apiKey.name}`} data-testid="key-usage">
      <header className="screen-head">
        <h2>
          Usage of {apiKey.name} <code>{apiKey.prefix}…</code>
        </h2>
        <span className="row-actions">
          <button type="button" onClick={load}>
            Refresh
          </button>
          <button type="button" onClick={() => setEditing(true)}>
            Edit…
          </button>
          {active && (
            <button type="button" onClick={() => setRotating(true)}>
              Rotate…
            </button>
          )}
          <button type="button" onClick={onClose}>
            Close
          </button>
        </span>
      </header>
      <p className="muted" data-testid="key-lifecycle">
        Expires {apiKey.expiresAt ? time(apiKey.expiresAt) : 'never'}
        {apiKey.previousKeyExpiresAt && <> · previous secret valid until {time(apiKey.previousKeyExpiresAt)}</>}
      </p>
      <ErrorBox error={error} onRetry={load} />
      {usage && (
        <>
          <h3>Rate-limit policies ({usage.policiesFrom === 'key' ? "the key's own" : `tier ${apiKey.tier}`})</h3>
          <PolicyUsageList policies={usage.policies} countersAvailable={usage.countersAvailable} />
          <h3>This month (UTC)</h3>
          <p>
            <strong data-testid="month-requests">{num(usage.thisMonth.requests)}</strong> requests since {day(Date.parse(usage.thisMonth.start) / 1000)},{' '}
            {num(usage.thisMonth.rateLimited)} rate-limited, {num(usage.thisMonth.errors)} server errors
          </p>
          <TimeChart
            data={monthPoints(usage)}
            series={[
              { key: 'requests', label: 'requests', color: 'var(--c1)' },
              { key: 'rateLimited', label: '429s', color: 'var(--warn)' },
            ]}
            format={(v) => num(v)}
            tick={day}
            testId="chart-month"
          />
          <h3>Last 24 hours</h3>
          <p>
            <strong data-testid="usage-requests">{num(usage.last24Hours.requests)}</strong> requests,{' '}
            {num(usage.last24Hours.rateLimited)} rate-limited, {num(usage.last24Hours.errors)} server errors · last used {time(usage.lastUsedAt)}
          </p>
          <div className="chart">
            <ResponsiveContainer width="100%" height={180} initialDimension={{ width: 320, height: 180 }}>
              <BarChart data={usage.hourly} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
                <XAxis dataKey="start" tickFormatter={hour} minTickGap={30} fontSize={11} />
                <YAxis width={48} fontSize={11} allowDecimals={false} />
                <Tooltip labelFormatter={(v) => hour(String(v))} />
                <Legend wrapperStyle={{ fontSize: 12 }} />
                <Bar dataKey="requests" name="requests" fill="var(--c1)" isAnimationActive={false} />
                <Bar dataKey="rateLimited" name="429s" fill="var(--warn)" isAnimationActive={false} />
                <Bar dataKey="errors" name="5xx" fill="var(--bad)" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
        </>
      )}
      {editing && (
        <EditKeyDialog
          apiKey={apiKey}
          onClose={() => setEditing(false)}
          onSaved={(k) => {
            setEditing(false);
            onChanged(k);
          }}
        />
      )}
      {rotating && <RotateKeyDialog apiKey={apiKey} onClose={() => setRotating(false)} onRotated={onChanged} />}
    </section>
  );
}
