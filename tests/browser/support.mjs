// Shared harness of the browser tests: the server (fresh data dir + `lianmeng demo`, then
// `lianmeng serve` on a free port, SIGTERM at the end), the Debian chromium through
// playwright-core, axe-core checks, screenshots into ./screenshots/ and small page helpers.
//
// Env: LIANMENG_BIN (default $CARGO_TARGET_DIR or ~/.cache/lianmeng-target, + /debug/lianmeng),
//      CHROMIUM (default /usr/bin/chromium).

import { before, after } from 'node:test';
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

export const SHOTS = join(here, 'screenshots');
export const BIN =
  process.env.LIANMENG_BIN ||
  join(process.env.CARGO_TARGET_DIR || join(homedir(), '.cache', 'lianmeng-target'), 'debug', 'lianmeng');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
/** Every demo user's password; the tests also use it for the accounts they create. */
export const PASSWORD = 'lianmeng2026';

export const PHONE = { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
export const DESKTOP = { viewport: { width: 1280, height: 900 } };

/** True for the phone-sized contexts, which must not scroll sideways. */
export const isPhone = (size) => size.viewport.width <= 480;

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

/**
 * Starts `lianmeng serve` on dataDir. Resolves with { base, stop } once the `listening on` line
 * names the address; stop() sends SIGTERM and resolves with how the server exited.
 */
function serve(dataDir) {
  const log = [];
  const keep = (line) => {
    log.push(line);
    if (log.length > 200) log.shift();
  };
  return new Promise((resolve, reject) => {
    const server = spawn(BIN, ['--data-dir', dataDir, 'serve', '--listen', '127.0.0.1:0'], {
      env: childEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise((res) => server.on('exit', (code, signal) => res({ code, signal })));
    const running = () => server.exitCode === null && server.signalCode === null;
    const stop = async () => {
      if (running()) server.kill('SIGTERM');
      return exited;
    };
    createInterface({ input: server.stderr }).on('line', keep);
    createInterface({ input: server.stdout }).on('line', (line) => {
      keep(line);
      const m = /listening on (http:\/\/\S+)/.exec(line);
      if (m) resolve({ base: m[1].replace(/\/$/, ''), stop, running, log });
    });
    server.on('error', reject);
    exited.then(({ code, signal }) => reject(new Error(`server exited early (${code ?? signal})\n${log.join('\n')}`)));
  });
}

function launchBrowser() {
  return chromium.launch({
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
}

let axeSource;

/**
 * Registers before/after hooks in the calling test file: a fresh data dir with the demo data set,
 * the server and the browser. Returns an object whose `base` (the server's address) and
 * `browser` are set once the before hook has run.
 */
export function useHarness() {
  const h = { base: undefined, browser: undefined };
  let dataDir;
  let server;
  before(async () => {
    await mkdir(SHOTS, { recursive: true });
    axeSource ??= await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
    dataDir = await mkdtemp(join(tmpdir(), 'lianmeng-browser-'));
    const demo = await run(['--data-dir', dataDir, 'demo']);
    console.log(demo.trim());
    assert.match(demo, /demo data loaded/);
    server = await serve(dataDir);
    h.base = server.base;
    console.log(`server at ${h.base}`);
    h.browser = await launchBrowser();
  });
  after(async () => {
    await h.browser?.close();
    if (server?.running()) {
      const { code, signal } = await server.stop();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
      assert.equal(code, 0, `server should exit 0 on SIGTERM, got ${code ?? signal}\n${server.log.slice(-20).join('\n')}`);
    } else if (dataDir) {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
  return h;
}

/** A browser context whose pages the axe script may be injected into despite the CSP. */
export async function newContext(browser, size) {
  const context = await browser.newContext({ ...size, locale: 'zh-CN', bypassCSP: true });
  context.setDefaultTimeout(10_000);
  return context;
}

/** Collects serious and critical axe violations of one flow; prints every finding. */
export function auditor(prefix) {
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
        const line =
          `axe ${v.impact} ${v.id} on ${where}: ${v.help}\n` +
          v.nodes.map((n) => `    ${n.target}\n      ${(n.summary || '').replace(/\n/g, '\n      ')}`).join('\n');
        console.log(line);
        if (v.impact === 'serious' || v.impact === 'critical') {
          found.push(`${where}: ${v.impact} ${v.id} (${v.nodes.map((n) => n.target).join(', ')})`);
        }
      }
    },
    /** Fails if any serious or critical violation was found. */
    assertClean() {
      assert.deepEqual(found, [], `serious or critical axe violations:\n${found.join('\n')}`);
    },
  };
}

/** A full-page screenshot into ./screenshots/NAME.png. */
export async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** No element sticks out sideways: a phone page must not scroll horizontally. */
export async function assertNoSidewaysScroll(page, where) {
  const { scroll, client, wide } = await page.evaluate(() => {
    const client = document.documentElement.clientWidth;
    // Name the widest culprits to make a failure easy to act on.
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > client + 0.5)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className ? '.' + String(el.className).trim().replace(/\s+/g, '.') : ''} right=${Math.round(el.getBoundingClientRect().right)}`);
    return { scroll: document.documentElement.scrollWidth, client, wide };
  });
  assert.ok(scroll <= client, `${where}: page is ${scroll}px wide in a ${client}px viewport; sticking out: ${wide.join('; ')}`);
}

/**
 * Opens a context and page of the given size and runs `body(page, visit)`, where `await
 * visit(step)` takes the screenshot PREFIX-STEP.png, runs axe-core and, at phone size, checks
 * for sideways scrolling. Takes PREFIX-failure.png if the body throws; fails on serious or
 * critical axe violations at the end.
 */
export async function withPage(browser, size, prefix, body) {
  const context = await newContext(browser, size);
  const page = await context.newPage();
  const axe = auditor(prefix);
  const visit = async (step) => {
    await shot(page, `${prefix}-${step}`);
    await axe.check(page, step);
    if (isPhone(size)) await assertNoSidewaysScroll(page, `${prefix}-${step}`);
  };
  try {
    await body(page, visit);
    axe.assertClean();
  } catch (e) {
    await shot(page, `${prefix}-failure`).catch(() => {});
    throw e;
  } finally {
    await context.close();
  }
}

/**
 * Clicks and waits until the main frame has navigated to a new document at a URL matching `url`
 * (a RegExp or a predicate on URL) and loaded it. Unlike waitForURL this also works when the
 * click leads back to the same address (a form post that redirects to the page it came from).
 */
export async function clickTo(page, locator, url) {
  const matches = (href) => (url instanceof RegExp ? url.test(href) : url(new URL(href)));
  const navigated = page.waitForEvent('framenavigated', {
    predicate: (frame) => frame === page.mainFrame() && matches(frame.url()),
  });
  await locator.click();
  await navigated;
  await page.waitForLoadState('load');
}

export const home = (u) => u.pathname === '/';

/** The text of <main>, whitespace collapsed. */
export async function mainText(page) {
  return (await page.locator('main').innerText()).replace(/\s+/g, ' ');
}

/** The header of every page. */
export const header = (page) => page.locator('header.top');

/**
 * The header with its sections in view: on a phone they fold into the 菜单 menu (details and
 * summary, no script), which this opens first.
 */
export async function headerNav(page) {
  const menu = header(page).locator('details.menu');
  if ((await menu.isVisible()) && (await menu.getAttribute('open')) === null) {
    await menu.locator('summary').click();
  }
  // On a desktop the less-used sections, the language and 退出 fold under 更多.
  const more = header(page).locator('.wide-nav details.more');
  if ((await more.isVisible()) && (await more.getAttribute('open')) === null) {
    await more.locator('summary').click();
  }
  return header(page);
}

/**
 * Signs in through /login (from wherever the page is) and waits to leave /login. `atForm`, if
 * given, is awaited on the login page before the form is filled (to take a screenshot, say).
 */
export async function login(page, base, username, { password = PASSWORD, atForm } = {}) {
  await page.goto(`${base}/login`);
  if (atForm) await atForm();
  await page.locator('#f-username').fill(username);
  await page.locator('#f-password').fill(password);
  await clickTo(page, page.locator('main form').getByRole('button', { name: '登录' }), (u) => !u.pathname.startsWith('/login'));
  assert.equal(await (await headerNav(page)).getByRole('button', { name: '退出' }).count(), 1, `signed in as ${username}`);
}

/** Signs out with the header's 退出 button; lands on the home page. */
export async function logout(page) {
  await clickTo(page, (await headerNav(page)).getByRole('button', { name: '退出' }), home);
  assert.equal(await (await headerNav(page)).getByRole('link', { name: '登录' }).count(), 1, 'signed out');
}
