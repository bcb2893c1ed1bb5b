import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import type { CreatedKey, User } from '../api/types';
import { CopyButton } from '../components/CopyButton';
import { ErrorBox } from '../components/ErrorBox';
import { fieldErrors } from '../components/fieldErrors';
import { Modal } from '../components/Modal';
import { useSubmission } from '../components/useSubmission';
import { OwnerPicker } from '../components/OwnerPicker';

/**
 * Create-key dialog; after creation it shows the full key once, with a copy button and a clear warning. The owner is
 * picked by email; left empty, the signed-in admin owns the key.
 */
export function CreateKeyDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (k: CreatedKey) => void }) {
  const [name, setName] = useState('');
  const [ownerText, setOwnerText] = useState('');
  const [owner, setOwner] = useState<User | null>(null);
  const [ownerError, setOwnerError] = useState<string | null>(null);
  const [tier, setTier] = useState('free');
  const [scopes, setScopes] = useState<string[]>(['read']);
  const [expiresAt, setExpiresAt] = useState('');
  const [override, setOverride] = useState('');
  const { busy, error, run } = useSubmission();
  const [created, setCreated] = useState<CreatedKey | null>(null);

  const toggle = (scope: string) => setScopes((s) => (s.includes(scope) ? s.filter((x) => x !== scope) : [...s, scope]));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setOwnerError(null);
    await run(async () => {
      const email = ownerText.trim().toLowerCase();
      let ownerId = owner?.id;
      if (email && !owner) {
        // typed faster than the suggestions came: look the email up once more
        const found = (await api<User[]>('/users', { query: { q: email, limit: 100 } })).data.find((u) => u.email === email);
        if (!found) {
          setOwnerError('no user has this email');
          return;
        }
        ownerId = found.id;
      }
      const res = await api<CreatedKey>('/keys', {
        method: 'POST',
        body: {
          name,
          ...(ownerId ? { ownerId } : {}),
          tier,
          scopes,
          ...(expiresAt ? { expiresAt: new Date(expiresAt).toISOString() } : {}),
          ...(override ? { rateLimitPerMinute: Number(override) } : {}),
        },
      });
      setCreated(res.data);
      onCreated(res.data);
    });
  };

  if (created) {
    return (
      <Modal title="API key created" onClose={onClose}>
        <p className="warn-text" role="alert">
          Copy this key now. <strong>You will not see it again</strong>: only its prefix is stored.
        </p>
        <div className="secret">
          <input readOnly value={created.key} aria-label="New API key" data-testid="new-key" onFocus={(e) => e.target.select()} />
          <CopyButton value={created.key} label="Copy key" />
        </div>
        <p>
          {created.details.name} · {created.details.tier} · {created.details.scopes.join(', ')} · id {created.details.id}
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
    <Modal title="Create API key" onClose={onClose}>
      <form onSubmit={submit} className="form-grid" noValidate>
        <label>
          Name
          <input name="name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
          {fieldError('name')}
        </label>
        <label>
          Owner
          <OwnerPicker
            value={ownerText}
            onChange={(text, user) => {
              setOwnerText(text);
              setOwner(user);
            }}
          />
          {ownerError && (
            <span className="field-error" role="alert">
              {ownerError}
            </span>
          )}
          {fieldError('ownerId')}
        </label>
        <label>
          Tier
          <select name="tier" value={tier} onChange={(e) => setTier(e.target.value)}>
            <option value="free">free (1,000/min)</option>
            <option value="pro">pro (10,000/min)</option>
            <option value="enterprise">enterprise (100,000/min)</option>
          </select>
        </label>
        <fieldset>
          <legend>Scopes</legend>
          {['read', 'write'].map((s) => (
            <label key={s} className="inline">
              <input type="checkbox" name={`scope-${s}`} checked={scopes.includes(s)} onChange={() => toggle(s)} /> {s}
            </label>
          ))}
          {fieldError('scopes')}
        </fieldset>
        <label>
          Expires (optional)
          <input name="expiresAt" type="datetime-local" value={expiresAt} onChange={(e) => setExpiresAt(e.target.value)} />
          {fieldError('expiresAt')}
        </label>
        <label>
          Rate limit override per minute (optional)
          <input name="rateLimitPerMinute" type="number" min={1} value={override} onChange={(e) => setOverride(e.target.value)} />
          {fieldError('rateLimitPerMinute')}
        </label>
        <ErrorBox error={error} />
        <div className="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || !name || scopes.length === 0}>
            {busy ? 'Creating…' : 'Create key'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
