// Browser test of live chat: two members of one studio open its room from the studio page, one
// on a phone and one on a desktop. What one sends (from the page's form, over the socket)
// appears live on the other's page without a reload, so do the author's edit and deletion,
// @mentions reach the notifications, and a page opened again later shows the history. axe-core on every page; no sideways scrolling on
// the phone.
//
// Same harness as the other browser tests (./support.mjs).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, PHONE, auditor, assertNoSidewaysScroll, clickTo, login, newContext, shot, useHarness } from './support.mjs';

// Demo users (server/src/demo/dataset.json); both belong to 王建国劳模创新工作室.
const LEADER = 'wangjianguo';
const MEMBER = 'lijunfeng';
const STUDIO = '王建国劳模创新工作室';

const h = useHarness();

/** Signs in and opens the studio's chat room from its page; returns the page. */
async function openRoom(context, username) {
  const page = await context.newPage();
  await login(page, h.base, username);
  await page.goto(`${h.base}/studios`);
  await clickTo(page, page.locator('main a').filter({ hasText: STUDIO }).first(), /\/studios\/\d+$/);
  await clickTo(page, page.getByRole('link', { name: '进入交流室' }), /\/chat\/studio:\d+/);
  // Live once the socket has subscribed.
  await page.locator('#chat-status').filter({ hasText: '已连接' }).waitFor();
  return page;
}

async function say(page, text) {
  await page.locator('#f-body').fill(text);
  await page.getByRole('button', { name: '发送' }).click();
}

test('two members of a studio chat live, phone and desktop', async () => {
  const phoneCtx = await newContext(h.browser, PHONE);
  const deskCtx = await newContext(h.browser, DESKTOP);
  const axe = auditor('chat');
  try {
    const leader = await openRoom(deskCtx, LEADER);
    const member = await openRoom(phoneCtx, MEMBER);
    await axe.check(leader, '01-desktop-room');
    await axe.check(member, '02-phone-room');
    await assertNoSidewaysScroll(member, 'chat phone');

    const first = `主轴热变形补偿参数已更新，请在 3 号机床试切。详见 https://example.cn/spec （${Date.now()}）`;
    await say(leader, first);
    const onPhone = member.locator('#chat-log li').filter({ hasText: first });
    await onPhone.waitFor();
    assert.equal(await onPhone.locator('a[href="https://example.cn/spec"]').count(), 1, 'links are links');
    assert.equal(await leader.locator('#f-body').inputValue(), '', 'the box is cleared after sending');

    // "@王建" suggests 王建国 with his studio; choosing him writes "@王建国 " into the box.
    await member.locator('#f-body').pressSequentially('@王建');
    await member.locator('#f-body-suggest button').filter({ hasText: STUDIO }).first().click();
    assert.equal(await member.locator('#f-body').inputValue(), '@王建国 ', 'the picker writes the Chinese name');
    await member.locator('#f-body').pressSequentially('收到，下午两点试切。');
    await leader.locator('#chat-typing').filter({ hasText: '李俊峰 正在输入' }).waitFor(); // named from the history
    await member.locator('#f-body').press('Enter'); // Enter sends, as in the messengers people know
    await leader.locator('#chat-log li').filter({ hasText: '下午两点试切' }).waitFor();
    assert.equal(
      await leader.locator('#chat-log li').filter({ hasText: '下午两点试切' }).locator('mark.mention').innerText(),
      '@王建国',
      'the Chinese-name mention stands out',
    );
    assert.equal(await leader.locator('#chat-typing').innerText(), '', 'the typing line clears when the message arrives');
    await member.locator('#chat-log li.mine').filter({ hasText: '下午两点试切' }).waitFor();
    await shot(member, 'chat-03-phone-live');
    await shot(leader, 'chat-04-desktop-live');
    await assertNoSidewaysScroll(member, 'chat phone after messages');
    await axe.check(member, '05-phone-live');

    // The author edits, then deletes, a message of theirs; the other side sees both live.
    const draft = `润滑油路已检查（${Date.now()}）`;
    await say(member, draft);
    const mine = member.locator('#chat-log li.mine').filter({ hasText: draft });
    await mine.waitFor();
    await mine.locator('summary').click();
    await mine.locator('textarea').fill(`${draft}，油压正常`);
    await axe.check(member, '06-phone-editing');
    await assertNoSidewaysScroll(member, 'chat phone while editing');
    await shot(member, 'chat-05-phone-editing');
    await mine.getByRole('button', { name: '保存修改' }).click();
    await leader.locator('#chat-log li').filter({ hasText: '油压正常' }).filter({ hasText: '已编辑' }).waitFor();
    const edited = member.locator('#chat-log li.mine').filter({ hasText: '油压正常' });
    await edited.locator('summary').click();
    await edited.getByRole('button', { name: '删除此消息' }).click();
    await leader.locator('#chat-log li').filter({ hasText: '此消息已删除' }).waitFor();
    assert.equal(await leader.locator('#chat-log li').filter({ hasText: '油压正常' }).count(), 0, 'the text is gone');
    await shot(leader, 'chat-06-desktop-deleted');

    // The mention reached the leader's notifications.
    await leader.goto(`${h.base}/notifications`);
    await leader.locator('main li').filter({ hasText: '提到了你' }).first().waitFor();

    // Opening the room again shows the history, server-rendered, in order.
    await member.close();
    const again = await phoneCtx.newPage();
    await again.goto(`${h.base}/chat`);
    await clickTo(again, again.locator('main a').filter({ hasText: STUDIO }).first(), /\/chat\/studio:\d+/);
    const texts = await again.locator('#chat-log li .msg-body').allInnerTexts();
    const a = texts.findIndex((t) => t.includes('主轴热变形补偿参数已更新'));
    const b = texts.findIndex((t) => t.includes('下午两点试切'));
    assert.ok(a >= 0 && b > a, `history in order: ${texts.join(' | ')}`);
    await axe.check(again, '07-phone-history');
    axe.assertClean();
  } finally {
    await phoneCtx.close();
    await deskCtx.close();
  }
});
