import { useEffect, useMemo } from 'react';
import { ErrorBox } from '../components/ErrorBox';
import { clock, ms, num, percent } from '../components/format';
import { TimeChart } from '../components/TimeChart';
import { usePolling } from '../components/usePolling';
import { isStale, POLL_INTERVAL_MS, useOverview } from '../stores/overview';

function Metric({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="metric">
      <div className="metric-label">{label}</div>
      <div className="metric-value" data-testid={testId}>
        {value}
      </div>
    </div>
  );
}

export function OverviewScreen() {
  const state = useOverview();
  const { current, history, lastUpdated, lastError, poll, reset } = state;
  usePolling(poll, POLL_INTERVAL_MS);
  useEffect(() => reset, [reset]);

  const rows = useMemo(
    () =>
      (history?.points ?? []).map((p) => ({
        t: p.t,
        rps: p.requestsPerSecond,
        errorRate: p.errorRate,
        p50: p.latency.p50,
        p95: p.latency.p95,
        p99: p.latency.p99,
        l1: p.cache.l1HitRate,
        l2: p.cache.l2HitRate,
        blocked: p.rateLimited,
      })),
    [history],
  );
  const blockedLastMinute = useMemo(() => {
    const pts = history?.points ?? [];
    if (pts.length === 0) return null;
    const step = history!.stepSeconds;
    return pts.slice(-Math.max(1, Math.round(60 / step))).reduce((sum, p) => sum + p.rateLimited, 0);
  }, [history]);

  return (
    <section>
      <div className="screen-head">
        <h1>Overview</h1>
        <span className="updated" data-testid="last-updated">
          {lastUpdated ? `Last updated ${clock(lastUpdated)}` : 'Loading…'} · every {POLL_INTERVAL_MS / 1000} s
        </span>
      </div>
      {isStale(state) && (
        <div className="stale-banner" role="alert" data-testid="stale-banner">
          The figures below are stale: the last {state.failures} polls failed. Still trying every {POLL_INTERVAL_MS / 1000} s.
        </div>
      )}
      {lastError && <ErrorBox error={lastError} onRetry={poll} />}
      {current && (
        <div className="metrics">
          <Metric label="Requests/s (last min)" value={num(current.requestsPerSecond, 1)} testId="m-rps" />
          <Metric label="Error rate (5xx)" value={percent(current.errorRate, 2)} testId="m-errors" />
          <Metric label="p50 / p95 / p99" value={`${ms(current.latency.p50)} / ${ms(current.latency.p95)} / ${ms(current.latency.p99)}`} testId="m-latency" />
          <Metric label="Cache hits L1 / L2" value={`${percent(current.cache.l1HitRate, 0)} / ${percent(current.cache.l2HitRate, 0)}`} testId="m-cache" />
          <Metric label="Rate-limit blocks (last min)" value={num(blockedLastMinute)} testId="m-blocked" />
          <Metric label="Requests (24 h)" value={num(current.last24h.requests)} testId="m-24h" />
        </div>
      )}
      {history && (
        <div className="charts">
          <figure>
            <figcaption>Requests per second</figcaption>
            <TimeChart testId="chart-rps" data={rows} series={[{ key: 'rps', label: 'req/s', color: 'var(--c1)' }]} format={(v) => num(v, 1)} />
          </figure>
          <figure>
            <figcaption>Error rate (5xx)</figcaption>
            <TimeChart testId="chart-errors" data={rows} series={[{ key: 'errorRate', label: 'errors', color: 'var(--bad)' }]} format={(v) => percent(v, 0)} domain={[0, (max) => Math.min(1, Math.max(max, 0.05))]} />
          </figure>
          <figure>
            <figcaption>Latency</figcaption>
            <TimeChart
              testId="chart-latency"
              data={rows}
              series={[
                { key: 'p50', label: 'p50', color: 'var(--c1)' },
                { key: 'p95', label: 'p95', color: 'var(--c2)' },
                { key: 'p99', label: 'p99', color: 'var(--c3)' },
              ]}
              format={ms}
            />
          </figure>
          <figure>
            <figcaption>Cache hit rate by level</figcaption>
            <TimeChart
              testId="chart-cache"
              data={rows}
              series={[
                { key: 'l1', label: 'L1', color: 'var(--c1)' },
                { key: 'l2', label: 'L2', color: 'var(--c2)' },
              ]}
              format={(v) => percent(v, 0)}
              domain={[0, 1]}
            />
          </figure>
          <figure>
            <figcaption>Rate-limit blocks per interval</figcaption>
            <TimeChart testId="chart-blocked" data={rows} series={[{ key: 'blocked', label: '429s', color: 'var(--warn)' }]} format={(v) => num(v)} />
          </figure>
        </div>
      )}
      {current && current.topBlocked.length > 0 && (
        <>
          <h2>Most rate-limited (24 h)</h2>
          <ul className="plain">
            {current.topBlocked.map((b) => (
              <li key={b.subject}>
                <code>{b.subject}</code>: {num(b.blocked)}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
