// Browser test of the network on a phone-sized screen (and the alliance page on a desktop):
// a studio leader founds an alliance (筹建中); a second studio asks to join and is approved
// (运行中); an alliance-only challenge is seen by members and is a 404 to outsiders; a
// mentorship (师带徒) with an apprentice from the fellow studio is logged and completed; an
// event is scheduled, a member registers, the host shows the door code and the member checks
// in with it on the phone.
//
// Same harness as the other browser tests (./support.mjs): its own server on a fresh demo data
// dir, axe-core on every page visited, screenshots into ./screenshots/ (network-NN-*.png).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, PHONE, clickTo, login, logout, mainText, useHarness, withPage } from './support.mjs';

// Demo users (server/src/demo/dataset.json) in no demo alliance; all have the demo password.
const FOUNDER = 'zhoulina'; // leads 周丽娜工匠人才创新工作室
const FOUNDER_STUDIO = '周丽娜工匠人才创新工作室';
const JOINER = 'gaojianping'; // leads 高建平劳模创新工作室
const JOINER_STUDIO = '高建平劳模创新工作室';
const APPRENTICE = '何致远'; // an apprentice of 高建平劳模创新工作室
const OUTSIDER = 'lixiumei'; // leads 李秀梅技能大师工作室, not in this alliance

const h = useHarness();

/** `datetime-local` text, China time, `minutes` from now. */
function chinaLocal(minutes) {
  return new Date(Date.now() + minutes * 60_000 + 8 * 3_600_000).toISOString().slice(0, 16);
}

