import type { PolicyUsage } from '../api/types';
import { num, time } from './format';

/** "in 42 s", "in 3 h 5 min", "in 2 d 4 h": how far away a reset is, coarse enough to read at a glance. */
export function until(iso: string, now: number): string {
  const s = Math.max(0, Math.ceil((new Date(iso).getTime() - now) / 1000));
  if (s < 60) return `in ${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `in ${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `in ${h} h ${m % 60} min`;
  return `in ${Math.floor(h / 24)} d ${h % 24} h`;
}

/**
 * Each of a key's rate-limit policies as used / limit with a bar and when it resets. Without counters (the
 * limiter's Redis could not be read) the limits are still listed, and the list says why the counts are missing.
 */
export function PolicyUsageList({ policies, countersAvailable, now = Date.now() }: { policies: PolicyUsage[]; countersAvailable: boolean; now?: number }) {
  return (
    <div data-testid="policy-usage">
      {!countersAvailable && (
        <p className="warn-text" role="status">
          Current counts unavailable: the rate limiter's Redis could not be read. Limits are shown without usage.
        </p>
      )}
      <ul className="policy-usage">
        {policies.map((p) => {
          const share = p.used === null || p.limit <= 0 ? 0 : Math.min(1, p.used / p.limit);
          const level = share >= 1 ? 'full' : share >= 0.8 ? 'high' : '';
          return (
            <li key={p.name} data-policy={p.name}>
              <div className="policy-head">
                <strong>{p.name}</strong>
                <span className="muted">per {p.window}</span>
                <span className="policy-count" data-testid="policy-used">
                  {p.used === null ? '—' : num(p.used)} / {num(p.limit)}
                </span>
              </div>
              <div
                className={`bar ${level}`}
                role="progressbar"
                aria-label={`${p.name}: used of ${num(p.limit)}`}
                aria-valuemin={0}
                aria-valuemax={p.limit}
                aria-valuenow={p.used ?? undefined}
              >
                <span style={{ width: `${Math.round(share * 100)}%` }} />
              </div>
              <div className="muted policy-reset" data-testid="policy-reset">
                {p.resetAt ? `${p.window === 'day' || p.window === 'month' ? 'resets' : 'frees up'} ${until(p.resetAt, now)} (${time(p.resetAt)})` : p.used === 0 ? 'nothing used' : ''}
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
