// Shapes of the gateway's admin API (README "Accounts and admin API").

export interface Latency {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface CacheRates {
  lookups: number;
  l1Hits: number;
  l2Hits: number;
  misses: number;
  l1HitRate: number | null;
  l2HitRate: number | null;
  missRate: number | null;
}

export interface ServerHealth {
  id: string;
  healthy: boolean;
  breaker: string;
  inFlight: number;
  ejections: number;
}

export interface CurrentMetrics {
  window: string;
  requestsPerSecond: number;
  requestsLastMinute: number;
  errorRate: number | null;
  clientErrorRate: number | null;
  latency: Latency;
  cache: CacheRates;
  last24h: { requests: number; clientErrors: number; serverErrors: number; rateLimited: number };
  topBlocked: { subject: string; blocked: number }[];
  gatewayReplicas: number;
  apiReplicas: number;
  servers: ServerHealth[];
}

export interface HistoryPoint {
  t: number;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  serverErrors: number;
  errorRate: number | null;
  rateLimited: number;
  latency: Latency;
  cache: CacheRates;
}

export interface History {
  from: number;
  to: number;
  stepSeconds: number;
  points: HistoryPoint[];
}

export interface Breaker {
  scope: 'api' | 'balancer';
  instance: string;
  name: string;
  state: string;
  failures: number | null;
  transitions: number | null;
  lastTransitionAt: string | null;
  resettable: boolean;
}

export interface ApiReplica {
  instance: string;
  lastSeen: string;
  l1Entries: number;
  l2Healthy: boolean;
}

export interface CacheStatus {
  lastMinute: CacheRates;
  l1Entries: number;
  replicas: ApiReplica[];
}

export interface BalancerBackend {
  id: string;
  healthy: boolean;
  /** In rotation but serving without a dependency (PostgreSQL): cached reads only. */
  degraded?: boolean;
  breaker: string;
  inFlight: number;
  ejections: number;
  [more: string]: unknown;
}

export interface Servers {
  balancer: { backends?: BalancerBackend[]; [more: string]: unknown } | null;
  apiReplicas: ApiReplica[];
}

export interface RateLimitPolicy {
  name: string;
  window: 'second' | 'minute' | 'hour' | 'day' | 'month';
  limit: number;
}

export interface ApiKey {
  id: number;
  prefix: string;
  name: string;
  ownerId: number;
  ownerEmail: string | null;
  tier: string;
  scopes: string[];
  rateLimitPerMinute: number | null;
  /** The key's own rate-limit policies, replacing its tier's; null: the tier's. */
  limits?: RateLimitPolicy[] | null;
  status: string;
  expiresAt: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  /** When the secret the last rotation replaced stops (or stopped) working; null if never rotated. */
  previousKeyExpiresAt?: string | null;
}

export interface CreatedKey {
  key: string;
  warning?: string;
  details: ApiKey;
}

export interface UsageBucket {
  start: string;
  requests: number;
  rateLimited: number;
  errors: number;
}

/** One rate-limit policy's current period (a sliding window, the UTC day or month), from the limiter's counters. */
export interface PolicyUsage {
  name: string;
  window: RateLimitPolicy['window'];
  windowSeconds: number;
  limit: number;
  /** null while the limiter's Redis cannot be read (countersAvailable false). */
  used: number | null;
  remaining: number | null;
  /** When capacity starts coming back; null for an idle sliding window or without counters. */
  resetAt: string | null;
}

export interface KeyUsage {
  keyId: number;
  lastUsedAt: string | null;
  last24Hours: { requests: number; rateLimited: number; errors: number };
  hourly: UsageBucket[];
  daily: UsageBucket[];
  /** The current UTC month, from its 1st to today. */
  thisMonth: { start: string; requests: number; rateLimited: number; errors: number; daily: UsageBucket[] };
  policiesFrom: 'key' | 'tier';
  countersAvailable: boolean;
  policies: PolicyUsage[];
}

export interface LogEntry {
  id: number;
  occurredAt: string;
  requestId: string;
  method: string;
  route: string;
  path: string;
  status: number;
  latencyMs: number;
  keyId: number | null;
  userId: number | null;
  clientIp: string | null;
  instance: string | null;
  cacheStatus: string | null;
  errorCode: string | null;
}

export interface User {
  id: number;
  email: string;
  role: 'user' | 'admin';
  tier: string;
  status: 'active' | 'disabled';
  passwordSet: boolean;
  keyCount: number;
  createdAt: string;
}

export interface CreatedUser {
  user: User;
  setPasswordToken?: string;
  setPasswordTokenExpiresAt?: string;
  warning?: string;
}

/** A rate-limit tier and its policies (GET /api/v1/admin/tiers). */
export interface Tier {
  name: string;
  policies: RateLimitPolicy[];
  updatedAt: string | null;
}

/** What the gateway runs with, read-only (GET /api/v1/admin/settings). */
export interface GatewaySettings {
  trustedProxies: string[];
  changePollIntervalMillis: number;
}
