import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import type { ApiKey, CreatedKey } from '../api/types';
import { CopyButton } from '../components/CopyButton';
import { ErrorBox } from '../components/ErrorBox';
import { fieldErrors } from '../components/fieldErrors';
import { time } from '../components/format';
import { Modal } from '../components/Modal';
import { useSubmission } from '../components/useSubmission';

/** The longest grace the gateway accepts (7 days), and its default (24 h). */
const MAX_GRACE_SECONDS = 604_800;
const DEFAULT_GRACE_SECONDS = 86_400;

/**
 * Rotates a key: a new secret, shown here once with a copy button, while the replaced one keeps working for the
 * grace period chosen (0 ends it at once).
 */
export function RotateKeyDialog({ apiKey, onClose, onRotated }: { apiKey: ApiKey; onClose: () => void; onRotated: (k: ApiKey) => void }) {
  const [grace, setGrace] = useState(String(DEFAULT_GRACE_SECONDS));
  const { busy, error, run } = useSubmission();
  const [rotated, setRotated] = useState<CreatedKey | null>(null);

  const seconds = Number(grace);
  const valid = grace.trim() !== '' && Number.isInteger(seconds) && seconds >= 0 && seconds <= MAX_GRACE_SECONDS;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(async () => {
      const res = await api<CreatedKey>(`/keys/${apiKey.id}/rotate`, { method: 'POST', body: { graceSeconds: seconds } });
      setRotated(res.data);
      onRotated(res.data.details);
    });
  };

  if (rotated) {
    return (
      <Modal title="API key rotated" onClose={onClose}>
        <p className="warn-text" role="alert">
          Copy the new key now. <strong>You will not see it again</strong>: only its prefix is stored.
        </p>
        <div className="secret">
          <input readOnly value={rotated.key} aria-label="New secret" data-testid="rotated-key" onFocus={(e) => e.target.select()} />
          <CopyButton value={rotated.key} label="Copy new key" />
        </div>
        <p data-testid="previous-key-expires">
          The previous secret works until <strong>{time(rotated.details.previousKeyExpiresAt)}</strong>.
        </p>
        <div className="actions">
          <button type="button" className="primary" onClick={onClose}>
            I have copied it
          </button>
        </div>
      </Modal>
    );
  }

  const fieldError = fieldErrors(error);
  return (
    <Modal title="Rotate API key" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <p>
          Give <strong>{apiKey.name}</strong> (<code>{apiKey.prefix}…</code>) a new secret. The key keeps its id, limits and usage; its current
          secret keeps working for the grace period, so clients can switch without downtime.
        </p>
        <label>
          Grace period in seconds (0 to {MAX_GRACE_SECONDS.toLocaleString('en-US')}; 86,400 = 24 h)
          <input name="graceSeconds" type="number" min={0} max={MAX_GRACE_SECONDS} value={grace} onChange={(e) => setGrace(e.target.value)} />
          {fieldError('graceSeconds')}
        </label>
        {valid && seconds === 0 && <p className="warn-text">The current secret stops working on every gateway at once.</p>}
        <ErrorBox error={error} />
        <div className="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || !valid}>
            {busy ? 'Rotating…' : 'Rotate key'}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** An instant as a datetime-local input shows it (local time, minutes). */
export function localInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Renames a key and sets, moves or removes its expiry; only the fields changed are sent (a merge patch). */
export function EditKeyDialog({ apiKey, onClose, onSaved }: { apiKey: ApiKey; onClose: () => void; onSaved: (k: ApiKey) => void }) {
  const initialExpiry = localInput(apiKey.expiresAt);
  const [name, setName] = useState(apiKey.name);
  const [expiresAt, setExpiresAt] = useState(initialExpiry);
  const { busy, error, run } = useSubmission();

  const changes = {
    ...(name.trim() !== apiKey.name ? { name: name.trim() } : {}),
    ...(expiresAt !== initialExpiry ? { expiresAt: expiresAt ? new Date(expiresAt).toISOString() : null } : {}),
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(async () => {
      const res = await api<ApiKey>(`/keys/${apiKey.id}`, { method: 'PATCH', body: changes });
      onSaved(res.data);
    });
  };

  const fieldError = fieldErrors(error);
  return (
    <Modal title="Edit API key" onClose={onClose}>
      <form onSubmit={submit} className="form-grid" noValidate>
        <label>
          Name
          <input name="name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
          {fieldError('name')}
        </label>
        <label>
          Expires (empty: never)
          <input name="expiresAt" type="datetime-local" value={expiresAt} onChange={(e) => setExpiresAt(e.target.value)} />
          {fieldError('expiresAt')}
        </label>
        {initialExpiry && !expiresAt && <p className="muted">Saving removes the expiry: the key works until it is revoked.</p>}
        <ErrorBox error={error} />
        <div className="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || !name.trim() || Object.keys(changes).length === 0}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
