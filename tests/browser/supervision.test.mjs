// Browser test of the supervision page (督导) and of honours (荣誉推荐) at phone and desktop
// size: the city union's staff open the supervision page from the workbench, read the charts
// and the folded tables, pick another year; then recommend a studio's member for an honour and
// record the award.
//
// Same harness as the other browser tests (./support.mjs): its own server on a fresh demo data
// dir, axe-core on every page visited, screenshots into ./screenshots/ (supervision-NN-*.png).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, PHONE, clickTo, login, mainText, useHarness, withPage } from './support.mjs';

const CITY = 'malijuan'; // staff of 西安市总工会

const h = useHarness();

for (const [size, name] of [[PHONE, 'phone'], [DESKTOP, 'desktop']]) {
  test(`staff read the year's figures of each union below as charts and tables (${name})`, async () => {
    await withPage(h.browser, size, `supervision-${name}`, async (page, visit) => {
      await login(page, h.base, CITY);
      await page.goto(`${h.base}/workbench`);
      await clickTo(page, page.locator('#unions').getByRole('link', { name: '督导' }).first(), /\/orgs\/\d+\/supervision$/);
      const text = await mainText(page);
      assert.match(text, /督导/);
      assert.match(text, /上线进网率/);
      assert.match(text, /雁塔区总工会/);
      assert.doesNotMatch(text, /Supervision|Onboarding/, 'one language');
      const charts = page.locator('svg.chart');
      assert.ok((await charts.count()) >= 9, 'a chart per figure');
      // Each chart fits its card, whatever the screen.
      const box = await charts.first().boundingBox();
      const card = await page.locator('section.figure').first().boundingBox();
      assert.ok(box.width <= card.width, `the chart (${box.width}px) fits its card (${card.width}px)`);
      assert.match(await charts.first().getAttribute('aria-label'), /上线进网率/);
      await visit('01-page');

      // The table behind a chart unfolds; the total row ends it.
      const funds = page.locator('#funds');
      await funds.locator('summary').click();
      const table = await funds.locator('table').innerText();
      assert.match(table, /合计/);
      assert.match(table, /拨付/);
      await visit('02-table');

      // Another year: this year's grants are not in it.
      const last = String(new Date().getFullYear() - 1);
      await page.locator('#f-year').selectOption(last);
      await clickTo(page, page.getByRole('button', { name: '查看' }), /year=/);
      assert.match(await page.locator('h1').innerText(), new RegExp(last));
      await visit('03-last-year');
    });
  });
}

test('staff recommend a member for an honour and record the award, without a dialog lost', async () => {
  await withPage(h.browser, PHONE, 'honours-phone', async (page, visit) => {
    page.on('dialog', (d) => d.accept());
    await login(page, h.base, CITY);
    await page.goto(`${h.base}/honours`);
    await visit('01-page');
    const studio = await page.locator('#f-pick-studio option', { hasText: '王建国劳模创新工作室' }).first().getAttribute('value');
    await page.locator('#f-pick-studio').selectOption(studio);
    await clickTo(page, page.getByRole('button', { name: '选择' }), /studio_id=/);
    // A member of the chosen studio, for a medal at city level.
    const member = page.locator('#f-subject label').filter({ hasText: '成员' }).first();
    await member.locator('input').check();
    await page.locator('#f-honour').selectOption('may_day_medal');
    await page.locator('#f-year').fill(String(new Date().getFullYear() + 1));
    await page.locator('#f-reason').fill('主持数控车床主轴振动攻关，提出的操作法在三家单位推广');
    await visit('02-filled');
    await clickTo(page, page.getByRole('button', { name: '推荐', exact: true }), /done=recommended/);
    assert.match(await mainText(page), /已推荐，已通知本人或工作室领衔人/);
    await visit('03-recommended');

    const item = page.locator('ul.grants li').filter({ hasText: '主持数控车床主轴振动攻关' });
    await item.locator('input[name=note]').fill('西工发〔2027〕3号');
    await clickTo(page, item.getByRole('button', { name: '已获评' }), /done=awarded/);
    assert.match(await mainText(page), /已记录：获评/);
    await visit('04-awarded');
  });
});
