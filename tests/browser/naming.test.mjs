// Browser test of naming (命名, Jieyang art. 6) on a phone-sized screen, and the public notice
// on a desktop: the city union opens a batch; an expert joins its pool on the union's page; a
// studio leader applies and submits; the unit recommends (the platform admin, as the demo
// enterprise has no union staff), the district reviews, the city approves and seats the
// expert, who scores; the city records the decision, opens the notice and names the studio.
//
// Same harness as the other browser tests (./support.mjs): its own server on a fresh demo data
// dir, axe-core on every page visited, screenshots into ./screenshots/ (naming-NN-*.png).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, PHONE, clickTo, login, logout, mainText, useHarness, withPage } from './support.mjs';

// Demo users (server/src/demo/dataset.json); all have the demo password.
const CITY = 'malijuan'; // staff of 西安市总工会
const DISTRICT = 'huangxiaoting'; // staff of 雁塔区总工会
const EXPERT = 'shaojianhua'; // made an expert of the city here
const LEADER = 'chenlixin'; // leads 陈立新劳模创新工作室 (秦电输变电工程有限公司, 雁塔区)
const STUDIO = '陈立新劳模创新工作室';

const h = useHarness();

/** A day as `YYYY-MM-DD`, China time, `days` from today. */
function chinaDay(days) {
  return new Date(Date.now() + days * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Takes a step from the application page's step forms. */
async function takeStep(page, label, opinion) {
  const form = page.locator('#steps form').filter({ has: page.getByRole('button', { name: label, exact: true }) });
  if (opinion) await form.locator('textarea').fill(opinion);
  await clickTo(page, form.getByRole('button', { name: label, exact: true }), /\/naming\/applications\/\d+\?done=/);
}

test('a studio is named after every step of the way up, each by its own union', async () => {
  const base = h.base;
  let batchPath;
  let applicationPath;
  await withPage(h.browser, PHONE, 'naming-phone', async (page, visit) => {
    page.on('dialog', (d) => d.accept());
    // 1. The city union opens a batch.
    await login(page, base, CITY);
    await page.goto(`${base}/naming`);
    await page.locator('#f-org_id').selectOption({ label: '西安市总工会' });
    await page.locator('#f-year').fill('2026');
    await page.locator('#f-quota').fill('8');
    await page.locator('#f-opens_on').fill(chinaDay(-1));
    await page.locator('#f-closes_on').fill(chinaDay(30));
    await page.locator('#f-notice_days').fill('0');
    await visit('01-open-batch');
    await clickTo(page, page.locator('#open').getByRole('button', { name: '发布命名批次' }), /\/naming\/batches\/\d+\?done=open/);
    batchPath = new URL(page.url()).pathname;
    assert.match(await mainText(page), /命名批次已发布/);
    assert.match(await mainText(page), /有稳定的工作团队/);
    await visit('02-batch');

    // 2. The city's expert pool gets an expert, with a field, on the union's page.
    const roots = await (await page.request.get(`${base}/api/v1/orgs`)).json();
    const shaanxi = roots.items.find((o) => o.name === '陕西省总工会');
    const province = await (await page.request.get(`${base}/api/v1/orgs/${shaanxi.id}`)).json();
    const xian = province.children.find((o) => o.name === '西安市总工会');
    await page.goto(`${base}/orgs/${xian.id}`);
    await page.locator('#f-staff').fill(EXPERT);
    await page.locator('#f-staff-role').selectOption('expert');
    await page.locator('#f-staff-field').fill('电力');
    await clickTo(page, page.locator('main form').filter({ has: page.locator('#f-staff') }).getByRole('button', { name: '添加' }), (u) => u.pathname === `/orgs/${xian.id}`);
    await logout(page);

    // 3. The leader applies and submits; the form is frozen with the platform's figures.
    await login(page, base, LEADER);
    await page.goto(`${base}${batchPath}`);
    await page.locator('#f-applicant').selectOption({ label: STUDIO });
    await clickTo(page, page.locator('#apply').getByRole('button', { name: '申报命名' }), /\/naming\/applications\/\d+\?done=apply/);
    applicationPath = new URL(page.url()).pathname;
    await visit('03-draft');
    const submit = page.locator('#steps form').filter({ has: page.getByRole('button', { name: '提交申报', exact: true }) });
    for (const box of await submit.locator('input[name="confirmed"]').all()) await box.check();
    await takeStep(page, '提交申报');
    assert.match(await mainText(page), /待单位推荐/);
    assert.match(await mainText(page), /申请表/);
    await visit('04-submitted');
    await logout(page);

    // 4. Up the tree: the unit (admin here), the district, the city.
    await login(page, base, 'admin');
    await page.goto(`${base}${applicationPath}`);
    await takeStep(page, '推荐', '同意推荐。');
    await logout(page);
    await login(page, base, DISTRICT);
    await page.goto(`${base}/naming`);
    assert.match(await mainText(page), new RegExp(STUDIO), 'the district finds it waiting');
    await visit('05-queue');
    await page.goto(`${base}${applicationPath}`);
    await takeStep(page, '初审通过', '初审通过，推荐至市总工会。');
    await logout(page);
    await login(page, base, CITY);
    await page.goto(`${base}${applicationPath}`);
    await takeStep(page, '审核通过', '材料齐全，符合基本条件。');
    const panel = page.locator('#steps form').filter({ has: page.getByRole('button', { name: '指派专家', exact: true }) });
    await panel.getByLabel(/邵建华/).check();
    await visit('06-assign');
    await clickTo(page, panel.getByRole('button', { name: '指派专家', exact: true }), /done=assign-experts/);
    await logout(page);

    // 5. The expert scores.
    await login(page, base, EXPERT);
    await page.goto(`${base}/naming`);
    await page.getByRole('link', { name: STUDIO }).first().click();
    await page.locator('#f-score').fill('90');
    await page.locator('#f-comment').fill('团队稳定，攻关成果突出。');
    await visit('07-score');
    await clickTo(page, page.locator('#score').getByRole('button', { name: '提交评分' }), /done=score/);
    await logout(page);

    // 6. The decision, the notice and the name.
    await login(page, base, CITY);
    await page.goto(`${base}${applicationPath}`);
    assert.match(await mainText(page), /90 分/);
    const decide = page.locator('#steps form').filter({ has: page.getByRole('button', { name: '提交研究结论', exact: true }) });
    await decide.getByLabel('同意命名').check();
    await takeStep(page, '提交研究结论', '经市总工会集体研究，同意命名。');
    await takeStep(page, '开始公示');
    assert.match(await mainText(page), /公示中/);
    await takeStep(page, '命名', '公示期满无异议，予以命名。');
    assert.match(await mainText(page), /已命名/);
    await visit('08-named');
  });

  await withPage(h.browser, DESKTOP, 'naming-desktop', async (page, visit) => {
    await page.goto(`${base}${batchPath}`);
    assert.match(await mainText(page), /陈立新劳模和工匠人才创新工作室/);
    await visit('01-notice');
    await page.goto(`${base}${applicationPath}`);
    const text = await mainText(page);
    for (const step of ['提交申报', '单位工会推荐', '初审通过', '审核通过', '指派评审专家', '专家评分', '集体研究', '开始社会公示', '命名']) {
      assert.ok(text.includes(step), `the trail shows ${step}`);
    }
    await visit('02-trail');
    await page.goto(`${base}${applicationPath}/print`);
    const form = await mainText(page);
    assert.match(form, /劳模和工匠人才创新工作室命名申请表/);
    assert.match(form, /经市总工会集体研究，同意命名/);
    await visit('03-print');
  });
});
