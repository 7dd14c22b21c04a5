// Browser test of the studio onboarding (上线进网) flow, at phone and desktop sizes.
//
// Starts its own server on a fresh data dir loaded with the demo data set, drives the Debian
// chromium through playwright-core, runs axe-core on every page it visits and saves full-page
// screenshots into ./screenshots/. Run with `./run.sh` or `npm test` in this folder. The shared
// harness (server, browser, axe, screenshots) is in ./support.mjs.
//
// Env: LIANMENG_BIN (default $CARGO_TARGET_DIR or ~/.cache/lianmeng-target, + /debug/lianmeng),
//      CHROMIUM (default /usr/bin/chromium).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  DESKTOP,
  PASSWORD,
  PHONE,
  SHOTS,
  clickTo,
  headerNav,
  isPhone,
  login,
  logout,
  mainText,
  useHarness,
  withPage,
} from './support.mjs';

// A staff member of 西安市总工会 in server/src/demo/dataset.json (staff, org "xian").
const XIAN_STAFF = 'malijuan';

const h = useHarness();

// ---------------------------------------------------------------------------------------------

function onboardingFlow(prefix, size, user) {
  const base = h.base;
  return withPage(h.browser, size, prefix, async (page, visit) => {
    // Register; land on /me.
    await page.goto(`${base}/register`);
    await visit('01-register');
    await page.getByLabel('用户名', { exact: true }).fill(user.username);
    await page.getByLabel('姓名（显示名）', { exact: true }).fill(user.displayName);
    await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
    await clickTo(page, page.locator('main').getByRole('button', { name: '注册' }), /\/me$/);
    assert.equal(await page.locator('#f-display_name').inputValue(), user.displayName);
    assert.equal(await (await headerNav(page)).getByRole('link', { name: user.displayName }).count(), 1, 'signed in');
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
    await clickTo(page, page.locator('main form').getByRole('button', { name: '创建' }), /\/studios\/\d+\?done=created$/);
    assert.match(await page.locator('main [role="status"]').innerText(), /工作室已登记/, 'a message after the step');
    const studioUrl = page.url().split('?')[0];
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
    assert.equal(await page.locator('#onboarding summary').count(), 0, 'no 上线进网 button while fields are missing');
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
    await clickTo(page, page.locator('main form').getByRole('button', { name: '保存' }), new RegExp(`${studioPath}\\?done=saved$`));
    assert.match(await page.locator('main [role="status"]').innerText(), /资料已保存/);

    // Complete: ready to go online.
    assert.match(await checklist.innerText(), /资料已完整/);
    assert.equal(await checklist.locator('ul.missing').count(), 0);
    await visit('06-studio-ready');
    // 上线进网 asks first: the first tap opens the question, the second goes online.
    await page.locator('#onboarding summary').click();
    await clickTo(page, page.getByRole('button', { name: '确认上线' }), new RegExp(`${studioPath}\\?done=online$`));
    assert.match(await page.locator('main [role="status"]').innerText(), /工作室已上线进网/);
    assert.match(await badges.innerText(), /已上线/);
    assert.doesNotMatch(await badges.innerText(), /未上线/);
    assert.match(await mainText(page), /上线时间/);
    assert.equal(await page.locator('#onboarding').count(), 0, 'the onboarding notice is gone once online');
    await visit('07-studio-online');

    // Sign out; the studio is public now.
    await logout(page);
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
    await clickTo(page, (await headerNav(page)).getByRole('link', { name: 'English' }), new RegExp(`${studioPath}$`));
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.match(await badges.innerText(), /\bOnline\b/);
    assert.doesNotMatch(await badges.innerText(), /Not online/);
    await visit('10-studio-english');
  });
}

function staffDashboard(prefix, size) {
  const base = h.base;
  return withPage(h.browser, size, prefix, async (page, visit) => {
    await login(page, base, XIAN_STAFF, { atForm: () => visit('11-login') });

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
    if (isPhone(size)) {
      await dash.locator('.table-scroll').evaluate((el) => (el.scrollLeft = el.scrollWidth));
      await dash.screenshot({ path: join(SHOTS, `${prefix}-14-org-dashboard-scrolled.png`) });
    }

    // Anonymous readers do not see the dashboard.
    const orgUrl = page.url();
    await logout(page);
    await page.goto(orgUrl);
    assert.equal(await page.locator('#onboarding').count(), 0, 'no dashboard for anonymous readers');
  });
}

test('phone: register, register a studio, complete it, put it online', () =>
  onboardingFlow('phone', PHONE, {
    username: 'zhaoweidong',
    displayName: '赵卫东',
    studio: '赵卫东数控技能大师工作室',
  }));

test('desktop: register, register a studio, complete it, put it online', () =>
  onboardingFlow('desktop', DESKTOP, {
    username: 'sunli.hanjie',
    displayName: '孙丽',
    studio: '孙丽焊接技术创新工作室',
  }));

test('phone: union staff sees the onboarding dashboard with a late org', () => staffDashboard('phone-staff', PHONE));

test('desktop: union staff sees the onboarding dashboard with a late org', () =>
  staffDashboard('desktop-staff', DESKTOP));
