// Browser test of funds (经费, Jieyang art. 12–13) on a phone-sized screen and on a desktop: in
// the demo, the city union granted 袁小军's studio 30,000 yuan. Its leader finds the grant from
// the menu, tries a forbidden category (meals) and is told the rule, then files an equipment
// expense with a PDF receipt; the city union's staff find it on their workbench, open the ledger,
// return it with a reason and approve the one that was waiting; the balance follows each step.
//
// Same harness as the other browser tests (./support.mjs): its own server on a fresh demo data
// dir, axe-core on every page visited, screenshots into ./screenshots/ (funds-NN-*.png).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, PHONE, clickTo, headerNav, login, logout, mainText, useHarness, withPage } from './support.mjs';

const CITY = 'malijuan'; // staff of 西安市总工会, which granted the funds
const LEADER = 'yuanxiaojun'; // leads 袁小军劳模和工匠人才创新工作室
const STUDIO = '袁小军劳模和工匠人才创新工作室';

const h = useHarness();

/** Yesterday in China, as the date input wants it. */
function yesterday() {
  const d = new Date(Date.now() + 8 * 3600_000 - 86_400_000);
  return d.toISOString().slice(0, 10);
}

test('a leader files an expense with a receipt and the granting union returns and approves', async () => {
  const base = h.base;
  let grantPath;
  await withPage(h.browser, PHONE, 'funds-phone', async (page, visit) => {
    page.on('dialog', (d) => d.accept());
    // 1. The leader opens the grant from the menu.
    await login(page, base, LEADER);
    await clickTo(page, (await headerNav(page)).getByRole('link', { name: '经费' }), /\/funds$/);
    await visit('01-grants');
    await clickTo(page, page.locator('#grants').getByRole('link', { name: STUDIO }), /\/funds\/\d+$/);
    grantPath = new URL(page.url()).pathname;
    assert.match(await mainText(page), /可用结余 ¥11,100\.00/);

    // 2. Meals are refused with the rule (Jieyang art. 13), in one language.
    const form = page.locator('#file form');
    await form.getByLabel('其他', { exact: true }).check();
    await page.evaluate(() => {
      // The form offers only allowed categories; a crafted post is answered with the rule.
      document.querySelector('#file input[value=other]').value = 'meals';
    });
    await form.getByLabel('金额（元）').fill('800');
    await form.getByLabel('支出日期').fill(yesterday());
    await clickTo(page, form.getByRole('button', { name: '提交报销' }), /\/expenses$/);
    const refused = await mainText(page);
    assert.match(refused, /第十三条/);
    assert.doesNotMatch(refused, /Jieyang|category：/);
    await visit('02-refused');

    // 3. An equipment expense with its receipt.
    const again = page.locator('#file form');
    await again.getByLabel('设备购置', { exact: true }).check();
    await again.getByLabel('金额（元）').fill('1,280.50');
    await again.getByLabel('支出日期').fill(yesterday());
    await again.getByLabel('说明').fill('数控车床夹具一套');
    await again.locator('#f-file').setInputFiles({ name: '夹具发票.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
    await clickTo(page, again.getByRole('button', { name: '提交报销' }), /done=filed/);
    const filed = await mainText(page);
    assert.match(filed, /支出已提交/);
    assert.match(filed, /夹具发票\.pdf/);
    assert.match(filed, /可用结余 ¥9,819\.50/);
    await visit('03-filed');
    await logout(page);

    // 4. The city union's staff find it on the workbench and return it with a reason.
    await login(page, base, CITY);
    await page.goto(`${base}/workbench`);
    assert.match(await mainText(page), /经费支出待审核/);
    await clickTo(page, page.locator('#waiting a', { hasText: STUDIO }).first(), /\/funds\/\d+/);
    const line = page.locator('.ledger li', { hasText: '数控车床夹具一套' });
    await line.getByPlaceholder('退回原因（必填）').fill('请补充验收单');
    await visit('04-ledger');
    await clickTo(page, line.getByRole('button', { name: '退回' }), /done=return/);
    assert.match(await mainText(page), /已退回，金额已回到可用结余/);
    const pending = page.locator('.ledger li', { hasText: '展板' });
    await clickTo(page, pending.getByRole('button', { name: '核准' }), /done=approve/);
    const after = await mainText(page);
    assert.match(after, /已核准，支出已记入台账/);
    assert.match(after, /可用结余 ¥11,100\.00/, 'the returned amount came back; the approved one stays spent');
    await visit('05-decided');
  });

  await withPage(h.browser, DESKTOP, 'funds-desktop', async (page, visit) => {
    await login(page, base, CITY);
    await page.goto(`${base}${grantPath}`);
    const text = await mainText(page);
    assert.match(text, /已核准支出 ¥18,900\.00/);
    assert.match(text, /请补充验收单/);
    await visit('01-ledger');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: '导出台账（Excel）' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), '经费台账.xlsx');
  });
});
