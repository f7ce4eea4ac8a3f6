// The console's journeys in Debian's chromium, driven by playwright-core (no browser download).
// Run by tests/Synapse.Tests/Console/ConsoleBrowserTests.cs, which starts the gateway and answers
// this script's requests on stdin ("NEED <what> <json>" → one JSON line), e.g. to call /v1 with
// the official OpenAI .NET SDK. Each journey throws on the first thing that is not as it should be.
import { chromium } from 'playwright-core';
import { createInterface } from 'node:readline';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const base = process.env.SYNAPSE_URL;               // e.g. http://127.0.0.1:5000 (or …/gw under a path base)
const token = process.env.SYNAPSE_ADMIN_TOKEN;
const shots = process.env.SYNAPSE_SCREENSHOTS;      // docs/console, or empty for none
const suite = process.argv[2];

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
async function need(what, payload = {}) {
  process.stdout.write(`NEED ${what} ${JSON.stringify(payload)}\n`);
  const { value } = await lines.next();
  return JSON.parse(value);
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function shot(page, name) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await page.waitForTimeout(0);
  await page.screenshot({ path: join(shots, name + '.png'), fullPage: false });
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});

async function newPage(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1360, height: 860 }, ...options });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', e => problems.push('page error: ' + e.message));
  // The API's 401/403 answers are expected; a failed resource load shows in the console as well.
  page.on('console', m => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push('console: ' + m.text()); });
  page.on('dialog', d => { problems.push('dialog: ' + d.message()); d.dismiss(); });
  return { context, page, problems };
}

async function signIn(page, username, password) {
  await page.goto(base + '/admin/');
  await page.fill('form[data-form=sign-in] input[name=username]', username);
  await page.fill('form[data-form=sign-in] input[name=password]', password);
  await page.click('form[data-form=sign-in] button[type=submit]');
  await page.waitForSelector('[data-testid=who]');
}

async function go(page, id) {
  await page.click(`nav a[data-page=${id}]`);
  await page.waitForFunction(p => document.querySelector(`nav a[data-page=${p}]`)?.classList.contains('active'), id);
}

const admin = { username: 'ops-lead', password: 'a long first password' };

