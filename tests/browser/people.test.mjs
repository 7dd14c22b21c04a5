// Browser test of the people picker (选人) at phone and desktop size: a studio leader types a
// Chinese name in the member field, the suggestions name each person's unit and studio, and
// choosing one fills the field; then a leader signs in with a phone number instead of a
// username.
//
// Same harness as the other browser tests (./support.mjs): its own server on a fresh demo data
// dir, axe-core on every page visited, screenshots into ./screenshots/ (people-NN-*.png).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, PHONE, clickTo, login, mainText, useHarness, withPage } from './support.mjs';

const LEADER = 'wangjianguo'; // leads 王建国劳模创新工作室 (studio 1)

const h = useHarness();

for (const [size, name] of [[PHONE, 'phone'], [DESKTOP, 'desktop']]) {
  test(`a leader finds a person by a Chinese name, told apart by unit and studio (${name})`, async () => {
    await withPage(h.browser, size, `people-${name}`, async (page, visit) => {
      await login(page, h.base, LEADER);
      await page.goto(`${h.base}/studios/1`);
      const field = page.locator('#add-member input[data-people]');
      await field.fill('王');
      const suggestions = page.locator('.people-suggest button');
      await suggestions.first().waitFor();
      const text = await page.locator('.people-suggest').innerText();
      assert.match(text, /王倩/);
      assert.match(text, /秦都轨道交通运营有限公司·张卫东劳模创新工作室/, 'the unit and studio tell people apart');
      assert.doesNotMatch(text, /\d{11}/, 'no phone for a leader');
      await visit('01-suggested');
      await suggestions.filter({ hasText: '王倩' }).click();
      assert.equal(await field.inputValue(), 'wangqian');
      assert.ok(await page.locator('.people-suggest').isHidden());
      await clickTo(page, page.locator('#add-member').getByRole('button', { name: '添加' }), /\/studios\/1/);
      assert.match(await mainText(page), /王倩/);
      await visit('02-added');
    });
  });
}

test('a leader signs in with the phone on the profile', async () => {
  await withPage(h.browser, PHONE, 'people-phone-login', async (page, visit) => {
    await page.goto(`${h.base}/login`);
    assert.match(await mainText(page), /用户名或手机号/);
    // The demo data set gives 王建国 this mobile number.
    await login(page, h.base, '158 4658 1699');
    assert.match(await mainText(page), /王建国/);
    await visit('01-signed-in');
  });
});
