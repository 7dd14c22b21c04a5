// Browser test of pictures at phone and desktop size: a studio leader uploads the studio's photo
// with the plain form on its page (no script needed), sees the message and the photo at the top
// of the page, then finds it on the studio's card in the directory; a member sets a portrait on
// their own page. The photo is made here by the browser itself (a canvas), nothing is fetched.
//
// Same harness as the other browser tests (./support.mjs): its own server on a fresh demo data
// dir, axe-core on every page visited, screenshots into ./screenshots/ (pictures-NN-*.png).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, PHONE, assertNoSidewaysScroll, clickTo, isPhone, login, useHarness, withPage } from './support.mjs';

const LEADER = 'wangjianguo'; // leads 王建国劳模创新工作室 (studio 1)
const MEMBER = 'zhangyaqin'; // a member of it

const h = useHarness();

/** A PNG of `w` × `h` drawn on a canvas of the page. */
async function drawnPng(page, w, h) {
  const b64 = await page.evaluate(
    ([w, h]) => {
      const c = document.createElement('canvas');
      c.width = w;
      c.height = h;
      const g = c.getContext('2d');
      g.fillStyle = '#3c5a78';
      g.fillRect(0, 0, w, h);
      g.fillStyle = '#c8b45a';
      g.beginPath();
      g.arc(w / 2, h / 2, h / 3, 0, 2 * Math.PI);
      g.fill();
      return c.toDataURL('image/png').split(',')[1];
    },
    [w, h],
  );
  return Buffer.from(b64, 'base64');
}

for (const [size, name] of [[PHONE, 'phone'], [DESKTOP, 'desktop']]) {
  test(`a studio's photo goes up from its page and shows in the directory (${name})`, async () => {
    await withPage(h.browser, size, `pictures-${name}`, async (page, visit) => {
      await login(page, h.base, LEADER);
      await page.goto(`${h.base}/studios/1`);
      const photo = await drawnPng(page, 1800, 1000);
      await page.locator('#picture input[type=file]').setInputFiles({ name: '合影.png', mimeType: 'image/png', buffer: photo });
      await clickTo(page, page.locator('#picture').getByRole('button', { name: '上传' }), /\/studios\/1\?done=picture$/);
      assert.match(await page.locator('main [role="status"]').innerText(), /工作室图片已更新/);
      const top = page.locator('.studio-head img.studio-picture');
      await top.waitFor();
      const natural = await top.evaluate((img) => [img.naturalWidth, img.naturalHeight]);
      assert.deepEqual(natural, [1200, 667], 'resized to the page size');
      await visit('01-studio-with-photo');
      if (isPhone(size)) await assertNoSidewaysScroll(page, 'studio page with a photo');

      await page.goto(`${h.base}/studios`);
      const card = page.locator('li.studio-card').filter({ hasText: '王建国劳模创新工作室' });
      const thumb = card.locator('img.card-picture');
      await thumb.scrollIntoViewIfNeeded();
      await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await thumb.elementHandle());
      assert.equal(await thumb.evaluate((img) => img.naturalWidth), 320, 'the list size');
      await visit('02-directory');
    });
  });
}

test('a member sets a portrait on their own page', async () => {
  await withPage(h.browser, PHONE, 'pictures-portrait', async (page, visit) => {
    await login(page, h.base, MEMBER);
    await page.goto(`${h.base}/me`);
    const face = await drawnPng(page, 600, 600);
    await page.locator('#portrait input[type=file]').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: face });
    await clickTo(page, page.locator('#portrait').getByRole('button', { name: '上传' }), /\/me\?done=portrait$/);
    assert.match(await page.locator('#portrait [role="status"]').innerText(), /头像已更新/);
    await page.locator('#portrait img.portrait').waitFor();
    await visit('01-portrait');
  });
});
