// Browser test of the studio list import (导入工作室名单) at phone and desktop size: the city
// union's staff open the import from the org page, check a CSV sheet as Excel saves it (one new
// studio, one faulty row), read the report row by row, correct the sheet and import it; the
// export link hands back the list as xlsx.
//
// Same harness as the other browser tests (./support.mjs): its own server on a fresh demo data
// dir, axe-core on every page visited, screenshots into ./screenshots/ (import-NN-*.png).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, PHONE, clickTo, login, mainText, useHarness, withPage } from './support.mjs';

const CITY = 'malijuan'; // staff of 西安市总工会
const UNIT = '秦川精密机床装备有限公司'; // a unit under the city
const HEAD = '\ufeff工作室名称,所在单位,领衔人,类型,行业,专业领域,地区,成立时间\n';

const h = useHarness();

/** A CSV file for the file input. */
const sheet = (rows) => ({ name: '工作室名单.csv', mimeType: 'text/csv', buffer: Buffer.from(HEAD + rows.join('\n') + '\n') });

test('staff check a sheet, read the faults by row, and import the corrected sheet', async () => {
  const base = h.base;
  await withPage(h.browser, PHONE, 'import-phone', async (page, visit) => {
    page.on('dialog', (d) => d.accept());
    await login(page, base, CITY);
    await page.goto(`${base}/workbench`);
    await clickTo(page, page.locator('#unions').getByRole('link', { name: '西安市总工会' }), /\/orgs\/\d+$/);
    await clickTo(page, page.getByRole('link', { name: '导入或导出工作室名单（Excel）' }), /\/import$/);
    await visit('01-form');

    await page.locator('#f-file').setInputFiles(
      sheet([`高新数控创新工作室,${UNIT},wangjianguo,技术攻关,机械制造,数控加工,西安,2019年3月1日`, `错误工作室,不存在的单位,nobody,技术攻关,航天,焊接,西安,去年`]),
    );
    await clickTo(page, page.getByRole('button', { name: '先检查' }), /\/import$/);
    const checked = await mainText(page);
    assert.match(checked, /检查结果（尚未导入）/);
    assert.match(checked, /新增 1/);
    assert.match(checked, /有误 1/);
    assert.match(checked, /第 3 行 错误工作室 有误/);
    assert.match(checked, /所在单位：“不存在的单位”不是本会管辖的基层工会/);
    assert.match(checked, /领衔人：平台上没有用户名“nobody”/);
    assert.match(checked, /未知的行业“航天”/);
    assert.doesNotMatch(checked, /unknown industry/, 'one language');
    await visit('02-checked');

    await page.locator('#f-file').setInputFiles(
      sheet([`高新数控创新工作室,${UNIT},wangjianguo,技术攻关,机械制造,数控加工,西安,2019年3月1日`]),
    );
    await clickTo(page, page.getByRole('button', { name: '导入', exact: true }), /\/import$/);
    const done = await mainText(page);
    assert.match(done, /已导入/);
    assert.match(done, /新增 1/);
    await visit('03-imported');
  });

  await withPage(h.browser, DESKTOP, 'import-desktop', async (page, visit) => {
    await login(page, base, CITY);
    await page.goto(`${base}/workbench`);
    await clickTo(page, page.locator('#unions').getByRole('link', { name: '西安市总工会' }), /\/orgs\/\d+$/);
    await clickTo(page, page.getByRole('link', { name: '导入或导出工作室名单（Excel）' }), /\/import$/);
    await visit('01-form');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /导出本会工作室名单/ }).click(),
    ]);
    assert.equal(download.suggestedFilename(), '工作室名单.xlsx');
  });
});
