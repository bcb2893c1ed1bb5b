// Starts the real local stack for the browser tests on ports of its own (never 8080/3000-3003): two api replicas,
// the balancer and the gateway from their packaged jars (dev profile), against the database E2E_DB (its schema is
// reset first) and one Redis under a key prefix unique to this run. Each has a management port of its own (health,
// metrics): MANAGEMENT. stop() ends exactly what start() started.
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';

export const PORTS = { gateway: 28080, balancer: 23000, api: [23001, 23002] };
export const MANAGEMENT = { gateway: 29080, balancer: 24000, api: [24001, 24002] };
const DB = process.env.E2E_DB ?? 'scalable_e2e';

export function resetDatabase() {
  const env = { ...process.env, PGPASSWORD: process.env.POSTGRES_PASSWORD ?? 'scalable' };
  execFileSync('psql', ['-q', '-h', process.env.POSTGRES_HOST ?? '127.0.0.1', '-U', process.env.POSTGRES_USER ?? 'scalable', '-d', DB,
    '-v', 'ON_ERROR_STOP=1', '-c', 'drop schema if exists public cascade; create schema public;'], { env, stdio: 'pipe' });
}

export async function startStack(root, logDir) {
  mkdirSync(logDir, { recursive: true });
  const run = `e2e:${process.pid}-${Date.now()}:`;
  const common = {
    QUARKUS_PROFILE: 'dev',
    POSTGRES_DB: DB,
    FLEET_KEY_PREFIX: `${run}fleet:`,
    FLEET_INTERVAL: '1s',
    ACCOUNTS_REDIS_PREFIX: `${run}accounts:`,
    ADMIN_SESSION_REDIS_PREFIX: `${run}admin-session:`,
    RATELIMIT_KEY_PREFIX: `${run}rl:`,
    GATEWAY_KEYS_REDIS_PREFIX: `${run}key:`,
    GATEWAY_KEYS_REVOCATION_CHANNEL: `${run}key-revocations`,
    API_CACHE_KEY_PREFIX: `${run}resource:`,
    API_CACHE_CHANNEL: `${run}cache-invalidations`,
    // Every call to the simulated downstream fails, so the test can open a breaker and reset it.
    EXTERNAL_FAILURE_RATE: '1.0',
    ACCESS_LOG: 'false',
  };
  const services = [
    ...PORTS.api.map((port, i) => ({ name: `api-${i + 1}`, module: 'api-service', port, management: MANAGEMENT.api[i],
      env: { INSTANCE_ID: `e2e-api-${i + 1}` } })),
    { name: 'balancer', module: 'balancer-service', port: PORTS.balancer, management: MANAGEMENT.balancer,
      env: { API_SERVERS: PORTS.api.map((p, i) => `http://localhost:${p};health-port=${MANAGEMENT.api[i]}`).join(','),
        BALANCER_HEALTH_INTERVAL: '1s' } },
    { name: 'gateway', module: 'gateway-service', port: PORTS.gateway, management: MANAGEMENT.gateway,
      env: { BALANCER_URL: `http://localhost:${PORTS.balancer};health-port=${MANAGEMENT.balancer}`, INSTANCE_ID: 'e2e-gateway' } },
  ];
  const processes = [];
  const stack = { processes, stop: () => stopAll(processes) };
  try {
    // api replicas first: both migrate the schema and the gateway's migrations follow theirs.
    for (const group of [services.slice(0, 1), services.slice(1)]) {
      for (const s of group) {
        const out = openSync(join(logDir, `${s.name}.log`), 'w');
        const child = spawn('java', ['-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-jar',
          join(root, s.module, 'target/quarkus-app/quarkus-run.jar')], {
          env: { ...process.env, ...common, ...s.env, PORT: String(s.port), MANAGEMENT_PORT: String(s.management) },
          stdio: ['ignore', out, out],
        });
        processes.push({ ...s, child });
      }
      await Promise.all(group.map((s) => waitReady(s, processes.find((p) => p.name === s.name).child, logDir)));
    }
  } catch (e) {
    await stack.stop();
    throw e;
  }
  return stack;
}

async function waitReady(service, child, logDir) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${service.name} exited (${child.exitCode}); see ${logDir}/${service.name}.log`);
    try {
      const res = await fetch(`http://localhost:${service.management}/q/health/ready`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${service.name} not ready after 120 s; see ${logDir}/${service.name}.log`);
}

async function stopAll(processes) {
  for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGTERM');
  await Promise.all(processes.map((p) => new Promise((resolve) => {
    if (p.child.exitCode !== null) return resolve();
    const timer = setTimeout(() => { p.child.kill('SIGKILL'); resolve(); }, 25_000);
    p.child.once('exit', () => { clearTimeout(timer); resolve(); });
  })));
}
