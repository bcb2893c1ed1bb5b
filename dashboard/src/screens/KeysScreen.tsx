import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, type Pagination } from '../api/client';
import type { ApiKey } from '../api/types';
import { ErrorBox } from '../components/ErrorBox';
import { num, policies, time } from '../components/format';
import { ConfirmDialog } from '../components/Modal';
import { Pager } from '../components/Pager';
import { useRouter } from '../stores/router';
import { CreateKeyDialog } from './KeyForm';
import { KeyUsagePanel } from './KeyUsagePanel';

const PAGE_SIZE = 10;

export function KeysScreen() {
  const navigate = useRouter((s) => s.navigate);
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState('');
  const [applied, setApplied] = useState({ q: '', status: '' });
  const [page, setPage] = useState(1);
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [pagination, setPagination] = useState<Pagination | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [revokeError, setRevokeError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [selected, setSelected] = useState<ApiKey | null>(null);

  const load = useCallback(async () => {
    try {
      const res = await api<ApiKey[]>('/keys', { query: { page, limit: PAGE_SIZE, q: applied.q, status: applied.status } });
      setKeys(res.data);
      setPagination(res.meta.pagination ?? null);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [page, applied]);
  useEffect(() => {
    load();
  }, [load]);

  const search = (e: FormEvent) => {
    e.preventDefault();
    setPage(1);
    setApplied({ q: query.trim(), status });
  };

  const revoke = async () => {
    if (!revoking) return;
    setBusy(true);
    setRevokeError(null);
    try {
      const res = await api<ApiKey>(`/keys/${revoking.id}`, { method: 'DELETE' });
      if (selected?.id === revoking.id) setSelected(res.data);
      setRevoking(null);
      await load();
    } catch (e) {
      setRevokeError(e);
    } finally {
      setBusy(false);
    }
  };

  const total = pagination?.total ?? 0;

  return (
    <section>
      <div className="screen-head">
        <h1>API keys</h1>
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          Create key…
        </button>
      </div>
      <form className="filters" onSubmit={search} role="search">
        <label>
          Search
          <input name="q" placeholder="name, prefix or owner" value={query} onChange={(e) => setQuery(e.target.value)} />
        </label>
        <label>
          Status
          <select name="status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">any</option>
            <option value="active">active</option>
            <option value="revoked">revoked</option>
          </select>
        </label>
        <button type="submit">Search</button>
      </form>
      <ErrorBox error={error} onRetry={load} />
      {keys && (
        <>
          <div className="table-wrap">
            <table data-testid="keys">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Prefix</th>
                  <th>Owner</th>
                  <th>Tier</th>
                  <th>Scopes</th>
                  <th>Status</th>
                  <th>Last used</th>
                  <th>Actions</th>
                </tr>
              </thead>
              <tbody>
                {keys.length === 0 && (
                  <tr>
                    <td colSpan={8} className="muted">
                      No keys match.
                    </td>
                  </tr>
                )}
                {keys.map((k) => (
                  <tr key={k.id} data-key-id={k.id} className={selected?.id === k.id ? 'selected' : undefined}>
                    <td>{k.name}</td>
                    <td>
                      <code>{k.prefix}…</code>
                    </td>
                    <td>{k.ownerEmail ?? k.ownerId}</td>
                    <td>
                      {k.tier}
                      {k.limits ? ` (own: ${policies(k.limits)})` : k.rateLimitPerMinute ? ` (${num(k.rateLimitPerMinute)}/min)` : ''}
                    </td>
                    <td>{k.scopes.join(', ')}</td>
                    <td>
                      <span className={`pill ${k.status === 'active' ? 'state-closed' : 'state-open'}`}>{k.status}</span>
                    </td>
                    <td>{time(k.lastUsedAt)}</td>
                    <td className="row-actions">
                      <button type="button" onClick={() => setSelected(k)}>
                        Usage
                      </button>
                      <button type="button" onClick={() => navigate(`/logs?keyId=${k.id}`)}>
                        Logs
                      </button>
                      {k.status === 'active' && (
                        <button type="button" className="danger" onClick={() => { setRevokeError(null); setRevoking(k); }}>
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            label="Key pages"
            noun="keys"
            page={page}
            total={total}
            pageSize={PAGE_SIZE}
            hasMore={!!pagination?.hasMore}
            onPage={setPage}
          />
        </>
      )}
      {selected && (
        <KeyUsagePanel
          key={selected.id}
          apiKey={selected}
          onClose={() => setSelected(null)}
          onChanged={(k) => {
            setSelected(k);
            load();
          }}
        />
      )}
      {creating && (
        <CreateKeyDialog
          onClose={() => setCreating(false)}
          onCreated={(k) => {
            setSelected(k.details);
            load();
          }}
        />
      )}
      {revoking && (
        <ConfirmDialog
          title="Revoke API key"
          message={
            <>
              Revoke <strong>{revoking.name}</strong> (<code>{revoking.prefix}…</code>)? Every gateway refuses it within 5 s. This cannot be undone.
            </>
          }
          confirmLabel="Revoke key"
          busy={busy}
          error={<ErrorBox error={revokeError} />}
          onConfirm={revoke}
          onCancel={() => setRevoking(null)}
        />
      )}
    </section>
  );
}
