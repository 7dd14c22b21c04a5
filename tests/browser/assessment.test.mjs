// Browser test of assessment (考核, Jieyang art. 9–11) on a phone-sized screen, and the round's
// board on a desktop: in the demo's annual round, a studio's leader sends the self-evaluation the
// platform prefilled from the studio's figures; its unit's union evaluates it and the union
// between reviews it (the platform admin here, as the demo's unit and industry union have no
// staff); the city union records the grade. The board shows where every studio stands, the one
// in rectification included.
//
// Same harness as the other browser tests (./support.mjs): its own server on a fresh demo data
// dir, axe-core on every page visited, screenshots into ./screenshots/ (assessment-NN-*.png).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, PHONE, clickTo, login, logout, mainText, useHarness, withPage } from './support.mjs';

// Demo users (server/src/demo/dataset.json); all have the demo password.
const CITY = 'malijuan'; // staff of 西安市总工会, which named the studios
const LEADER = 'suyulan'; // leads 苏玉兰劳模创新工作室, named by the city
const STUDIO = '苏玉兰劳模创新工作室';

const h = useHarness();

/** Takes a step from the assessment page's step forms. */
async function takeStep(page, label, opinion) {
  const form = page.locator('#steps form').filter({ has: page.getByRole('button', { name: label, exact: true }) });
  if (opinion) await form.locator('textarea').first().fill(opinion);
  await clickTo(page, form.getByRole('button', { name: label, exact: true }), /\/assessment\/\d+\?done=/);
}

test('a named studio is assessed step by step, each by its own union, and the board follows', async () => {
  const base = h.base;
  let assessmentPath;
  let boardPath;
  await withPage(h.browser, PHONE, 'assessment-phone', async (page, visit) => {
    page.on('dialog', (d) => d.accept());
    // 1. The leader finds the round waiting and sends the prefilled self-evaluation.
    await login(page, base, LEADER);
    await page.goto(`${base}/assessment`);
    assert.match(await mainText(page), new RegExp(STUDIO), 'it waits for the leader');
    await visit('01-queue');
    await page.locator('#queue').getByRole('link', { name: STUDIO }).click();
    await page.waitForURL(/\/assessment\/\d+$/);
    assessmentPath = new URL(page.url()).pathname;
    const draft = await page.locator('#f-self').inputValue();
    assert.match(draft, /攻关榜单/, 'prefilled from the figures');
    await page.locator('#f-self').fill(`${draft.replace('下一步工作：', '下一步工作：扩大师带徒覆盖面。')}`);
    await visit('02-self');
    await clickTo(page, page.getByRole('button', { name: '提交自评', exact: true }), /done=self/);
    assert.match(await mainText(page), /自评已提交/);
    await logout(page);

    // 2. The unit's union evaluates, the union between reviews.
    await login(page, base, 'admin');
    await page.goto(`${base}${assessmentPath}`);
    await takeStep(page, '提交单位评价', '情况属实，同意上报。');
    await takeStep(page, '初审通过', '初审通过，报市总工会。');
    await logout(page);

    // 3. The city records the grade.
    await login(page, base, CITY);
    await page.goto(`${base}${assessmentPath}`);
    const decide = page.locator('#steps form').filter({ has: page.getByRole('button', { name: '确定等次', exact: true }) });
    await decide.getByLabel('合格', { exact: true }).check();
    await visit('03-decide');
    await takeStep(page, '确定等次', '制度健全，运行正常，评为合格。');
    assert.match(await mainText(page), /已定等次/);
    await visit('04-graded');
    boardPath = new URL(await page.locator('.crumbs a').nth(1).getAttribute('href'), base).pathname;
  });

  await withPage(h.browser, DESKTOP, 'assessment-desktop', async (page, visit) => {
    await login(page, base, CITY);
    await page.goto(`${base}${boardPath}`);
    const text = await mainText(page);
    assert.match(text, new RegExp(STUDIO));
    assert.match(text, /整改中/, 'the studio in rectification stands out');
    assert.match(text, /潘晓东工匠人才创新工作室/);
    const counts = await page.locator('#counts').innerText();
    assert.match(counts, /3\/12/, 'three of twelve have self-evaluated');
    await visit('01-board');
  });
});