async function firstRun() {
  const { context, page, problems } = await newPage();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(base).origin });
  await page.goto(base + '/admin/');
  await page.waitForSelector('form[data-form=setup]');
  await shot(page, 'setup');
  await page.fill('input[name=token]', token);
  await page.fill('form[data-form=setup] input[name=username]', admin.username);
  await page.fill('form[data-form=setup] input[name=password]', admin.password);
  await page.click('form[data-form=setup] button[type=submit]');
  await page.waitForSelector('form[data-form=sign-in]');
  await page.fill('form[data-form=sign-in] input[name=username]', admin.username);
  await page.fill('form[data-form=sign-in] input[name=password]', admin.password);
  await shot(page, 'sign-in');
  await page.click('form[data-form=sign-in] button[type=submit]');
  await page.waitForSelector('[data-testid=who]');

  await go(page, 'keys');
  await page.fill('form[data-form=team] input[name=team]', 'HR');
  await page.click('form[data-form=team] button[type=submit]');
  await page.waitForSelector('table[data-table=teams] td.team-name:text-is("HR")');
  await page.click('button[data-action=new-key]');
  await page.waitForSelector('form[data-form=key] input[type=checkbox][value=llama3]');
  // The API's field errors show inline: submit once without a name or a model.
  await page.click('form[data-form=key] button[type=submit]');
  await page.waitForSelector('form[data-form=key] .field-error');
  await page.fill('form[data-form=key] input[name=name]', 'HR assistant');
  await page.fill('form[data-form=key] textarea[name=systemPrompt]', 'You answer HR policy questions.');
  await page.check('form[data-form=key] input[type=checkbox][value=llama3]');
  await page.check('form[data-form=key] input[type=radio][value=sensitive]');
  // An expiry day: the key is approved until the end of it, in the browser's time zone.
  const expiryYear = new Date().getFullYear() + 2;
  await page.fill('form[data-form=key] input[name=expiresOn]', `${expiryYear}-06-30`);
  await shot(page, 'new-key');
  await page.click('form[data-form=key] button[type=submit]');
  await page.waitForSelector('[data-testid=new-key]');
  await page.click('button[data-action=copy-key]');
  await page.waitForSelector('button[data-action=copy-key]:text-is("Copied")');
  const key = await page.evaluate(() => navigator.clipboard.readText());
  check(/^syn-/.test(key), 'the copied key is not a Synapse key: ' + key.slice(0, 4));
  check((await page.textContent('[data-testid=new-key]')) === key, 'the copied key differs from the one shown');
  const snippets = await page.textContent('dialog[data-name=key-once]');
  check(snippets.includes(base + '/v1'), 'the snippets do not point at this gateway');
  await shot(page, 'key-once');
  await page.click('button[data-action=done]');
  await page.waitForSelector('table[data-table=keys] td:text-is("HR assistant")');
  const expiresAt = await page.evaluate(async () => (await (await fetch('api/keys')).json()).items.find(k => k.name === 'HR assistant').expiresAt);
  const endOfDay = await page.evaluate(year => new Date(year, 5, 30, 23, 59, 59).getTime(), expiryYear);
  check(new Date(expiresAt).getTime() === endOfDay, 'the key does not expire at the end of the chosen day: ' + expiresAt);
  const expiresCell = await page.textContent('table[data-table=keys] tr:has(td:text-is("HR assistant")) td:last-child');
  check(expiresCell.includes(String(expiryYear)), 'the key list does not show the expiry: ' + expiresCell);
  await shot(page, 'teams-and-keys');

  // Key detail: a cap set once survives a later edit of the other limits (PUT replaces them all).
  const limitsOf = () => page.evaluate(async () => (await (await fetch('api/keys')).json()).items.find(k => k.name === 'HR assistant').limits);
  await page.click('table[data-table=keys] td:text-is("HR assistant")');
  await page.fill('form[data-form=limits] input[name=maxOutputTokens]', '256');
  await page.click('form[data-form=limits] button[type=submit]');
  await page.waitForSelector('dialog[data-name=key-detail]', { state: 'detached' });
  check((await limitsOf()).maxOutputTokens === 256, 'the output-token cap was not saved: ' + JSON.stringify(await limitsOf()));
  await page.click('table[data-table=keys] td:text-is("HR assistant")');
  check((await page.inputValue('form[data-form=limits] input[name=maxOutputTokens]')) === '256', 'the key detail does not show the output-token cap');
  await page.fill('form[data-form=limits] input[name=requestsPerMinute]', '90');
  await page.click('form[data-form=limits] button[type=submit]');
  await page.waitForSelector('dialog[data-name=key-detail]', { state: 'detached' });
  const limits = await limitsOf();
  check(limits.requestsPerMinute === 90 && limits.maxOutputTokens === 256, 'saving the limits lifted a cap: ' + JSON.stringify(limits));

  const call = await need('sdk-call', { key });
  check(call.ok, 'the OpenAI SDK call failed: ' + call.error);

  // Rotation: the same key gets a new secret, shown once like a new key's; the old one keeps
  // working for the overlap the admin chose.
  await page.click('table[data-table=keys] td:text-is("HR assistant")');
  await page.click('button[data-action=rotate-key]');
  await page.selectOption('form[data-form=rotate] select[name=overlapSeconds]', '3600');
  await page.click('button[data-action=confirm-rotate]');
  await page.waitForSelector('[data-testid=new-key]');
  await page.click('button[data-action=copy-key]');
  await page.waitForSelector('button[data-action=copy-key]:text-is("Copied")');
  const rotated = await page.evaluate(() => navigator.clipboard.readText());
  check(/^syn-/.test(rotated) && rotated !== key, 'the rotation did not show a new Synapse key');
  check((await page.textContent('[data-testid=new-key]')) === rotated, 'the copied secret differs from the one shown');
  check((await page.textContent('[data-testid=old-key-ends]')).includes('keeps working until'), 'the rotation does not say when the old secret stops');
  await page.click('button[data-action=done]');
  await page.waitForSelector('dialog[data-name=key-once]', { state: 'detached' });
  const rotatedModels = await need('models', { key: rotated });
  check(rotatedModels.status === 200, 'the new secret got ' + rotatedModels.status + ' from /v1/models');
  const oldModels = await need('models', { key });
  check(oldModels.status === 200, 'the old secret stopped during its overlap: ' + oldModels.status);

  await go(page, 'overview');
  await page.waitForFunction(() => Number((document.querySelector('[data-testid=total-requests]')?.textContent || '0').replace(/\D/g, '')) >= 1);
  // The SDK call's completion recorded both parts of its time: the providers' and the gateway's.
  for (const stat of ['gateway-latency', 'upstream-latency']) {
    const shown = await page.textContent(`[data-testid=${stat}]`);
    check(/^[\d.,]+ ms \/ [\d.,]+ ms$/.test(shown.trim()), `the overview's ${stat} shows no figures: ${shown}`);
  }
  await shot(page, 'overview');

  await go(page, 'audit');
  await page.waitForSelector('table[data-table=audit] td:text-is("llama3")');
  await page.click('button[data-action=verify]');
  await page.waitForSelector('[data-testid=verify-result] .yes:text-is("ok")');
  await shot(page, 'audit-log');
  await page.click(`table[data-table=audit] tr[data-event="${call.completionId}"]`);
  await page.waitForSelector('dialog[data-name=event]');
  await shot(page, 'audit-event');
  await page.keyboard.press('Escape');

  await go(page, 'providers');
  await page.waitForSelector('table[data-table=providers] td:text-is("local")');
  await shot(page, 'providers');
  await go(page, 'alerts');
  await page.waitForSelector('section.card');
  await shot(page, 'alerts');
  await go(page, 'accounts');
  await page.waitForSelector(`table[data-table=accounts] td:text-is("${admin.username}")`);
  // A refused account keeps what was typed and says why next to the field.
  await page.fill('form[data-form=account] input[name=username]', 'second-admin');
  await page.fill('form[data-form=account] input[name=password]', 'short');
  await page.click('form[data-form=account] button[type=submit]');
  await page.waitForSelector('form[data-form=account] .field-error');
  check((await page.inputValue('form[data-form=account] input[name=username]')) === 'second-admin', 'the refused account lost its user name');
  await page.fill('form[data-form=account] input[name=password]', 'a long second password');
  await page.click('form[data-form=account] button[type=submit]');
  await page.waitForSelector('table[data-table=accounts] td:text-is("second-admin")');
  // A password reset happens in the console's own dialog, with the API's field error inline.
  await page.click('table[data-table=accounts] tr:has(td:text-is("second-admin")) button[data-action=reset-password]');
  await page.fill('form[data-form=reset-password] input[name=password]', 'short');
  await page.click('form[data-form=reset-password] button[type=submit]');
  await page.waitForSelector('form[data-form=reset-password] .field-error');
  await page.fill('form[data-form=reset-password] input[name=password]', 'a reset long password');
  await page.click('form[data-form=reset-password] button[type=submit]');
  await page.waitForSelector('dialog[data-name=reset-password]', { state: 'detached' });
  await shot(page, 'accounts');
  check(problems.length === 0, problems.join('\n'));
  await context.close();
  return call;
}

