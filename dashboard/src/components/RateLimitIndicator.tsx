import { useEffect, useState } from 'react';
import { useRateLimit } from '../stores/rateLimit';

/** The admin API's limit as the dashboard's own calls see it; after a 429, a countdown until calls may resume. */
export function RateLimitIndicator() {
  const { limit, remaining, blockedUntil } = useRateLimit();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!blockedUntil) return;
    const timer = window.setInterval(() => setNow(Date.now()), 250);
    return () => window.clearInterval(timer);
  }, [blockedUntil]);
  const waitSeconds = blockedUntil ? Math.ceil((blockedUntil - now) / 1000) : 0;
  if (waitSeconds > 0) {
    return (
      <div className="ratelimit blocked" role="status" data-testid="rate-limit">
        Rate limited: retry in <strong>{waitSeconds}</strong> s
      </div>
    );
  }
  if (limit === null) return null;
  const share = limit > 0 && remaining !== null ? remaining / limit : 1;
  return (
    <div className={`ratelimit ${share < 0.1 ? 'low' : ''}`} role="status" data-testid="rate-limit" title="Admin API calls left in the current window">
      API calls left: <strong>{remaining}</strong>/{limit}
      <span className="meter" aria-hidden="true">
        <span style={{ width: `${Math.round(share * 100)}%` }} />
      </span>
    </div>
  );
}
