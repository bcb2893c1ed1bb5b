import { ApiError } from '../api/client';
import { CopyButton } from './CopyButton';

/** An admin call's failure: message, stable code and request id (copyable), and a retry button when given. */
export function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (!error) return null;
  const e = error instanceof ApiError ? error : new ApiError(0, 'CLIENT_ERROR', String(error), null);
  if (e.status === 401) return null; // the session store sends the operator to the login screen
  return (
    <div className="error-box" role="alert">
      <div>
        <strong>{e.status >= 500 ? 'The server failed' : e.status === 429 ? 'Too many requests' : 'Request failed'}</strong>
        {': '}
        {e.message}
      </div>
      <div className="error-meta">
        <span>
          code <code>{e.code}</code>
          {e.status > 0 && <> · HTTP {e.status}</>}
        </span>
        {e.requestId && (
          <span>
            request id <code data-testid="error-request-id">{e.requestId}</code> <CopyButton value={e.requestId} label="Copy request id" />
          </span>
        )}
        {onRetry && (
          <button type="button" onClick={onRetry}>
            Retry
          </button>
        )}
      </div>
    </div>
  );
}
