import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { api, type Pagination } from '../api/client';
import type { LogEntry } from '../api/types';
import { CopyButton } from '../components/CopyButton';
import { ErrorBox } from '../components/ErrorBox';
import { ms, statusClass, time } from '../components/format';
import { Modal } from '../components/Modal';
import { useRouter } from '../stores/router';

const FIELDS = ['from', 'to', 'status', 'method', 'path', 'keyId', 'requestId'] as const;
type Field = (typeof FIELDS)[number];
export type LogFilter = Record<Field, string>;
const PAGE_SIZE = 25;

export function filterFromSearch(search: string): LogFilter {
  const params = new URLSearchParams(search);
  return Object.fromEntries(FIELDS.map((f) => [f, params.get(f) ?? ''])) as LogFilter;
}

export function searchFromFilter(filter: LogFilter): string {
  const params = new URLSearchParams();
  FIELDS.forEach((f) => filter[f] && params.set(f, filter[f]));
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** datetime-local (the operator's local time) ⇄ the API's ISO instants. */
const toIso = (local: string) => (local ? new Date(local).toISOString() : undefined);

export function LogsScreen() {
  const { search, navigate } = useRouter();
  const filter = useMemo(() => filterFromSearch(search), [search]);
  const [draft, setDraft] = useState<LogFilter>(filter);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [entries, setEntries] = useState<LogEntry[] | null>(null);
  const [pagination, setPagination] = useState<Pagination | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState<LogEntry | null>(null);

  useEffect(() => {
    setDraft(filter);
    setCursors([null]);
  }, [filter]);

  const cursor = cursors[cursors.length - 1];
  const load = useCallback(async () => {
    try {
      const res = await api<LogEntry[]>('/logs', {
        query: {
          from: toIso(filter.from),
          to: toIso(filter.to),
          status: filter.status,
          method: filter.method,
          path: filter.path,
          keyId: filter.keyId,
          requestId: filter.requestId,
          limit: PAGE_SIZE,
          cursor,
        },
      });
      setEntries(res.data);
      setPagination(res.meta.pagination ?? null);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [filter, cursor]);
  useEffect(() => {
    load();
  }, [load]);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    navigate(`/logs${searchFromFilter(draft)}`);
  };
  const set = (field: Field) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    setDraft({ ...draft, [field]: e.target.value });

  return (
    <section>
      <div className="screen-head">
        <h1>Request logs</h1>
        <button type="button" onClick={load}>
          Refresh
        </button>
      </div>
      <form className="filters" onSubmit={apply} role="search" aria-label="Filter request logs">
        <label>
          From
          <input type="datetime-local" name="from" value={draft.from} onChange={set('from')} />
        </label>
        <label>
          To
          <input type="datetime-local" name="to" value={draft.to} onChange={set('to')} />
        </label>
        <label>
          Status
          <input name="status" placeholder="404 or 5xx" size={6} value={draft.status} onChange={set('status')} />
        </label>
        <label>
          Method
          <select name="method" value={draft.method} onChange={set('method')}>
            <option value="">any</option>
            {['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'].map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </label>
        <label>
          Path prefix
          <input name="path" placeholder="/api/v1/resources" value={draft.path} onChange={set('path')} />
        </label>
        <label>
          Key id
          <input name="keyId" inputMode="numeric" size={6} value={draft.keyId} onChange={set('keyId')} />
        </label>
        <label>
          Request id
          <input name="requestId" value={draft.requestId} onChange={set('requestId')} />
        </label>
        <button type="submit" className="primary">
          Apply
        </button>
        <button type="button" onClick={() => navigate('/logs')}>
          Clear
        </button>
      </form>
      <ErrorBox error={error} onRetry={load} />
      {entries && (
        <>
          <div className="table-wrap">
            <table data-testid="logs" className="clickable">
              <thead>
                <tr>
                  <th>Time</th>
                  <th>Method</th>
                  <th>Path</th>
                  <th>Status</th>
                  <th>Latency</th>
                  <th>Key</th>
                  <th>Request id</th>
                </tr>
              </thead>
              <tbody>
                {entries.length === 0 && (
                  <tr>
                    <td colSpan={7} className="muted">
                      No requests match.
                    </td>
                  </tr>
                )}
                {entries.map((e) => (
                  <tr
                    key={e.id}
                    tabIndex={0}
                    data-log-id={e.id}
                    onClick={() => setOpen(e)}
                    onKeyDown={(k) => (k.key === 'Enter' || k.key === ' ') && k.target === k.currentTarget && (k.preventDefault(), setOpen(e))}
                    aria-label={`${e.method} ${e.path} ${e.status}, open details`}
                  >
                    <td>{time(e.occurredAt)}</td>
                    <td>{e.method}</td>
                    <td className="path">{e.path}</td>
                    <td>
                      <span className={`pill ${statusClass(e.status)}`}>{e.status}</span>
                    </td>
                    <td>{ms(e.latencyMs)}</td>
                    <td>{e.keyId ?? '—'}</td>
                    <td onClick={(c) => c.stopPropagation()}>
                      <code>{e.requestId}</code> <CopyButton value={e.requestId} label="Copy request id" />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav className="pager" aria-label="Log pages">
            <button type="button" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
              Newer
            </button>
            <span>Page {cursors.length}</span>
            <button type="button" disabled={!pagination?.nextCursor} onClick={() => setCursors([...cursors, pagination!.nextCursor!])}>
              Older
            </button>
          </nav>
        </>
      )}
      {open && (
        <Modal title="Request" onClose={() => setOpen(null)}>
          <dl className="record" data-testid="log-record">
            {Object.entries(open).map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>
                  {k === 'status' ? (
                    <span className={`pill ${statusClass(Number(v))}`}>{String(v)}</span>
                  ) : k === 'latencyMs' ? (
                    ms(Number(v))
                  ) : v === null ? (
                    '—'
                  ) : (
                    String(v)
                  )}
                  {k === 'requestId' && <> <CopyButton value={String(v)} label="Copy request id" /></>}
                </dd>
              </div>
            ))}
          </dl>
        </Modal>
      )}
    </section>
  );
}