test('an alliance forms, works privately, mentors across studios and checks in at the door', async () => {
  const base = h.base;
  const alliance = `陕南装备维修工匠联盟${Date.now() % 100000}`;
  const secret = `联盟内部：数控系统备件互换清单（${Date.now() % 100000}）`;
  let alliancePath;
  let challengePath;
  await withPage(h.browser, PHONE, 'network-phone', async (page, visit) => {
    // 1. Found the alliance.
    await login(page, base, FOUNDER);
    await page.goto(`${base}/alliances/new`);
    await visit('01-found');
    await page.locator('#f-name').fill(alliance);
    await page.locator('#f-lead_studio_id').selectOption({ label: FOUNDER_STUDIO });
    await page.locator('#f-scope').selectOption('cross_enterprise');
    await page.locator('#f-description').fill('围绕装备维修共性难题联合攻关，开展跨企业师带徒。');
    await clickTo(page, page.locator('main form').getByRole('button', { name: '发起联盟' }), /\/alliances\/\d+\?done=created$/);
    alliancePath = new URL(page.url()).pathname;
    assert.match(await mainText(page), /筹建中/);
    assert.match(await page.locator('main [role="status"]').innerText(), /联盟已创建/);
    await visit('02-forming');
    await logout(page);

    // 2. A second studio asks to join; the lead approves: the alliance is active.
    await login(page, base, JOINER);
    await page.goto(`${base}${alliancePath}`);
    await page.locator('#j-studio').selectOption({ label: JOINER_STUDIO });
    await page.locator('#j-message').fill('我们有三台同型号数控机床，希望共享备件与维修经验。');
    await visit('03-ask');
    await clickTo(page, page.locator('#join').getByRole('button', { name: '提交申请' }), (u) => u.pathname === alliancePath);
    await logout(page);
    await login(page, base, FOUNDER);
    await page.goto(`${base}${alliancePath}`);
    const request = page.locator('#requests li').filter({ hasText: JOINER_STUDIO });
    await visit('04-request');
    await clickTo(page, request.getByRole('button', { name: '同意' }), (u) => u.pathname === alliancePath);
    const text = await mainText(page);
    assert.match(text, /运行中/);
    assert.ok(page.locator('#members').getByRole('link', { name: JOINER_STUDIO }), 'the new member is listed');
    assert.equal(await page.locator('#members li').count(), 2);

    // 3. An alliance-only challenge.
    await clickTo(page, page.getByRole('link', { name: '发布联盟内榜单' }), /\/challenges\/new/);
    await page.locator('#f-studio_id').selectOption({ label: FOUNDER_STUDIO });
    await page.locator('#f-title').fill(secret);
    await page.locator('#f-description').fill('整理联盟内可互换的数控系统备件，仅联盟成员可见。');
    assert.equal(await page.locator('#f-alliance_id option:checked').innerText(), `仅联盟成员：${alliance}`);
    await visit('05-private-challenge');
    await clickTo(page, page.locator('main form').getByRole('button', { name: '保存草稿' }), /\/challenges\/\d+\?done=posted$/);
    challengePath = new URL(page.url()).pathname;
    await page.locator('#publish summary').click();
    await clickTo(page, page.locator('#publish').getByRole('button', { name: '确认发榜' }), (u) => u.pathname === challengePath);

    // 4. A mentorship with the fellow studio's apprentice: recorded, logged, completed.
    await page.goto(`${base}/studios`);
    await page.goto(`${base}${alliancePath}`);
    const studioHref = await page.locator('#members a').filter({ hasText: FOUNDER_STUDIO }).getAttribute('href');
    await page.goto(`${base}${studioHref}`);
    await clickTo(page, page.getByRole('link', { name: '记录师带徒' }), /\/mentorships\/new/);
    // The apprentice, of a fellow alliance studio, is picked by name; the suggestion shows the studio.
    await page.locator('#f-apprentice_id').fill(APPRENTICE);
    await page.locator('#f-apprentice_id-suggest button').filter({ hasText: JOINER_STUDIO }).first().click();
    await page.locator('#f-skill').fill('数控系统故障诊断');
    await page.locator('#f-goals').fill('半年内独立排除常见数控系统报警');
    await visit('06-mentorship-new');
    await clickTo(page, page.locator('main form').getByRole('button', { name: '创建' }), /\/mentorships\/\d+\?done=created$/);
    await page.locator('#l-hours').fill('2.5');
    await page.locator('#l-content').fill('讲解伺服报警的排查顺序，现场处理一次 SV0401 报警。');
    await clickTo(page, page.locator('#log').getByRole('button', { name: '记一次带徒' }), /\/mentorships\/\d+/);
    assert.match(await page.locator('#log').innerText(), /SV0401/);
    await page.locator('#c-evaluation').fill('能独立完成常见报警的诊断与处理。');
    await page.locator('#c-grade').selectOption('good');
    await visit('07-mentorship-log');
    await clickTo(page, page.locator('#evaluation').getByRole('button', { name: '评价出师' }), /\/mentorships\/\d+/);
    assert.match(await mainText(page), /已出师/);
    assert.match(await mainText(page), /良好/);
    await visit('08-mentorship-done');

    // 5. An event in half an hour; the lead schedules it for the alliance.
    await page.goto(`${base}${alliancePath}`);
    await clickTo(page, page.getByRole('link', { name: '发布活动' }), /\/events\/new/);
    await page.locator('#f-kind').selectOption('salon');
    await page.locator('#f-title').fill('数控维修经验沙龙');
    await page.locator('#f-location').fill('汉中市总工会职工之家二楼');
    await page.locator('#f-starts_at').fill(chinaLocal(30));
    await page.locator('#f-ends_at').fill(chinaLocal(150));
    await page.locator('#f-capacity').fill('20');
    await visit('09-event-new');
    await clickTo(page, page.locator('main form').getByRole('button', { name: '创建' }), /\/events\/\d+\?done=created$/);
    const eventPath = new URL(page.url()).pathname;
    await logout(page);

    // 6. The member sees the private challenge, registers for the event.
    await login(page, base, JOINER);
    await page.goto(`${base}${alliancePath}`);
    assert.match(await page.locator('#board').innerText(), new RegExp(secret.replace(/[()（）]/g, '.')));
    await visit('10-member-board');
    await page.goto(`${base}${eventPath}`);
    await clickTo(page, page.getByRole('button', { name: '我要报名' }), (u) => u.pathname === eventPath);
    assert.match(await page.locator('#registration').innerText(), /你已报名/);
    await visit('11-registered');
    await logout(page);

    // 7. The host shows the door code.
    await login(page, base, FOUNDER);
    await page.goto(`${base}${eventPath}`);
    await clickTo(page, page.getByRole('button', { name: '显示签到码' }), /\/door$/);
    const code = (await page.locator('.door-code').innerText()).trim();
    assert.match(code, /^\d{6}$/);
    assert.equal(await page.locator('.qr svg').count(), 1, 'a QR code is shown');
    await visit('12-door');
    await logout(page);

    // 8. The member checks in on the phone: a wrong code is refused, the right one accepted.
    await login(page, base, JOINER);
    await page.goto(`${base}${eventPath}`);
    await clickTo(page, page.getByRole('link', { name: '现场签到' }), /\/checkin/);
    await page.locator('#c-code').fill(code === '000000' ? '111111' : '000000');
    await clickTo(page, page.locator('main form').getByRole('button', { name: '现场签到' }), /\/checkin/);
    assert.match(await mainText(page), /签到码错误或已过期/);
    await visit('13-wrong-code');
    await page.locator('#c-code').fill(code);
    await clickTo(page, page.locator('main form').getByRole('button', { name: '现场签到' }), (u) => u.pathname === eventPath);
    assert.match(await page.locator('#registration').innerText(), /你已签到/);
    await visit('14-checked-in');
    await logout(page);

    // 9. An outsider neither sees the private challenge nor reaches it.
    await login(page, base, OUTSIDER);
    await page.goto(`${base}${alliancePath}`);
    assert.doesNotMatch(await mainText(page), /数控系统备件互换清单/);
    const res = await page.goto(`${base}${challengePath}`);
    assert.equal(res.status(), 404);
    await visit('15-outsider-404');
    await page.goto(`${base}${alliancePath}`);
    await logout(page);
  });

  await withPage(h.browser, DESKTOP, 'network-desktop', async (page, visit) => {
    await login(page, base, FOUNDER);
    await page.goto(`${base}${alliancePath}`);
    await visit('01-alliance');
    await page.goto(`${base}/events`);
    await visit('02-events');
    await page.goto(`${base}/courses/1`);
    await visit('03-course');
  });
});