async function auditor(call) {
  const account = await need('auditor');
  const { context, page, problems } = await newPage();
  await signIn(page, account.username, account.password);
  check((await page.textContent('[data-testid=who]')).includes('auditor'), 'not signed in as an auditor');
  check(await page.locator('nav a[data-page=accounts]').count() === 0, 'an auditor sees the accounts page');
  await go(page, 'keys');
  await page.waitForSelector('table[data-table=keys] td:text-is("HR assistant")');
  check(await page.locator('button[data-action=new-key]').count() === 0, 'an auditor sees the new-key button');
  check(await page.locator('form[data-form=team]').count() === 0, 'an auditor sees the new-team form');
  await page.click('table[data-table=keys] td:text-is("HR assistant")');
  await page.waitForSelector('dialog[data-name=key-detail]');
  check(await page.locator('button[data-action=rotate-key]').count() === 0, 'an auditor sees the rotate button');
  await page.keyboard.press('Escape');
  await go(page, 'dlp');
  await page.waitForSelector('form[data-form=dlp-test]');
  check(await page.locator('button[data-action=save-policy]').count() === 0, 'an auditor sees the save-policy button');
  await go(page, 'alerts');
  await page.waitForSelector('section.card');
  await go(page, 'audit');
  await page.waitForSelector('table[data-table=audit] td:text-is("llama3")');
  await page.fill('form[data-form=prove] input[name=eventId]', String(call.completionId));
  await page.fill('form[data-form=prove] textarea[name=proveText]', call.answer);
  await page.click('form[data-form=prove] button[type=submit]');
  await page.waitForSelector('[data-testid=prove-result].yes');
  await shot(page, 'auditor-prove');
  await page.fill('form[data-form=prove] textarea[name=proveText]', call.answer + ' (edited)');
  await page.click('form[data-form=prove] button[type=submit]');
  await page.waitForSelector('[data-testid=prove-result].no');

  // The server, not the page, is what refuses: every write with this session gets 403.
  const statuses = await page.evaluate(async () => {
    const session = await (await fetch('api/session')).json();
    const writes = [
      ['POST', 'teams', { name: 'sneaky' }], ['POST', 'keys', {}], ['POST', 'keys/x/revoke'], ['POST', 'keys/x/rotate', { overlapSeconds: 0 }], ['PUT', 'keys/x/limits', {}],
      ['PUT', 'dlp/policy', {}], ['POST', 'accounts', {}], ['PATCH', 'accounts/x', {}], ['GET', 'accounts'],
      ['POST', 'alerts/00000000-0000-0000-0000-000000000000/deliveries/x/retry'],
    ];
    const result = {};
    for (const [method, path, body] of writes) {
      const response = await fetch('api/' + path, {
        method, headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrfToken }, body: body ? JSON.stringify(body) : undefined,
      });
      result[`${method} ${path}`] = response.status;
    }
    return result;
  });
  const allowed = Object.entries(statuses).filter(([, status]) => status !== 403);
  check(allowed.length === 0, 'an auditor was not refused: ' + JSON.stringify(allowed));
  check(problems.length === 0, problems.join('\n'));
  await context.close();
}

