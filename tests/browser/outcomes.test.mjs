// Browser test of an outcome entered by hand (专利), at phone and desktop size: a studio leader
// opens 发布成果 from the showcase, fills the form with a patent certificate scan attached, sees
// what was done and the certificate on the outcome's page, then finds the outcome in search.
// A unit's staff record an adoption and the leader confirms it.
//
// Same harness as the other browser tests (./support.mjs): its own server on a fresh demo data
// dir, axe-core on every page visited, screenshots into ./screenshots/ (outcomes-*.png).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, PHONE, clickTo, login, logout, mainText, useHarness, withPage } from './support.mjs';

const LEADER = 'wangjianguo'; // leads 王建国劳模创新工作室 (studio 1, 秦川精密机床装备有限公司)
const CITY_STAFF = 'malijuan'; // staff of 西安市总工会, above every Xi'an enterprise

const h = useHarness();

// A 1×1 PNG: a real image, as a phone's scan would be.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

for (const [size, name, mark] of [[PHONE, 'phone', '甲'], [DESKTOP, 'desktop', '乙']]) {
  test(`a leader enters a patent with its certificate and finds it in search (${name})`, async () => {
    await withPage(h.browser, size, `outcomes-${name}`, async (page, visit) => {
      const title = `一种主轴热伸长在线补偿装置${mark}型`;
      await login(page, h.base, LEADER);
      await page.goto(`${h.base}/outcomes`);
      await clickTo(page, page.locator('main a[href="/outcomes/new"]'), /\/outcomes\/new$/);
      await page.locator('#f-title').fill(title);
      await page.locator('#f-kind').selectOption('patent');
      await page.locator('#f-industry').selectOption('machinery');
      await page.locator('#f-patent_no').fill('ZL202410987654.3');
      await page.locator('#f-benefit_yuan').fill('1200000');
      await page.locator('#f-summary').fill('在主轴箱布置温度测点，实时补偿热伸长，精车尺寸波动减少 70%。');
      await page.locator('input[name="transferable"]').check();
      await page.locator('#f-file').setInputFiles({ name: '专利证书.png', mimeType: 'image/png', buffer: PNG });
      await visit('01-form');
      await clickTo(page, page.locator('main form').getByRole('button', { name: '发布成果' }), /\/outcomes\/\d+\?done=created/);
      assert.match(await mainText(page), /成果已登记/);
      assert.equal(await page.locator('main img[alt="专利证书.png"]').count(), 1, 'the certificate is shown');
      await visit('02-entered');
      const url = new URL(page.url());
      const outcome = url.pathname;

      // Search finds it (the index follows within moments).
      let found = false;
      for (let i = 0; i < 40 && !found; i++) {
        await page.goto(`${h.base}/search?q=${encodeURIComponent('热伸长在线补偿')}`);
        found = (await page.locator(`main a[href="${outcome}"]`).count()) > 0;
        if (!found) await page.waitForTimeout(250);
      }
      assert.ok(found, `search finds ${title}`);
      await visit('03-found');
      await logout(page);

      // The city's staff record that an enterprise applied it; the leader confirms.
      await login(page, h.base, CITY_STAFF);
      await page.goto(`${h.base}${outcome}`);
      await page.locator('#f-org_id').selectOption({ label: '草堂数控装备有限公司' });
      await page.locator('#f-place').fill('二车间');
      await clickTo(page, page.locator('#adoptions form').getByRole('button', { name: '登记推广应用' }), /done=adopted/);
      assert.match(await mainText(page), /等待工作室确认/);
      await visit('04-adopted');
      await logout(page);
      await login(page, h.base, LEADER);
      await page.goto(`${h.base}${outcome}`);
      await clickTo(page, page.locator('#adoptions').getByRole('button', { name: '确认' }), /done=confirmed/);
      assert.match(await mainText(page), /已确认这条推广应用/);
      await visit('05-confirmed');
    });
  });
}
