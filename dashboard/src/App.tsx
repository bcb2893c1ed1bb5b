import { useEffect, useState } from 'react';
import { RateLimitIndicator } from './components/RateLimitIndicator';
import { ErrorBox } from './components/ErrorBox';
import { KeysScreen } from './screens/KeysScreen';
import { LoginScreen } from './screens/LoginScreen';
import { LogsScreen } from './screens/LogsScreen';
import { OverviewScreen } from './screens/OverviewScreen';
import { ServersScreen } from './screens/ServersScreen';
import { SettingsScreen } from './screens/SettingsScreen';
import { UsersScreen } from './screens/UsersScreen';
import { useRouter } from './stores/router';
import { LOGIN_PATH, loginPathFor, useSession } from './stores/session';

const SCREENS = [
  { path: '/', label: 'Overview', element: <OverviewScreen /> },
  { path: '/servers', label: 'Servers', element: <ServersScreen /> },
  { path: '/keys', label: 'API keys', element: <KeysScreen /> },
  { path: '/users', label: 'Users', element: <UsersScreen /> },
  { path: '/logs', label: 'Request logs', element: <LogsScreen /> },
  { path: '/settings', label: 'Settings', element: <SettingsScreen /> },
];

export function App() {
  const { status, user, restore, logout } = useSession();
  const { path, search, navigate } = useRouter();
  const [restoreError, setRestoreError] = useState<unknown>(null);

  const tryRestore = () => {
    setRestoreError(null);
    restore().catch(setRestoreError);
  };
  useEffect(tryRestore, [restore]);

  useEffect(() => {
    if (status === 'signedOut' && path !== LOGIN_PATH) navigate(loginPathFor(path + search), { replace: true });
    if (status === 'signedIn' && path === LOGIN_PATH) navigate('/', { replace: true });
  }, [status, path, search, navigate]);

  if (status === 'checking') {
    return restoreError ? (
      <main className="login">
        <ErrorBox error={restoreError} onRetry={tryRestore} />
      </main>
    ) : (
      <main className="login" aria-busy="true">
        Loading…
      </main>
    );
  }
  if (status === 'signedOut') return <LoginScreen />;
  if (path === LOGIN_PATH) return null;
  const screen = SCREENS.find((s) => s.path === path);
  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">scalable-api</span>
        <nav aria-label="Main">
          {SCREENS.map((s) => (
            <a
              key={s.path}
              href={s.path}
              aria-current={s.path === path ? 'page' : undefined}
              onClick={(e) => {
                if (e.metaKey || e.ctrlKey || e.shiftKey) return;
                e.preventDefault();
                navigate(s.path);
              }}
            >
              {s.label}
            </a>
          ))}
        </nav>
        <RateLimitIndicator />
        <span className="user">{user?.email}</span>
        <button type="button" onClick={() => logout()}>
          Log out
        </button>
      </header>
      <main className="content">
        {screen ? (
          screen.element
        ) : (
          <section>
            <h1>Not found</h1>
            <p>
              No screen at <code>{path}</code>.{' '}
              <a href="/" onClick={(e) => { e.preventDefault(); navigate('/'); }}>
                Go to the overview
              </a>
            </p>
          </section>
        )}
      </main>
    </div>
  );
}
