export function percent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? '—' : `${(value * 100).toFixed(digits)} %`;
}

export function ms(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
}

export function num(value: number | null | undefined, digits = 0): string {
  return value === null || value === undefined ? '—' : value.toLocaleString('en-US', { maximumFractionDigits: digits });
}

export function time(iso: string | number | null | undefined): string {
  if (iso === null || iso === undefined) return '—';
  const d = typeof iso === 'number' ? new Date(iso) : new Date(iso);
  return d.toLocaleString('en-GB', { hour12: false });
}

export function clock(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString('en-GB', { hour12: false });
}

/** CSS class for a status code: 2xx ok, 3xx info, 4xx warn, 5xx bad. */
export function statusClass(status: number): string {
  if (status >= 500) return 'status-5xx';
  if (status >= 400) return 'status-4xx';
  if (status >= 300) return 'status-3xx';
  return 'status-2xx';
}

/** CSS class for a breaker state: closed ok, half-open warn, open bad. */
export function breakerClass(state: string | null | undefined): string {
  const s = (state ?? '').toLowerCase().replace('_', '-');
  if (s === 'closed') return 'state-closed';
  if (s === 'open') return 'state-open';
  if (s === 'half-open') return 'state-half-open';
  return 'state-unknown';
}

/** A key's own policies, e.g. "burst 50/second, monthly 5/month". */
export function policies(limits: { name: string; window: string; limit: number }[]): string {
  return limits.map((p) => `${p.name} ${num(p.limit)}/${p.window}`).join(', ');
}
