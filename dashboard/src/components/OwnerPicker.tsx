import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { User } from '../api/types';

const DEBOUNCE_MS = 250;

/**
 * The owner of a new key, picked by email: suggestions from the users list as the operator types (debounced, the
 * previous search cancelled). Empty means "me" (the gateway makes the calling admin the owner). `onChange` gets the
 * typed text and the user it names, if one was picked or typed exactly.
 */
export function OwnerPicker({ value, onChange }: { value: string; onChange: (text: string, user: User | null) => void }) {
  const [matches, setMatches] = useState<User[]>([]);
  const [open, setOpen] = useState(false);

  useEffect(() => {
    const q = value.trim();
    if (!q) {
      setMatches([]);
      return;
    }
    const abort = new AbortController();
    const timer = window.setTimeout(async () => {
      try {
        const res = await api<User[]>('/users', { query: { q, limit: 8 }, signal: abort.signal });
        setMatches(res.data);
        const exact = res.data.find((u) => u.email === q.toLowerCase());
        if (exact) onChange(value, exact);
      } catch {
        setMatches([]);
      }
    }, DEBOUNCE_MS);
    return () => {
      window.clearTimeout(timer);
      abort.abort();
    };
    // Only the text drives a search: onChange is a new function on every render of the parent.
  }, [value]);

  return (
    <div className="owner-picker">
      <input
        name="owner"
        type="search"
        role="combobox"
        aria-label="Owner (email; empty = me)"
        aria-expanded={open && matches.length > 0}
        aria-controls="owner-options"
        aria-autocomplete="list"
        placeholder="me"
        autoComplete="off"
        value={value}
        onFocus={() => setOpen(true)}
        onBlur={() => window.setTimeout(() => setOpen(false), 150)}
        onChange={(e) => {
          setOpen(true);
          onChange(e.target.value, null);
        }}
      />
      {open && matches.length > 0 && (
        <ul id="owner-options" role="listbox" aria-label="Matching users" className="suggestions">
          {matches.map((u) => (
            <li
              key={u.id}
              role="option"
              aria-selected={u.email === value.trim().toLowerCase()}
              onMouseDown={(e) => {
                e.preventDefault();
                onChange(u.email, u);
                setOpen(false);
              }}
            >
              {u.email} <span className="muted">({u.role}, {u.tier}{u.status === 'disabled' ? ', disabled' : ''})</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