async function sessions() {
  const { context, page } = await newPage();
  await signIn(page, admin.username, admin.password);

  // A write without the antiforgery token is refused.
  const withoutToken = await page.evaluate(async () => (await fetch('api/teams', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"name":"no-csrf"}' })).status);
  check(withoutToken === 403, 'a write without X-CSRF-Token got ' + withoutToken);

  // Sign-out revokes the session: the old cookie is refused afterwards.
  const cookies = await context.cookies();
  await page.click('button[data-action=sign-out]');
  await page.waitForSelector('form[data-form=sign-in]');
  const replay = await browser.newContext();
  await replay.addCookies(cookies);
  const replayed = await replay.request.get(base + '/admin/api/teams');
  check(replayed.status() === 401, 'the signed-out cookie got ' + replayed.status());
  await replay.close();

  // An expired session returns to sign-in at the next request.
  await signIn(page, admin.username, admin.password);
  await need('expire', { username: admin.username });
  // Not a click on the sidebar link: a request the overview still had in flight may meet the 401 first
  // and take the sidebar away before the click lands (a CI run waited 30 s on the detached link).
  // Following the link's address is the same navigation and works from either page.
  await page.evaluate(() => { window.location.hash = '#/providers'; });
  await page.waitForSelector('form[data-form=sign-in] .notice');
  check((await page.textContent('form[data-form=sign-in] .notice')).includes('ended'), 'the sign-in page does not say the session ended');
  await shot(page, 'session-ended');
  await context.close();
}

async function dlpAndXss() {
  const evil = '<img src=x onerror=alert(1)>';
  // The user agent is client text too: it lands in the admin events the audit log shows.
  const { context, page, problems } = await newPage({ userAgent: 'Mozilla/5.0 ' + evil });
  await signIn(page, admin.username, admin.password);
  await go(page, 'keys');
  await page.fill('form[data-form=team] input[name=team]', evil);
  await page.click('form[data-form=team] button[type=submit]');
  await page.waitForFunction(name => [...document.querySelectorAll('table[data-table=teams] td.team-name')].some(td => td.textContent === name), evil);
  check(await page.locator('table[data-table=teams] img').count() === 0, 'the team name became an element');
  await page.click('button[data-action=new-key]');
  await page.waitForSelector('form[data-form=key] select[name=teamId]');
  check(await page.locator('form[data-form=key] img').count() === 0, 'the team name became an element in the key form');
  // A key whose name and system prompt are markup: the list, the once dialog and the detail show text.
  await page.selectOption('form[data-form=key] select[name=teamId]', { label: evil });
  await page.fill('form[data-form=key] input[name=name]', evil + ' key');
  await page.fill('form[data-form=key] textarea[name=systemPrompt]', evil + ' </pre><script>window.ran = 1</script>');
  await page.check('form[data-form=key] input[type=checkbox][value=llama3]');
  await page.click('form[data-form=key] button[type=submit]');
  await page.waitForSelector('[data-testid=new-key]');
  await page.click('button[data-action=done]');
  await page.click(`table[data-table=keys] td:text-is("${evil} key")`);
  await page.waitForSelector('dialog[data-name=key-detail]');
  check((await page.textContent('dialog[data-name=key-detail] pre')).startsWith(evil), 'the system prompt is not shown as typed');
  check(await page.locator('main img, main script, dialog img, dialog script').count() === 0, 'a key name or system prompt became an element');
  await page.keyboard.press('Escape');
  await go(page, 'audit');
  await page.click('table[data-table=audit] tbody tr:has(td:text-is("admin"))');
  await page.waitForSelector('dialog[data-name=event]');
  check((await page.textContent('dialog[data-name=event]')).includes(evil), 'the admin event does not show the user agent as text');
  check(await page.locator('dialog img, dialog script').count() === 0, 'an audit field became an element');
  check(await page.evaluate(() => window.ran === undefined), 'a script from a field ran');
  await page.keyboard.press('Escape');

  await go(page, 'dlp');
  const text = 'Card 4111 1111 1111 1111, mail jane.doe@example.com, and ' + evil;
  await page.fill('form[data-form=dlp-test] textarea[name=text]', text);
  await page.click('form[data-form=dlp-test] button[type=submit]');
  await page.waitForSelector('[data-testid=highlighted] mark');
  const marks = await page.$$eval('[data-testid=highlighted] mark', ms => ms.map(m => [m.dataset.category, m.textContent]));
  check(marks.some(([c, t]) => c === 'credit_card' && t.replace(/\s/g, '') === '4111111111111111'), 'the card number is not highlighted: ' + JSON.stringify(marks));
  check(marks.some(([c, t]) => c === 'email' && t === 'jane.doe@example.com'), 'the e-mail is not highlighted: ' + JSON.stringify(marks));
  check((await page.textContent('[data-testid=highlighted]')) === text, 'the scanned text is not shown as it was typed');
  check(await page.locator('[data-testid=highlighted] img').count() === 0, 'the scanned text became markup');
  await shot(page, 'dlp');

  // Saving the policy replaces only the version the page read: saved once, then refused with the
  // reason after another admin's change, which it does not undo.
  await page.click('button[data-action=save-policy]');
  await page.waitForSelector('.actions .ok');
  const tokenHeaders = { Authorization: 'Bearer ' + token };
  const current = await (await context.request.get(base + '/admin/api/dlp/policy', { headers: tokenHeaders })).json();
  // A change of substance (saving the same rules keeps the version): an alert-only category.
  const probe = { name: 'journey_probe', pattern: 'JRN-[0-9]{3}', action: 'alert', maxLength: 8 };
  const other = await context.request.put(base + '/admin/api/dlp/policy', { headers: tokenHeaders, data: { actions: current.actions, customCategories: [...current.customCategories, probe] } });
  check(other.ok(), 'the other admin\'s change failed: ' + other.status());
  await page.click('button[data-action=save-policy]');
  await page.waitForSelector('p.error[role=alert]');
  const refusal = await page.textContent('p.error[role=alert]');
  check(refusal.includes('Another change was saved') && refusal.includes(`version ${current.version + 1}`), 'the stale save was not refused with its reason: ' + refusal);
  check(problems.length === 0, 'something ran or failed: ' + problems.join('\n'));
  await context.close();
}

async function pathBase() {
  const { context, page, problems } = await newPage();
  const requests = [];
  page.on('request', r => requests.push(new URL(r.url()).pathname));
  await page.goto(base + '/admin');
  await page.waitForSelector('form[data-form=setup]');
  await page.fill('input[name=token]', token);
  await page.fill('form[data-form=setup] input[name=username]', 'proxied');
  await page.fill('form[data-form=setup] input[name=password]', 'behind a reverse proxy');
  await page.click('form[data-form=setup] button[type=submit]');
  await page.waitForSelector('form[data-form=sign-in]');
  await signIn(page, 'proxied', 'behind a reverse proxy');
  await go(page, 'providers');
  await page.waitForSelector('table[data-table=providers] td:text-is("local")');
  const prefix = new URL(base).pathname;
  const api = requests.filter(p => p.includes('/admin/api/'));
  check(api.length > 0 && api.every(p => p.startsWith(prefix + '/admin/api/')), 'API calls left the path base: ' + JSON.stringify(api));
  check(problems.length === 0, problems.join('\n'));
  await context.close();
}

async function dashboard() {
  const anonymous = await browser.newContext();
  const refused = await anonymous.request.get(base + '/dashboard/');
  check(refused.status() === 401, 'the dashboard opened without credentials');
  check(refused.headers()['www-authenticate'].startsWith('Basic'), 'the dashboard does not ask for Basic alone: ' + refused.headers()['www-authenticate']);
  await anonymous.close();

  const { context, page } = await newPage({ httpCredentials: { username: 'admin', password: token } });
  const response = await page.goto(base + '/dashboard/');
  check(response.status() === 200, 'the dashboard answered ' + response.status());
  await page.waitForFunction(() => document.body && document.body.innerText.trim().length > 0);
  await shot(page, 'dashboard');
  await context.close();
}

try {
  if (suite === 'main') {
    const call = await firstRun();
    await auditor(call);
    await dlpAndXss();
    await sessions();
    await dashboard();
  } else if (suite === 'pathbase') {
    await pathBase();
  } else {
    throw new Error('usage: node journeys.mjs main|pathbase');
  }
  process.stdout.write(`DONE ${suite}\n`);
} catch (e) {
  process.stdout.write(`FAIL ${e.stack || e}\n`);
  process.exitCode = 1;
} finally {
  await browser.close();
  process.stdin.destroy();
}
