import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { useSession } from '../stores/session';

export function LoginScreen() {
  const { login, notice } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(email, password);
    } catch (err) {
      if (err instanceof ApiError) {
        if (err.code === 'AUTH_INVALID_CREDENTIALS') setError('Wrong email or password.');
        else if (err.status === 403) setError('This account is not an administrator.');
        else if (err.status === 429)
          setError(`Too many attempts. Try again in ${err.retryAfterSeconds ?? 'a few'} seconds.`);
        else setError(`${err.message} (${err.code}${err.requestId ? `, request id ${err.requestId}` : ''})`);
      } else {
        setError(String(err));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form onSubmit={submit} aria-labelledby="login-title" noValidate>
        <h1 id="login-title">scalable-api operators</h1>
        {notice && <p className="notice">{notice}</p>}
        <label>
          Email
          <input type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          Password
          <input type="password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error && (
          <p className="form-error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy || !email || !password}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
