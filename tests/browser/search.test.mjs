// Browser test of Chinese search, at phone and desktop sizes: the search box finds a
// two-character word with the hit highlighted and filters by kind; a mixed Latin/Chinese query
// works; a leader drafting a challenge is shown existing similar challenges (已有相似榜单) before
// publishing; a studio's own page recommends open challenges that fit it (推荐揭榜).
//
// Same harness as the other browser tests (./support.mjs).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, PHONE, clickTo, login, logout, mainText, useHarness, withPage } from './support.mjs';

// Demo users (server/src/demo/dataset.json); all have the demo password.
const POSTER = 'wangjianguo'; // leads 王建国劳模创新工作室
const POSTER_STUDIO = '王建国劳模创新工作室';
const POWER_LEADER = 'yangzhenhua'; // leads 杨振华劳模创新工作室 (power)
const GIS_CHALLENGE = '110kV 变电站 GIS 设备局部放电带电检测误报多';

const h = useHarness();

function searchFlow(prefix, size) {
  return withPage(h.browser, size, prefix, async (page, visit) => {
    const base = h.base;
    // 1. A two-character word, highlighted, with kind facets.
    await page.goto(`${base}/search`);
    await page.getByRole('searchbox').or(page.locator('main input[name="q"]')).first().fill('主轴');
    await clickTo(page, page.locator('main form').getByRole('button').first(), /\/search\?/);
    const first = page.locator('main ol li, main ul.results li, main .hit').first();
    await first.waitFor();
    assert.ok((await page.locator('main em').allInnerTexts()).includes('主轴'), 'the hit is highlighted');
    assert.match(await mainText(page), /王建国高精度主轴车削操作法/);
    await visit('01-results');
    await clickTo(page, page.locator('main a.tag').filter({ hasText: '成果' }).first(), /kind=outcome/);
    assert.match(await mainText(page), /王建国高精度主轴车削操作法/);
    assert.doesNotMatch(await mainText(page), /精密主轴加工工艺/, 'the course is filtered out');
    await visit('02-outcomes-only');

    // 2. A mixed query with a Latin term.
    await page.goto(`${base}/search?q=${encodeURIComponent('PLC 通信')}`);
    assert.match(await mainText(page), /PLC 控制系统通信中断导致皮带机误停/);
    await visit('03-mixed');

    // 3. The similar check on a draft.
    await login(page, base, POSTER);
    await page.goto(`${base}/challenges/new`);
    // An unrelated draft is close to nothing: 查重 (without script's help) says so.
    await page.locator('#f-title').fill('职工食堂午餐排队时间过长');
    await clickTo(page, page.locator('main form').getByRole('button', { name: '查重' }), /\/challenges\/new$/);
    assert.match(await page.locator('#similar').innerText(), /没有发现相似的榜单或成果/);
    await page.locator('#f-studio_id').selectOption({ label: POSTER_STUDIO });
    await page.locator('#f-title').fill(`GIS 局部放电检测误报怎么消除（${prefix}）`);
    await page.locator('#f-description').fill('变电站 GIS 设备带电检测局部放电信号，误报较多，希望降低误报率。');
    // While it is written, the existing GIS challenge shows up, with its studio's name.
    await page.waitForFunction(
      (t) => document.querySelector('form #similar:not([hidden])')?.innerText.includes(t),
      GIS_CHALLENGE,
    );
    assert.doesNotMatch(await page.locator('form #similar').innerText(), /所属工作室/);
    await visit('04-similar-live');
    await clickTo(page, page.locator('main form').getByRole('button', { name: '保存草稿' }), /\/challenges\/\d+\?done=posted$/);
    const similar = page.locator('#similar');
    await similar.waitFor();
    assert.match(await similar.innerText(), /已有相似/);
    assert.ok((await similar.innerText()).includes(GIS_CHALLENGE), await similar.innerText());
    await visit('04-similar');
    await logout(page);

    // 4. Recommendations on the studio's own page.
    await login(page, base, POWER_LEADER);
    await page.goto(`${base}/me`);
    const studioLink = page.locator('main a[href^="/studios/"]').first();
    await clickTo(page, studioLink, /\/studios\/\d+$/);
    const recommended = page.locator('#recommended');
    await recommended.waitFor();
    assert.ok((await recommended.innerText()).includes(GIS_CHALLENGE), await recommended.innerText());
    await visit('05-recommended');
    await logout(page);
  });
}

test('search, the similar check and recommendations on a phone', () => searchFlow('search-phone', PHONE));
test('search, the similar check and recommendations on a desktop', () => searchFlow('search-desktop', DESKTOP));
