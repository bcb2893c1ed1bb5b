import { useCallback, useState } from 'react';
import { api } from '../api/client';
import type { BalancerBackend, Breaker, CacheStatus, Servers } from '../api/types';
import { ErrorBox } from '../components/ErrorBox';
import { breakerClass, clock, num, percent, time } from '../components/format';
import { ConfirmDialog } from '../components/Modal';
import { usePolling } from '../components/usePolling';

interface Snapshot {
  servers: Servers;
  breakers: Breaker[];
  cache: CacheStatus;
}

type Action = { kind: 'reset'; breaker: Breaker } | { kind: 'clear' };

export function ServersScreen() {
  const [snapshot, setSnapshot] = useState<Snapshot | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [updated, setUpdated] = useState<number | null>(null);
  const [action, setAction] = useState<Action | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const [servers, breakers, cache] = await Promise.all([
        api<Servers>('/servers'),
        api<Breaker[]>('/circuit-breakers'),
        api<CacheStatus>('/cache'),
      ]);
      setSnapshot({ servers: servers.data, breakers: breakers.data, cache: cache.data });
      setUpdated(Date.now());
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, []);
  usePolling(load, 5000);

  const confirm = async () => {
    if (!action) return;
    setBusy(true);
    setActionError(null);
    try {
      if (action.kind === 'reset') {
        await api(`/circuit-breakers/${encodeURIComponent(action.breaker.name)}/reset`, { method: 'POST' });
        setDone(`Breaker ${action.breaker.name} was reset on every api replica.`);
      } else {
        await api('/cache/clear', { method: 'POST' });
        setDone('The cache was cleared (L2 and every replica’s L1).');
      }
      setAction(null);
      await load();
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(false);
    }
  };

  const backends = snapshot?.servers.balancer?.backends ?? [];
  // One row per api breaker name (a reset reaches every replica); the states of each replica side by side.
  const apiBreakers = snapshot?.breakers.filter((b) => b.scope === 'api') ?? [];
  const balancerBreakers = snapshot?.breakers.filter((b) => b.scope === 'balancer') ?? [];

  return (
    <section>
      <div className="screen-head">
        <h1>Servers</h1>
        <span className="updated">{updated ? `Last updated ${clock(updated)}` : 'Loading…'}</span>
      </div>
      {done && (
        <p className="success" role="status">
          {done}
        </p>
      )}
      <ErrorBox error={error} onRetry={load} />
      {snapshot && (
        <>
          <h2>Balancer backends</h2>
          {snapshot.servers.balancer === null && <p className="warn-text">The balancer did not answer.</p>}
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Backend</th>
                  <th>Health</th>
                  <th>In flight</th>
                  <th>Ejections</th>
                  <th>Breaker</th>
                </tr>
              </thead>
              <tbody>
                {backends.map((b) => (
                  <tr key={b.id}>
                    <td>
                      <code>{b.id}</code>
                    </td>
                    <td>
                      <span className={`pill ${healthClass(b)}`}>{healthLabel(b)}</span>
                    </td>
                    <td>{num(b.inFlight)}</td>
                    <td>{num(b.ejections)}</td>
                    <td>
                      <span className={`pill ${breakerClass(b.breaker)}`}>{b.breaker.toLowerCase().replace('_', '-')}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>

          <h2>API replicas</h2>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Instance</th>
                  <th>Last seen</th>
                  <th>L1 entries</th>
                  <th>Redis (L2)</th>
                </tr>
              </thead>
              <tbody>
                {snapshot.servers.apiReplicas.map((r) => (
                  <tr key={r.instance}>
                    <td>
                      <code>{r.instance}</code>
                    </td>
                    <td>{time(r.lastSeen)}</td>
                    <td>{num(r.l1Entries)}</td>
                    <td>
                      <span className={`pill ${r.l2Healthy ? 'state-closed' : 'state-open'}`}>{r.l2Healthy ? 'ok' : 'down'}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>

          <h2>Circuit breakers</h2>
          <div className="table-wrap">
            <table data-testid="breakers">
              <thead>
                <tr>
                  <th>Breaker</th>
                  <th>Where</th>
                  <th>State</th>
                  <th>Failures</th>
                  <th>Transitions</th>
                  <th>Action</th>
                </tr>
              </thead>
              <tbody>
                {[...apiBreakers, ...balancerBreakers].map((b) => (
                  <tr key={`${b.instance}/${b.name}`} data-breaker={b.name}>
                    <td>
                      <code>{b.name}</code>
                    </td>
                    <td>{b.instance}</td>
                    <td>
                      <span className={`pill ${breakerClass(b.state)}`} data-testid="breaker-state">
                        {b.state.toLowerCase().replace('_', '-')}
                      </span>
                    </td>
                    <td>{num(b.failures)}</td>
                    <td>{num(b.transitions)}</td>
                    <td>
                      {b.resettable ? (
                        <button type="button" onClick={() => { setActionError(null); setAction({ kind: 'reset', breaker: b }); }}>
                          Reset
                        </button>
                      ) : (
                        <span className="muted" title="Balancer backend breakers close on their own after the ejection time">
                          closes on its own
                        </span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>

          <h2>Cache</h2>
          <div className="metrics">
            <div className="metric">
              <div className="metric-label">L1 hit rate (last min)</div>
              <div className="metric-value">{percent(snapshot.cache.lastMinute.l1HitRate, 0)}</div>
            </div>
            <div className="metric">
              <div className="metric-label">L2 hit rate (last min)</div>
              <div className="metric-value">{percent(snapshot.cache.lastMinute.l2HitRate, 0)}</div>
            </div>
            <div className="metric">
              <div className="metric-label">Lookups (last min)</div>
              <div className="metric-value">{num(snapshot.cache.lastMinute.lookups)}</div>
            </div>
            <div className="metric">
              <div className="metric-label">L1 entries (all replicas)</div>
              <div className="metric-value" data-testid="l1-entries">{num(snapshot.cache.l1Entries)}</div>
            </div>
          </div>
          <button type="button" className="danger" onClick={() => { setActionError(null); setAction({ kind: 'clear' }); }}>
            Clear cache…
          </button>
        </>
      )}
      {action && (
        <ConfirmDialog
          title={action.kind === 'reset' ? 'Reset circuit breaker' : 'Clear cache'}
          message={
            action.kind === 'reset' ? (
              <>
                Close breaker <code>{action.breaker.name}</code> on every api replica? Calls to its dependency resume at once.
              </>
            ) : (
              'Clear the Redis cache and every api replica’s in-process cache? The next reads go to PostgreSQL.'
            )
          }
          confirmLabel={action.kind === 'reset' ? 'Reset breaker' : 'Clear cache'}
          busy={busy}
          error={<ErrorBox error={actionError} />}
          onConfirm={confirm}
          onCancel={() => setAction(null)}
        />
      )}
    </section>
  );
}

function healthClass(b: BalancerBackend): string {
  if (!b.healthy) return 'state-open';
  return b.degraded ? 'state-half-open' : 'state-closed';
}

function healthLabel(b: BalancerBackend): string {
  if (!b.healthy) return 'unhealthy';
  return b.degraded ? 'degraded' : 'healthy';
}
