// Browser tests of the dashboard against the real stack (see stack.mjs), driven by playwright-core through
// Debian's Chromium. Every screen is saved under dashboard/e2e-screenshots/ at 1280 px and at 390 px.
// Usage: node e2e/run.mjs   (after the jars are packaged: ./mvnw install -DskipTests)
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { MANAGEMENT, PORTS, resetDatabase, startStack } from './stack.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dashboard = join(here, '..');
const root = join(dashboard, '..');
const shots = join(dashboard, 'e2e-screenshots');
const BASE = `http://localhost:${PORTS.gateway}`;
const LOAD_KEY = 'sk_dev_ProTierDevelopmentKey00000000000001';
const ENTERPRISE_KEY = 'sk_dev_EnterpriseTierDevelopmentKey0000001';
const RUN = `e2e${Date.now().toString(36)}`;
const started = Date.now();

let failureShot = async () => {};
const step = async (name, fn) => {
  const t = Date.now();
  process.stdout.write(`  ${name} … `);
  try {
    await fn();
  } catch (e) {
    console.log('FAILED');
    await failureShot().catch(() => {});
    throw e;
  }
  console.log(`ok (${((Date.now() - t) / 1000).toFixed(1)} s)`);
};

/** Polls `check` until it returns a truthy value or the deadline passes (then fails with `what`). */
async function eventually(what, check, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await check();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what} (last: ${last})`);
}

/** A small steady load through the gateway while the overview is open: reads, a few 404s, a few 5xx. */
function startLoad() {
  let running = true;
  const loop = async () => {
    let i = 0;
    while (running) {
      const path = i % 10 === 9 ? '/api/v1/resources/987654' : i % 25 === 24 ? '/api/v1/external' : `/api/v1/resources/${(i % 5) + 1}`;
      await fetch(BASE + path, { headers: { 'X-API-Key': LOAD_KEY } }).then((r) => r.arrayBuffer()).catch(() => {});
      i++;
      await new Promise((r) => setTimeout(r, 40));
    }
  };
  const done = Promise.all([loop(), loop()]);
  return async () => {
    running = false;
    await done;
  };
}

async function main() {
  rmSync(shots, { recursive: true, force: true });
  mkdirSync(shots, { recursive: true });
  console.log('e2e: resetting database and starting the stack');
  resetDatabase();
  const stack = await startStack(root, join(dashboard, 'e2e-run', 'logs'));
  console.log(`e2e: stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  let browser;
  let stopLoad = async () => {};
  try {
    // launched inside the try: a missing Chromium must still stop the stack (else node waits on its services)
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    await scenario(browser, (stop) => { stopLoad = stop; });
  } finally {
    await stopLoad();
    await browser?.close();
    await stack.stop();
  }
  console.log(`e2e: all passed in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${shots}`);
}

