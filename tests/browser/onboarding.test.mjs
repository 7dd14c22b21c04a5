// Browser test of the studio onboarding (上线进网) flow, at phone and desktop sizes.
//
// Starts its own server on a fresh data dir loaded with the demo data set, drives the Debian
// chromium through playwright-core, runs axe-core on every page it visits and saves full-page
// screenshots into ./screenshots/. Run with `./run.sh` or `npm test` in this folder.
//
// Env: LIANMENG_BIN (default $CARGO_TARGET_DIR or ~/.cache/lianmeng-target, + /debug/lianmeng),
//      CHROMIUM (default /usr/bin/chromium).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtemp, mkdir, readFile, rm } from 'node:fs/promises';
import { tmpdir, homedir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const SHOTS = join(here, 'screenshots');
const BIN =
  process.env.LIANMENG_BIN ||
  join(process.env.CARGO_TARGET_DIR || join(homedir(), '.cache', 'lianmeng-target'), 'debug', 'lianmeng');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const PASSWORD = 'lianmeng2026'; // every demo user's password; also used for the new accounts
// A staff member of 西安市总工会 in server/src/demo/dataset.rs (STAFF, org "xian").
const XIAN_STAFF = 'malijuan';

const PHONE = { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const DESKTOP = { viewport: { width: 1280, height: 900 } };

let dataDir;
let server;
let serverExit;
let serverLog = [];
let base;
let browser;
let axeSource;

/** The server's environment without settings that would point it elsewhere. */
function childEnv() {
  const env = { ...process.env, NO_COLOR: '1' };
  for (const k of Object.keys(env)) {
    if (k.startsWith('LIANMENG_') || k === 'DATABASE_URL' || k === 'REDIS_URL') delete env[k];
  }
  return env;
}

/** Runs `lianmeng ARGS` to completion; resolves with its stdout. */
function run(args) {
  return new Promise((resolve, reject) => {
    const p = spawn(BIN, args, { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`lianmeng ${args.join(' ')} exited ${code}\n${out}${err}`)),
    );
  });
}

/** Starts `lianmeng serve` and resolves with the address from its `listening on` line. */
function serve() {
  return new Promise((resolve, reject) => {
    server = spawn(BIN, ['--data-dir', dataDir, 'serve', '--listen', '127.0.0.1:0'], {
      env: childEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    serverExit = new Promise((res) => server.on('exit', (code, signal) => res({ code, signal })));
    const keep = (line) => {
      serverLog.push(line);
      if (serverLog.length > 200) serverLog.shift();
    };
    createInterface({ input: server.stderr }).on('line', keep);
    createInterface({ input: server.stdout }).on('line', (line) => {
      keep(line);
      const m = /listening on (http:\/\/\S+)/.exec(line);
      if (m) resolve(m[1].replace(/\/$/, ''));
    });
    server.on('error', reject);
    serverExit.then(({ code, signal }) =>
      reject(new Error(`server exited early (${code ?? signal})\n${serverLog.join('\n')}`)),
    );
  });
}

before(async () => {
  await mkdir(SHOTS, { recursive: true });
  axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  dataDir = await mkdtemp(join(tmpdir(), 'lianmeng-browser-'));
  const demo = await run(['--data-dir', dataDir, 'demo']);
  console.log(demo.trim());
  assert.match(demo, /demo data loaded/);
  base = await serve();
  console.log(`server at ${base}`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

after(async () => {
  await browser?.close();
  if (server && server.exitCode === null && server.signalCode === null) {
    server.kill('SIGTERM');
    const { code, signal } = await serverExit;
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    assert.equal(code, 0, `server should exit 0 on SIGTERM, got ${code ?? signal}\n${serverLog.slice(-20).join('\n')}`);
  } else if (dataDir) {
    await rm(dataDir, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------------------------------------

/** A browser context whose pages the axe script may be injected into despite the CSP. */
async function newContext(size) {
  const context = await browser.newContext({ ...size, locale: 'zh-CN', bypassCSP: true });
  context.setDefaultTimeout(10_000);
  return context;
}

/** Serious and critical axe violations found so far, per flow. */
function auditor(prefix) {
  const found = [];
  return {
    found,
    /** Runs axe-core on the page as it is now; records and prints what it finds. */
    async check(page, step) {
      await page.addScriptTag({ content: axeSource });
      const violations = await page.evaluate(async () => {
        // eslint-disable-next-line no-undef
        const r = await axe.run(document, { resultTypes: ['violations'] });
        return r.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
        }));
      });
      const where = `${prefix}-${step} ${new URL(page.url()).pathname}`;
      for (const v of violations) {
        const line = `axe ${v.impact} ${v.id} on ${where}: ${v.help}\n` +
          v.nodes.map((n) => `    ${n.target}\n      ${(n.summary || '').replace(/\n/g, '\n      ')}`).join('\n');
        console.log(line);
        if (v.impact === 'serious' || v.impact === 'critical') found.push(`${where}: ${v.impact} ${v.id} (${v.nodes.map((n) => n.target).join(', ')})`);
      }
    },
  };
}

async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/**
 * Clicks and waits until the main frame has navigated to a new document at a URL matching `url`
 * (a RegExp or a predicate on URL) and loaded it. Unlike waitForURL this also works when the
 * click leads back to the same address (a form post that redirects to the page it came from).
 */
async function clickTo(page, locator, url) {
  const matches = (href) => (url instanceof RegExp ? url.test(href) : url(new URL(href)));
  const navigated = page.waitForEvent('framenavigated', {
    predicate: (frame) => frame === page.mainFrame() && matches(frame.url()),
  });
  await locator.click();
  await navigated;
  await page.waitForLoadState('load');
}

const home = (u) => u.pathname === '/';

async function mainText(page) {
  return (await page.locator('main').innerText()).replace(/\s+/g, ' ');
}

/** No element sticks out sideways: a phone page must not scroll horizontally. */
async function assertNoSidewaysScroll(page, where) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= client, `${where}: page is ${scroll}px wide in a ${client}px viewport`);
}

// ---------------------------------------------------------------------------------------------

async function onboardingFlow(t, prefix, size, user) {
  const context = await newContext(size);
  const page = await context.newPage();
  const axe = auditor(prefix);
  const visit = async (step) => {
    await shot(page, `${prefix}-${step}`);
    await axe.check(page, step);
    if (prefix.startsWith('phone')) await assertNoSidewaysScroll(page, `${prefix}-${step}`);
  };
  try {
    // Register; land on /me.
    await page.goto(`${base}/register`);
    await visit('01-register');
    await page.getByLabel('用户名', { exact: true }).fill(user.username);
    await page.getByLabel('姓名（显示名）', { exact: true }).fill(user.displayName);
    await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
    await clickTo(page, page.locator('main').getByRole('button', { name: '注册' }), /\/me$/);
    assert.equal(await page.locator('#f-display_name').inputValue(), user.displayName);
    assert.equal(await page.locator('header.top').getByRole('link', { name: user.displayName }).count(), 1, 'signed in');
    await visit('02-me');

    // Register a studio.
    await page.goto(`${base}/studios/new`);
    await visit('03-studio-new');
    await page.locator('#f-name').fill(user.studio);
    const org = page.locator('#f-org_id');
    const firstOrg = await org.locator('option:not([value=""])').first().getAttribute('value');
    assert.ok(firstOrg, 'the 依托单位 select offers at least one enterprise');
    await org.selectOption(firstOrg);
    await page.locator('#f-kind').selectOption('tech_tackling');
    await clickTo(page, page.locator('main form').getByRole('button', { name: '创建' }), /\/studios\/\d+$/);
    const studioUrl = page.url();
    const studioPath = new URL(studioUrl).pathname;

    // A draft: 未上线 and a checklist naming what is missing.
    const badges = page.locator('.studio-head .badges');
    assert.match(await badges.innerText(), /未上线/);
    const checklist = page.locator('#onboarding');
    assert.match(await checklist.innerText(), /上线前还需填写/);
    const missing = await checklist.locator('ul.missing li').allInnerTexts();
    for (const label of ['专业领域', '所属行业', '所在地区', '创建目标', '工作室简介']) {
      assert.ok(missing.some((m) => m.includes(label)), `checklist names ${label}; it lists ${missing.join('、')}`);
    }
    assert.equal(await page.getByRole('button', { name: '上线进网' }).count(), 0, 'no 上线进网 button while fields are missing');
    await visit('04-studio-draft');

    // Fill in the application form.
    await clickTo(page, checklist.getByRole('link', { name: '编辑申报信息' }), /\/studios\/\d+\/edit$/);
    await visit('05-studio-edit');
    await page.locator('#f-field').fill('数控加工与智能制造');
    await page.locator('#f-industry').selectOption('machinery');
    await page.locator('#f-region').fill('西安市');
    await page.locator('#f-goals').fill('三年内攻克数控加工关键技术难题 10 项，培养高技能人才 30 名。');
    await page.locator('#f-intro').fill('工作室依托企业数控加工车间，围绕复杂零件精密加工开展技术攻关、技能培训和成果推广。');
    await page.locator('#f-real_name').fill(user.displayName);
    await page.locator('#f-phone').fill('13800001234');
    await clickTo(page, page.locator('main form').getByRole('button', { name: '保存' }), new RegExp(`${studioPath}$`));

    // Complete: ready to go online.
    assert.match(await checklist.innerText(), /资料已完整/);
    assert.equal(await checklist.locator('ul.missing').count(), 0);
    await visit('06-studio-ready');
    await clickTo(page, page.getByRole('button', { name: '上线进网' }), new RegExp(`${studioPath}$`));
    assert.match(await badges.innerText(), /已上线/);
    assert.doesNotMatch(await badges.innerText(), /未上线/);
    assert.match(await mainText(page), /上线时间/);
    assert.equal(await page.locator('#onboarding').count(), 0, 'the onboarding notice is gone once online');
    await visit('07-studio-online');

    // Sign out; the studio is public now.
    await clickTo(page, page.locator('header.top').getByRole('button', { name: '退出' }), home);
    assert.equal(await page.locator('header.top').getByRole('link', { name: '登录' }).count(), 1, 'signed out');
    await page.goto(studioUrl);
    assert.equal(await page.locator('.studio-head h1').innerText(), user.studio);
    assert.match(await badges.innerText(), /已上线/);
    assert.equal(await page.getByRole('link', { name: '编辑申报信息' }).count(), 0, 'anonymous readers cannot edit');
    await visit('08-studio-anonymous');

    // Listed among the online studios (following the pager if need be).
    await page.goto(`${base}/studios?online=true`);
    await visit('09-directory-online');
    let listed = false;
    for (let pageNo = 0; pageNo < 20; pageNo++) {
      if ((await page.locator(`.studio-card a[href="${studioPath}"]`).count()) > 0) {
        listed = true;
        break;
      }
      const next = page.locator('.pager a');
      if ((await next.count()) === 0) break;
      await clickTo(page, next, /cursor=/);
    }
    assert.ok(listed, `${user.studio} is listed at /studios?online=true`);
    const card = page.locator('.studio-card').filter({ has: page.locator(`a[href="${studioPath}"]`) });
    assert.match(await card.innerText(), /已上线/);

    // The English switch.
    await page.goto(studioUrl);
    await clickTo(page, page.locator('header.top').getByRole('link', { name: 'English' }), new RegExp(`${studioPath}$`));
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.match(await badges.innerText(), /\bOnline\b/);
    assert.doesNotMatch(await badges.innerText(), /Not online/);
    await visit('10-studio-english');

    assert.deepEqual(axe.found, [], `serious or critical axe violations:\n${axe.found.join('\n')}`);
  } catch (e) {
    await shot(page, `${prefix}-failure`).catch(() => {});
    throw e;
  } finally {
    await context.close();
  }
}

async function staffDashboard(t, prefix, size) {
  const context = await newContext(size);
  const page = await context.newPage();
  const axe = auditor(prefix);
  const visit = async (step) => {
    await shot(page, `${prefix}-${step}`);
    await axe.check(page, step);
    if (prefix.startsWith('phone')) await assertNoSidewaysScroll(page, `${prefix}-${step}`);
  };
  try {
    await page.goto(`${base}/login`);
    await visit('11-login');
    await page.getByLabel('用户名', { exact: true }).fill(XIAN_STAFF);
    await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
    await clickTo(page, page.locator('main form').getByRole('button', { name: '登录' }), (u) => !u.pathname.startsWith('/login'));
    assert.equal(await page.locator('header.top').getByRole('button', { name: '退出' }).count(), 1, 'signed in');

    // Find 西安市总工会 by following links from the union tree.
    await page.goto(`${base}/orgs`);
    await visit('12-orgs');
    await clickTo(page, page.locator('main').getByRole('link', { name: '陕西省总工会', exact: true }).first(), /\/orgs\/\d+$/);
    await clickTo(page, page.locator('main').getByRole('link', { name: '西安市总工会', exact: true }).first(), /\/orgs\/\d+$/);
    assert.match(await page.locator('main h1').innerText(), /西安市总工会/);

    const dash = page.locator('#onboarding');
    assert.equal(await dash.count(), 1, 'the 上线进网进度 dashboard is shown to the staff');
    assert.match(await dash.locator('h2').innerText(), /上线进网进度/);
    const rows = dash.locator('table.progress tbody tr');
    assert.ok((await rows.count()) > 0, 'the dashboard has rows');
    const late = dash.locator('table.progress tbody tr.late');
    assert.ok((await late.count()) >= 1, 'at least one org is late');
    assert.match(await late.first().innerText(), /逾期/);
    await visit('13-org-dashboard');
    // On a phone the wide table scrolls inside its own box; bring the status column into view too.
    if (prefix.startsWith('phone')) {
      await dash.locator('.table-scroll').evaluate((el) => (el.scrollLeft = el.scrollWidth));
      await dash.screenshot({ path: join(SHOTS, `${prefix}-14-org-dashboard-scrolled.png`) });
    }

    // Anonymous readers do not see the dashboard.
    const orgUrl = page.url();
    await clickTo(page, page.locator('header.top').getByRole('button', { name: '退出' }), home);
    await page.goto(orgUrl);
    assert.equal(await page.locator('#onboarding').count(), 0, 'no dashboard for anonymous readers');

    assert.deepEqual(axe.found, [], `serious or critical axe violations:\n${axe.found.join('\n')}`);
  } catch (e) {
    await shot(page, `${prefix}-failure`).catch(() => {});
    throw e;
  } finally {
    await context.close();
  }
}

test('phone: register, register a studio, complete it, put it online', (t) =>
  onboardingFlow(t, 'phone', PHONE, {
    username: 'zhaoweidong',
    displayName: '赵卫东',
    studio: '赵卫东数控技能大师工作室',
  }));

test('desktop: register, register a studio, complete it, put it online', (t) =>
  onboardingFlow(t, 'desktop', DESKTOP, {
    username: 'sunli.hanjie',
    displayName: '孙丽',
    studio: '孙丽焊接技术创新工作室',
  }));

test('phone: union staff sees the onboarding dashboard with a late org', (t) => staffDashboard(t, 'phone-staff', PHONE));

test('desktop: union staff sees the onboarding dashboard with a late org', (t) =>
  staffDashboard(t, 'desktop-staff', DESKTOP));
