import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, type Pagination } from '../api/client';
import type { CreatedUser, User } from '../api/types';
import { CopyButton } from '../components/CopyButton';
import { ErrorBox } from '../components/ErrorBox';
import { fieldErrors } from '../components/fieldErrors';
import { num, time } from '../components/format';
import { Modal } from '../components/Modal';
import { useSubmission } from '../components/useSubmission';
import { Pager } from '../components/Pager';
import { useSession } from '../stores/session';

const PAGE_SIZE = 10;
const TIERS = ['free', 'pro', 'enterprise'];

/** Users (operators and API consumers): search by email, page, create, and change tier, role and status. */
export function UsersScreen() {
  const me = useSession((s) => s.user?.id);
  const [query, setQuery] = useState('');
  const [applied, setApplied] = useState('');
  const [page, setPage] = useState(1);
  const [users, setUsers] = useState<User[] | null>(null);
  const [pagination, setPagination] = useState<Pagination | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);

  const load = useCallback(async () => {
    try {
      const res = await api<User[]>('/users', { query: { page, limit: PAGE_SIZE, q: applied } });
      setUsers(res.data);
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
    setApplied(query.trim());
  };

  const total = pagination?.total ?? 0;

  return (
    <section>
      <div className="screen-head">
        <h1>Users</h1>
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          Create user…
        </button>
      </div>
      <form className="filters" onSubmit={search} role="search">
        <label>
          Search
          <input name="q" placeholder="part of an email" value={query} onChange={(e) => setQuery(e.target.value)} />
        </label>
        <button type="submit">Search</button>
      </form>
      <ErrorBox error={error} onRetry={load} />
      {users && (
        <>
          <div className="table-wrap">
            <table data-testid="users">
              <thead>
                <tr>
                  <th>Email</th>
                  <th>Role</th>
                  <th>Tier</th>
                  <th>Status</th>
                  <th>Keys</th>
                  <th>Created</th>
                  <th>Actions</th>
                </tr>
              </thead>
              <tbody>
                {users.length === 0 && (
                  <tr>
                    <td colSpan={7} className="muted">
                      No users match.
                    </td>
                  </tr>
                )}
                {users.map((u) => (
                  <tr key={u.id} data-user-id={u.id}>
                    <td>
                      {u.email}
                      {!u.passwordSet && <span className="muted"> (invited)</span>}
                    </td>
                    <td>{u.role}</td>
                    <td>{u.tier}</td>
                    <td>
                      <span className={`pill ${u.status === 'active' ? 'state-closed' : 'state-open'}`}>{u.status}</span>
                    </td>
                    <td>{num(u.keyCount)}</td>
                    <td>{time(u.createdAt)}</td>
                    <td className="row-actions">
                      <button type="button" onClick={() => setEditing(u)}>
                        Edit
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            label="User pages"
            noun="users"
            page={page}
            total={total}
            pageSize={PAGE_SIZE}
            hasMore={!!pagination?.hasMore}
            onPage={setPage}
          />
        </>
      )}
      {creating && <CreateUserDialog onClose={() => setCreating(false)} onCreated={() => load()} />}
      {editing && (
        <EditUserDialog
          user={editing}
          self={editing.id === me}
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

/** Create-user dialog; a user created without a password gets a one-time set-password token, shown here once. */
export function CreateUserDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (u: CreatedUser) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState('user');
  const [tier, setTier] = useState('free');
  const { busy, error, run } = useSubmission();
  const [created, setCreated] = useState<CreatedUser | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(async () => {
      const res = await api<CreatedUser>('/users', {
        method: 'POST',
        body: { email, role, tier, ...(password ? { password } : {}) },
      });
      setCreated(res.data);
      onCreated(res.data);
    });
  };

  if (created) {
    return (
      <Modal title="User created" onClose={onClose}>
        <p>
          {created.user.email} · {created.user.role} · {created.user.tier} · id {created.user.id}
        </p>
        {created.setPasswordToken ? (
          <>
            <p className="warn-text" role="alert">
              Give this set-password token to the user now. <strong>You will not see it again</strong>. It works once, until{' '}
              {time(created.setPasswordTokenExpiresAt)}: <code>POST /api/v1/auth/password {'{token, password}'}</code>.
            </p>
            <div className="secret">
              <input readOnly value={created.setPasswordToken} aria-label="Set-password token" data-testid="set-password-token" onFocus={(e) => e.target.select()} />
              <CopyButton value={created.setPasswordToken} label="Copy token" />
            </div>
          </>
        ) : (
          <p>The user can sign in with the password you set.</p>
        )}
        <div className="actions">
          <button type="button" className="primary" onClick={onClose}>
            Done
          </button>
        </div>
      </Modal>
    );
  }

  const fieldError = fieldErrors(error);
  return (
    <Modal title="Create user" onClose={onClose}>
      <form onSubmit={submit} className="form-grid" noValidate>
        <label>
          Email
          <input name="email" type="email" required maxLength={320} value={email} onChange={(e) => setEmail(e.target.value)} />
          {fieldError('email')}
        </label>
        <label>
          Password (optional: empty gives a one-time set-password token)
          <input name="password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
          {fieldError('password')}
        </label>
        <label>
          Role
          <select name="role" value={role} onChange={(e) => setRole(e.target.value)}>
            <option value="user">user</option>
            <option value="admin">admin</option>
          </select>
        </label>
        <label>
          Tier
          <select name="tier" value={tier} onChange={(e) => setTier(e.target.value)}>
            {TIERS.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <ErrorBox error={error} />
        <div className="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || !email}>
            {busy ? 'Creating…' : 'Create user'}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** Changes tier, role and status; only what differs is sent. Your own role and status cannot be changed here. */
function EditUserDialog({ user, self, onClose, onSaved }: { user: User; self: boolean; onClose: () => void; onSaved: () => void }) {
  const [role, setRole] = useState<string>(user.role);
  const [tier, setTier] = useState(user.tier);
  const [status, setStatus] = useState<string>(user.status);
  const { busy, error, run } = useSubmission();

  const changes = {
    ...(role !== user.role ? { role } : {}),
    ...(tier !== user.tier ? { tier } : {}),
    ...(status !== user.status ? { status } : {}),
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(async () => {
      await api<User>(`/users/${user.id}`, { method: 'PATCH', body: changes });
      onSaved();
    });
  };

  const fieldError = fieldErrors(error);
  return (
    <Modal title="Edit user" onClose={onClose}>
      <form onSubmit={submit} className="form-grid" noValidate>
        <p>{user.email}</p>
        <label>
          Role
          <select name="role" value={role} disabled={self} onChange={(e) => setRole(e.target.value)}>
            <option value="user">user</option>
            <option value="admin">admin</option>
          </select>
          {fieldError('role')}
        </label>
        <label>
          Tier
          <select name="tier" value={tier} onChange={(e) => setTier(e.target.value)}>
            {TIERS.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
          {fieldError('tier')}
        </label>
        <label>
          Status
          <select name="status" value={status} disabled={self} onChange={(e) => setStatus(e.target.value)}>
            <option value="active">active</option>
            <option value="disabled">disabled</option>
          </select>
          {fieldError('status')}
        </label>
        {self && <p className="muted">This is your own account: another admin can change its role or status.</p>}
        {status === 'disabled' && user.status !== 'disabled' && (
          <p className="warn-text">Disabling signs the user out and refuses their API keys on every gateway within 5 s.</p>
        )}
        <ErrorBox error={error} />
        <div className="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || Object.keys(changes).length === 0}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