async function scenario(browser, onLoadStarted) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: BASE });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });
  const page = await context.newPage();
  const consoleErrors = [];
  const failedCalls = [];
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // A failed fetch is also reported by Chromium as a console error; those are checked one by one below.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) consoleErrors.push(m.text());
    if (m.type() === 'warning') consoleErrors.push(`warning: ${m.text()}`);
  });
  page.on('response', (r) => r.status() >= 400 && failedCalls.push(`${r.status()} ${new URL(r.url()).pathname}`));
  const shot = (name) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  failureShot = () => shot('failure');

  await step('the gateway serves the dashboard at client routes, with a CSP; health is on the management port only', async () => {
    const html = await fetch(`${BASE}/keys`);
    assert.equal(html.status, 200);
    assert.match(html.headers.get('content-type'), /text\/html/);
    assert.match(await html.text(), /<div id="root">/);
    const csp = html.headers.get('content-security-policy');
    assert.match(csp ?? '', /default-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(html.headers.get('x-frame-options'), 'DENY');
    const unknownApi = await fetch(`${BASE}/api/v1/admin/nope`);
    assert.equal(unknownApi.status, 401, 'admin routes stay behind the session');
    const notFound = await fetch(`${BASE}/api/nothing-here`);
    assert.match(notFound.headers.get('content-type') ?? '', /json/);
    assert.equal((await notFound.json()).error.code, 'NOT_FOUND');
    const health = await fetch(`${BASE}/q/health/ready`);
    assert.equal(health.status, 404, 'the traffic port does not answer health');
    assert.equal((await health.json()).error.code, 'NOT_FOUND');
    const managed = await fetch(`http://localhost:${MANAGEMENT.gateway}/q/health/ready`);
    assert.equal(managed.status, 200);
  });

  await step('a deep link asks for a login; a wrong password is shown inline', async () => {
    await page.goto('/keys');
    await page.waitForURL(/\/login\?next=%2Fkeys$/);
    await page.getByLabel('Email').fill('admin@example.com');
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('login-error').getByText('Wrong email or password.').waitFor();
    await shot('01-login-error');
  });

  await step('logging in returns to the page asked for', async () => {
    await page.getByLabel('Password').fill('admin123');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/keys$/);
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    await page.getByText('admin@example.com').waitFor();
  });

  await step('the overview charts fill while a load runs; rate-limit indicator shows the admin limit', async () => {
    onLoadStarted(startLoad());
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.waitForURL(`${BASE}/`);
    await eventually('3 points of requests/s', async () => Number(await page.getByTestId('chart-rps').getAttribute('data-points')) >= 3, 40_000);
    await eventually('latency points', async () => Number(await page.getByTestId('chart-latency').getAttribute('data-points')) >= 3);
    await eventually('cache hit points', async () => Number(await page.getByTestId('chart-cache').getAttribute('data-points')) >= 1);
    assert.notEqual(await page.getByTestId('m-rps').textContent(), '0');
    assert.match(await page.getByTestId('m-latency').textContent(), /\d+(\.\d)? ms/);
    assert.match(await page.getByTestId('last-updated').textContent(), /Last updated \d\d:\d\d:\d\d/);
    assert.match(await page.getByTestId('rate-limit').textContent(), /API calls left: \d+\/\d+/);
    assert.equal(await page.locator('.recharts-line-curve').count() >= 5, true, 'every chart draws its lines');
    await shot('02-overview');
  });

  let key;
  let keyId;
  await step('create a key: shown once, copyable, with the warning', async () => {
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('button', { name: 'Create key…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create API key' });
    await dialog.getByLabel('Name').fill(`${RUN} checkout`);
    await dialog.getByLabel('Tier').selectOption('free');
    await dialog.getByLabel('Rate limit override per minute (optional)').fill('20');
    await shot('03-create-key');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    const created = page.getByRole('dialog', { name: 'API key created' });
    await created.getByText('You will not see it again').waitFor();
    key = await created.getByTestId('new-key').inputValue();
    assert.match(key, /^sk_dev_[A-Za-z0-9]{32,}$/);
    await created.getByRole('button', { name: 'Copy key' }).click();
    await created.getByText('Copied', { exact: true }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), key);
    await shot('04-key-created');
    await created.getByRole('button', { name: 'I have copied it' }).click();
    const row = page.locator('tr', { hasText: `${RUN} checkout` });
    keyId = await row.getAttribute('data-key-id');
    assert.ok(keyId);
    assert.equal(await page.getByText(key).count(), 0, 'the full key is gone once the dialog is closed');
  });

  const probeId = `${RUN}-probe`;
  await step('use the key over HTTP: 20 admitted, then 429s; its usage shows them and its policy used up', async () => {
    const statuses = [];
    for (let i = 0; i < 24; i++) {
      const headers = { 'X-API-Key': key, ...(i === 0 ? { 'X-Request-ID': probeId } : {}) };
      const res = await fetch(`${BASE}/api/v1/resources/${(i % 3) + 1}`, { headers });
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    assert.deepEqual(statuses.filter((s) => s === 200).length, 20, statuses.join(','));
    assert.deepEqual(statuses.filter((s) => s === 429).length, 4, statuses.join(','));
    const panel = page.getByTestId('key-usage');
    // the key's tier policy (free, its minute limit overridden to 20), from the limiter's counters: read at once,
    // well inside the minute the 20 admitted requests stay counted
    const policy = panel.getByTestId('policy-usage').locator('li[data-policy="free"]');
    await eventually('the minute policy used up', async () => {
      await panel.getByRole('button', { name: 'Refresh' }).click();
      await page.waitForTimeout(200);
      return (await policy.getByTestId('policy-used').textContent()) === '20 / 20';
    });
    assert.equal(await policy.getByRole('progressbar').getAttribute('aria-valuenow'), '20');
    assert.match(await policy.getByTestId('policy-reset').textContent(), /^frees up in \d+ (s|min) \(/);
    await panel.getByText('Rate-limit policies (tier free)').waitFor();
    await eventually('24 requests in the usage panel', async () => {
      await panel.getByRole('button', { name: 'Refresh' }).click();
      await page.waitForTimeout(200);
      return (await panel.getByTestId('usage-requests').textContent()) === '24';
    });
    await panel.getByText('4 rate-limited').first().waitFor();
    assert.ok((await panel.locator('.recharts-bar-rectangle').count()) > 0, 'the usage chart has bars');
    await eventually("today's requests in the month", async () => (await panel.getByTestId('month-requests').textContent()) === '24');
    assert.ok(Number(await panel.getByTestId('chart-month').getAttribute('data-points')) >= 1, 'the month chart has today');
    await shot('05-keys-usage');
  });

  await step('search and paging of keys', async () => {
    await page.getByLabel('Search').fill(RUN);
    await page.getByRole('button', { name: 'Search' }).click();
    await eventually('one matching key', async () => (await page.locator('table[data-testid=keys] tbody tr').count()) === 1);
    await page.getByText('Page 1 of 1 · 1 keys').waitFor();
  });

  await step('logs filtered down to the key, then to its 429s; a row opens the full record', async () => {
    await page.locator(`tr[data-key-id="${keyId}"]`).getByRole('button', { name: 'Logs' }).click();
    await page.waitForURL(new RegExp(`/logs\\?keyId=${keyId}$`));
    const rows = page.locator('table[data-testid=logs] tbody tr[data-log-id]');
    await eventually('24 rows for the key', async () => (await rows.count()) === 24);
    for (const text of await rows.locator('td:nth-child(6)').allTextContents()) assert.equal(text, keyId);
    await page.getByLabel('Status').fill('429');
    await page.getByRole('button', { name: 'Apply' }).click();
    await eventually('4 rows of 429', async () => (await rows.count()) === 4);
    assert.deepEqual(new Set(await rows.locator('.pill').allTextContents()), new Set(['429']));
    assert.match(await rows.first().locator('.pill').getAttribute('class'), /status-4xx/);
    await shot('06-logs-filtered');
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByRole('textbox', { name: 'Request id' }).fill(probeId);
    await page.getByRole('button', { name: 'Apply' }).click();
    await eventually('the probe request', async () => (await rows.count()) === 1);
    await rows.first().focus();
    await page.keyboard.press('Enter');
    const record = page.getByTestId('log-record');
    await record.getByText(probeId).first().waitFor();
    await record.getByText('/api/v1/resources/1').waitFor();
    await page.getByRole('dialog', { name: 'Request' }).getByRole('button', { name: 'Copy request id' }).click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), probeId);
    await shot('07-log-record');
    await page.keyboard.press('Escape');
    await record.waitFor({ state: 'detached' });
  });

  await step('rename the key, then rotate it: the new secret shown once and working, the old one in its grace', async () => {
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.locator(`tr[data-key-id="${keyId}"]`).getByRole('button', { name: 'Usage' }).click();
    const panel = page.getByTestId('key-usage');
    await panel.getByRole('button', { name: 'Edit…' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit API key' });
    await edit.getByLabel('Name').fill(`${RUN} checkout v2`);
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'detached' });
    await panel.getByRole('heading', { name: `Usage of ${RUN} checkout v2` }).waitFor();
    await page.locator(`tr[data-key-id="${keyId}"]`).getByText(`${RUN} checkout v2`).waitFor();

    await panel.getByRole('button', { name: 'Rotate…' }).click();
    const rotate = page.getByRole('dialog', { name: 'Rotate API key' });
    await rotate.getByLabel(/Grace period in seconds/).fill('3600');
    await rotate.getByRole('button', { name: 'Rotate key' }).click();
    const rotated = page.getByRole('dialog', { name: 'API key rotated' });
    await rotated.getByText('You will not see it again').waitFor();
    const secret = await rotated.getByTestId('rotated-key').inputValue();
    assert.match(secret, /^sk_dev_[A-Za-z0-9]{32,}$/);
    assert.notEqual(secret, key);
    await rotated.getByRole('button', { name: 'Copy new key' }).click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
    await rotated.getByTestId('previous-key-expires').getByText(/\d\d:\d\d:\d\d/).first().waitFor();
    await shot('05a-key-rotated');
    await rotated.getByRole('button', { name: 'I have copied it' }).click();
    await panel.getByTestId('key-lifecycle').getByText(/previous secret valid until/).first().waitFor();
    assert.equal(await page.getByText(secret).count(), 0, 'the new secret is gone once the dialog is closed');
    for (const [which, value] of [['new', secret], ['old', key]]) {
      const me = await fetch(`${BASE}/api/v1/me`, { headers: { 'X-API-Key': value } });
      assert.equal(me.status, 200, `the ${which} secret authenticates`);
      assert.equal(String((await me.json()).data.keyId), keyId);
    }
  });

  await step('revoke the key with confirmation; the gateway refuses it', async () => {
    await page.getByRole('link', { name: 'API keys' }).click();
    const row = page.locator(`tr[data-key-id="${keyId}"]`);
    await row.getByRole('button', { name: 'Revoke' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke API key' });
    await shot('08-revoke-confirm');
    await dialog.getByRole('button', { name: 'Revoke key' }).click();
    await row.getByText('revoked').waitFor();
    await eventually('AUTH_KEY_REVOKED', async () => {
      const res = await fetch(`${BASE}/api/v1/resources/1`, { headers: { 'X-API-Key': key } });
      return res.status === 401 && (await res.json()).error.code === 'AUTH_KEY_REVOKED';
    }, 10_000);
  });

  const userEmail = `${RUN}.consumer@example.com`;
  let userToken;
  let userId;
  await step('users: create a user without a password; the one-time token is shown once and sets the password', async () => {
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    await page.getByRole('button', { name: 'Create user…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create user' });
    await dialog.getByLabel('Email').fill(userEmail.toUpperCase());
    await dialog.getByLabel('Tier').selectOption('pro');
    await dialog.getByRole('button', { name: 'Create user' }).click();
    const created = page.getByRole('dialog', { name: 'User created' });
    await created.getByText('You will not see it again').waitFor();
    const token = await created.getByTestId('set-password-token').inputValue();
    assert.match(token, /^pst_[A-Za-z0-9]{43}$/);
    await created.getByRole('button', { name: 'Copy token' }).click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), token);
    await shot('08a-user-created');
    await created.getByRole('button', { name: 'Done' }).click();
    assert.equal(await page.getByText(token).count(), 0, 'the token is gone once the dialog is closed');
    const set = await fetch(`${BASE}/api/v1/auth/password`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token, password: `${RUN}-a-long-password` }) });
    assert.equal(set.status, 200);
    const login = await fetch(`${BASE}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: userEmail, password: `${RUN}-a-long-password` }) });
    assert.equal(login.status, 200);
    userToken = (await login.json()).data.token;
  });

  await step('users: search finds the user by part of the email', async () => {
    await page.getByLabel('Search').fill(`${RUN}.CONSUMER`);
    await page.getByRole('button', { name: 'Search' }).click();
    const rows = page.locator('table[data-testid=users] tbody tr[data-user-id]');
    await eventually('one matching user', async () => (await rows.count()) === 1);
    await rows.first().getByText(userEmail).waitFor();
    await page.getByText('Page 1 of 1 · 1 users').waitFor();
    userId = await rows.first().getAttribute('data-user-id');
    assert.ok(userId);
  });

  let userKey;
  await step('keys: the owner is picked by email; the key belongs to that user', async () => {
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('button', { name: 'Create key…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create API key' });
    await dialog.getByLabel('Name').fill(`${RUN} consumer key`);
    await dialog.getByRole('combobox', { name: 'Owner (email; empty = me)' }).fill(RUN + '.cons');
    await dialog.getByRole('option', { name: userEmail }).click();
    assert.equal(await dialog.getByRole('combobox', { name: 'Owner (email; empty = me)' }).inputValue(), userEmail);
    await shot('08b-key-owner-by-email');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    const created = page.getByRole('dialog', { name: 'API key created' });
    userKey = await created.getByTestId('new-key').inputValue();
    await created.getByRole('button', { name: 'I have copied it' }).click();
    await page.locator('tr', { hasText: `${RUN} consumer key` }).getByText(userEmail).waitFor();
    const res = await fetch(`${BASE}/api/v1/resources/1`, { headers: { 'X-API-Key': userKey } });
    await res.arrayBuffer();
    assert.equal(res.status, 200);
  });

  await step('users: disabling the user refuses their token and key within 5 s', async () => {
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByLabel('Search').fill(RUN);
    await page.getByRole('button', { name: 'Search' }).click();
    const row = page.locator(`tr[data-user-id="${userId}"]`);
    await row.getByText('1', { exact: true }).waitFor();
    await row.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit user' });
    await dialog.getByLabel('Status').selectOption('disabled');
    await dialog.getByText('within 5 s').waitFor();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await row.getByText('disabled').waitFor();
    await shot('08c-user-disabled');
    await eventually('the token and the key refused', async () => {
      const me = await fetch(`${BASE}/api/v1/me`, { headers: { Authorization: `Bearer ${userToken}` } });
      const key = await fetch(`${BASE}/api/v1/resources/1`, { headers: { 'X-API-Key': userKey } });
      await me.arrayBuffer();
      const body = await key.json();
      return me.status === 401 && key.status === 403 && body.error.code === 'FORBIDDEN';
    }, 5_000);
  });

  await step('servers: an open breaker shown red, reset with confirmation, then closed', async () => {
    for (let i = 0; i < 12; i++) await fetch(`${BASE}/api/v1/external`, { headers: { 'X-API-Key': LOAD_KEY } }).then((r) => r.arrayBuffer());
    await page.getByRole('link', { name: 'Servers' }).click();
    const openRow = page.locator('tr[data-breaker="external-downstream"]', { has: page.locator('.state-open') }).first();
    await eventually('an open external-downstream breaker', async () => (await openRow.count()) > 0, 20_000);
    await page.getByRole('cell', { name: `localhost:${PORTS.api[0]}` }).first().waitFor();
    await shot('09-servers-breaker-open');
    await openRow.getByRole('button', { name: 'Reset' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reset circuit breaker' });
    await dialog.getByRole('button', { name: 'Reset breaker' }).click();
    await page.getByText('was reset on every api replica').waitFor();
    await eventually('every external-downstream breaker closed', async () => {
      const states = await page.locator('tr[data-breaker="external-downstream"] [data-testid=breaker-state]').allTextContents();
      return states.length > 0 && states.every((s) => s === 'closed');
    });
    await page.getByRole('button', { name: 'Clear cache…' }).click();
    await page.getByRole('dialog', { name: 'Clear cache' }).getByRole('button', { name: 'Clear cache' }).click();
    await page.getByText('The cache was cleared').waitFor();
    await shot('10-servers');
  });

  await step('settings: tiers and trusted proxies shown; a tier changed in the form is enforced within 5 s', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await page.getByTestId('trusted-proxies').locator('li').first().waitFor();
    const row = page.locator('tr[data-tier="enterprise"]');
    await row.getByRole('button', { name: 'Edit enterprise' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit tier enterprise' });
    await dialog.getByRole('button', { name: 'Add policy' }).click();
    const n = await dialog.getByTestId('policy-row').count();
    await dialog.getByLabel(`Policy ${n} name`).fill('e2e-daily');
    await dialog.getByLabel(`Policy ${n} window`).selectOption('day');
    await dialog.getByLabel(`Policy ${n} limit`).fill('1000000');
    await shot('10b-settings-edit-tier');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await row.getByText('e2e-daily 1,000,000/day', { exact: false }).waitFor();
    await shot('10c-settings');
    await eventually('the enterprise key carries the new policy', async () => {
      const res = await fetch(`${BASE}/api/v1/resources/1`, { headers: { 'X-API-Key': ENTERPRISE_KEY } });
      await res.arrayBuffer();
      return res.status === 200 && (res.headers.get('ratelimit-policy') ?? '').includes('"e2e-daily";q=1000000;w=86400');
    }, 5_000);
  });

  await step('keyboard: the main navigation and log out are reachable with Tab', async () => {
    await page.locator('body').focus();
    const reached = new Set();
    for (let i = 0; i < 14; i++) {
      await page.keyboard.press('Tab');
      reached.add(await page.evaluate(() => document.activeElement?.textContent?.trim()));
    }
    for (const name of ['Overview', 'Servers', 'API keys', 'Users', 'Request logs', 'Settings', 'Log out']) assert.ok(reached.has(name), `${name} by Tab: ${[...reached]}`);
  });

  await step('at 390 px every screen fits the width', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const [name, path, ready] of [['overview', '/', 'chart-rps'], ['servers', '/servers', 'breakers'], ['keys', '/keys', 'keys'], ['users', '/users', 'users'], ['logs', '/logs', 'logs'], ['settings', '/settings', 'tiers']]) {
      await page.goto(path);
      await page.getByTestId(ready).waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `${path} is ${width}px wide at 390px`);
      await shot(`11-mobile-${name}`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  await step('log out: back to the login screen, and the session is gone', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login$/);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.goto('/servers');
    await page.waitForURL(/\/login\?next=%2Fservers$/);
    await shot('12-logged-out');
  });

  await step('no console errors; the only failed calls were the expected 401s', async () => {
    assert.deepEqual(consoleErrors, []);
    const unexpected = failedCalls.filter((c) => !['401 /api/v1/admin/me', '401 /api/v1/admin/login'].includes(c));
    assert.deepEqual(unexpected, []);
  });
  await context.close();
}

main().catch((e) => {
  console.error('\ne2e FAILED:', e);
  process.exitCode = 1;
});
