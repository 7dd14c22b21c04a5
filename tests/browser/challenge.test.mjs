// Browser test of the 揭榜攻关 loop, at phone and desktop sizes: a studio leader posts a
// challenge and publishes it (发榜); another leader claims it (揭榜) with a team from two
// studios; the poster awards it (挂帅); the claimant reports progress and delivers; the poster
// accepts (验收) and records the result as an outcome (成果转化) credited to both studios; the
// outcome heads the showcase and the claimant has been notified.
//
// Same harness as onboarding.test.mjs (./support.mjs): its own server on a fresh demo data dir,
// the Debian chromium, axe-core on every page visited, full-page screenshots into
// ./screenshots/ (PREFIX-NN-*.png) and, at phone size, no sideways scrolling on any page.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DESKTOP,
  PHONE,
  assertNoSidewaysScroll,
  clickTo,
  isPhone,
  login,
  logout,
  mainText,
  useHarness,
  withPage,
} from './support.mjs';

// Demo users (server/src/demo/dataset.json); all have the demo password.
const POSTER = 'wangjianguo'; // leads 王建国劳模创新工作室
const POSTER_STUDIO = '王建国劳模创新工作室';
const CLAIMER = 'zhaotiejun'; // leads 赵铁军劳模创新工作室
const CLAIM_STUDIO = '赵铁军劳模创新工作室';
const PARTNER = 'zhoupeng'; // 周鹏, a member of 李秀梅技能大师工作室
const PARTNER_NAME = '周鹏';
const PARTNER_STUDIO = '李秀梅技能大师工作室';

const h = useHarness();

/** YYYY-MM-DD, `days` from today. */
function dateAhead(days) {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** The challenge's status tag in the page head. */
const statusTag = (page) => page.locator('.studio-head .badges .tag[class*="st-"]').first();

async function assertStatus(page, label, when) {
  assert.equal((await statusTag(page).innerText()).trim(), label, `status ${when}`);
}

/** Finds the card titled `title` on a listing, following the pager; returns its link. */
async function findCard(page, title) {
  for (let pageNo = 0; pageNo < 20; pageNo++) {
    const link = page.locator('ul.cards li.card h2 a').filter({ hasText: title });
    if ((await link.count()) > 0) return link.first();
    const next = page.locator('.pager a');
    if ((await next.count()) === 0) break;
    await clickTo(page, next, /cursor=/);
  }
  assert.fail(`no card titled ${title} on ${page.url()}`);
}

function challengeLoop(prefix, size, suffix) {
  const base = h.base;
  const title = `变速箱壳体渗漏检测效率低（${suffix}）`;
  const note = `已完成气密检测工装样机，正在产线试用（${suffix}）`;
  const summary = `研制快速气密检测工装，单件检测时间由 15 分钟降至 3 分钟，漏检率为零（${suffix}）。`;
  const comment = '效果显著，同意验收。';

  return withPage(h.browser, size, prefix, async (page, visit) => {
    const onChallenge = (u) => challengePath !== undefined && u.pathname === challengePath;
    let challengePath;

    // 1. The poster drafts a challenge and publishes it (发榜).
    await login(page, base, POSTER, { atForm: () => visit('01-login') });
    await page.goto(`${base}/challenges/new`);
    await visit('02-challenge-new');
    await page.locator('#f-studio_id').selectOption({ label: POSTER_STUDIO });
    await page.locator('#f-title').fill(title);
    await page
      .locator('#f-description')
      .fill(
        '总装线变速箱壳体采用人工水检，**单件耗时 15 分钟**，且易漏检。\n\n' +
          '需求：\n\n- 检测节拍不超过 3 分钟\n- 可检出 0.1 mm 级微渗漏\n- 适配现有产线工位\n',
      );
    await page.locator('#f-industry').selectOption('machinery');
    await page.locator('#f-tags').fill('渗漏 检测');
    await page.locator('#f-deadline').fill(dateAhead(60));
    await page.locator('#f-reward_yuan').fill('30000');
    // 查重 without saving: the draft's words find nothing close on the demo board, and the form
    // keeps what was typed.
    await clickTo(page, page.locator('main form').getByRole('button', { name: '查重' }), /\/challenges\/new$/);
    assert.equal(await page.locator('#f-title').inputValue(), title, '查重 keeps the title');
    assert.match(await page.locator('#similar').innerText(), /没有发现相似的榜单或成果|榜单|成果/);
    await visit('02-challenge-checked');
    await clickTo(page, page.locator('main form').getByRole('button', { name: '保存草稿' }), /\/challenges\/\d+\?done=posted$/);
    assert.match(await page.locator('main [role="status"]').innerText(), /草稿已保存/);
    challengePath = new URL(page.url()).pathname;
    const challengeUrl = `${base}${challengePath}`;
    assert.equal(await page.locator('.studio-head h1').innerText(), title);
    await assertStatus(page, '草稿', 'after creating');
    const head = await page.locator('.studio-head').innerText();
    for (const bit of ['#渗漏', '#检测', '机械制造', '30,000 元', POSTER_STUDIO, dateAhead(60)]) {
      assert.ok(head.includes(bit), `the challenge head shows ${bit}: ${head}`);
    }
    // The description is rendered Markdown.
    const md = page.locator('.md');
    assert.equal(await md.locator('strong').innerText(), '单件耗时 15 分钟');
    assert.equal(await md.locator('li').count(), 3);
    await visit('03-challenge-draft');
    // The draft stays editable until it is published.
    await clickTo(page, page.getByRole('link', { name: '修改草稿' }), /\/edit$/);
    await page.locator('#f-reward_yuan').fill('30000');
    await clickTo(page, page.locator('main form').getByRole('button', { name: '保存草稿' }), /\?done=saved$/);
    // 发榜 asks first: the first tap opens the question, the second publishes.
    await page.locator('#publish summary').click();
    await visit('03-challenge-publish-confirm');
    await clickTo(page, page.locator('#publish').getByRole('button', { name: '确认发榜' }), onChallenge);
    assert.match(await page.locator('main [role="status"]').innerText(), /已发榜/);
    await assertStatus(page, '揭榜中', 'after 发榜');
    await visit('04-challenge-open');
    await logout(page);

    // 2. Another leader finds it on the board and claims it (揭榜) with a two-studio team.
    await login(page, base, CLAIMER);
    await page.goto(`${base}/challenges`);
    await visit('05-board');
    const card = await findCard(page, title);
    await clickTo(page, card, onChallenge);
    await assertStatus(page, '揭榜中', 'seen by the claimant');
    const claimForm = page.locator('#claim');
    assert.ok(
      (await page.locator('#f-k-studio option').allInnerTexts()).includes(CLAIM_STUDIO),
      `the 揭榜工作室 select offers ${CLAIM_STUDIO}`,
    );
    await page.locator('#f-k-studio').selectOption({ label: CLAIM_STUDIO });
    await page.locator('#f-proposal').fill('采用差压式气密检测替代水检，设计快换密封工装，配合产线节拍自动判定。');
    await page.locator('#f-plan').fill('第 1 月：方案与工装设计；第 2 月：样机试制；第 3 月：产线试用与验收。');
    await page.locator('#f-m1').fill(CLAIMER);
    await page.locator('#f-s1').fill('60');
    // The partner is picked by Chinese name from the suggestions, which show the studio.
    await page.locator('#f-m2').fill(PARTNER_NAME);
    await page.locator('#f-m2-suggest button').filter({ hasText: PARTNER_STUDIO }).first().click();
    assert.equal(await page.locator('#f-m2').inputValue(), PARTNER, 'choosing a suggestion fills in the username');
    await page.locator('#f-s2').fill('40');
    await visit('06-claim-form');
    await clickTo(page, claimForm.getByRole('button', { name: '我要揭榜' }), onChallenge);
    const claim = page.locator('#claims li.claim').filter({ hasText: CLAIM_STUDIO });
    assert.equal(await claim.count(), 1, `the claims list shows ${CLAIM_STUDIO}`);
    assert.equal((await claim.locator('.tag[class*="st-"]').innerText()).trim(), '待定');
    const team = (await claim.locator('.team .tag').allInnerTexts()).map((s) => s.replace(/\s+/g, ' ').trim());
    assert.ok(team.some((s) => s.endsWith(`· ${CLAIM_STUDIO} · 60%`)), `team tags: ${team.join(' | ')}`);
    assert.ok(team.some((s) => s.endsWith(`· ${PARTNER_STUDIO} · 40%`)), `team tags: ${team.join(' | ')}`);
    await visit('07-claimed');
    if (isPhone(size)) {
      // Real studio names run longer than the demo's: a team tag must wrap, not push the page wide.
      await claim.locator('.team .tag').first().evaluate((el) => {
        el.textContent = '欧阳建国 · 陕西法士特汽车传动集团有限公司技能大师工作室 · 60%';
      });
      await assertNoSidewaysScroll(page, `${prefix}-07-claimed with a long studio name`);
    }
    await logout(page);

    // 3. The poster awards the claim (挂帅).
    await login(page, base, POSTER);
    await page.goto(challengeUrl);
    await visit('08-claim-to-award');
    // 挂帅 asks first, with the studio and the reward in view.
    await claim.locator('summary').filter({ hasText: '挂帅' }).click();
    const question = await claim.locator('.confirm-body').innerText();
    assert.ok(question.includes(CLAIM_STUDIO) && question.includes('30,000 元'), `the award question: ${question}`);
    await clickTo(page, claim.getByRole('button', { name: '确认挂帅' }), onChallenge);
    await assertStatus(page, '已挂帅', 'after 挂帅');
    assert.equal((await claim.locator('.tag[class*="st-"]').innerText()).trim(), '已挂帅', 'the claim is awarded');
    await visit('09-awarded');
    await logout(page);

    // 4. The claimant reports progress, then delivers.
    await login(page, base, CLAIMER);
    await page.goto(challengeUrl);
    const work = page.locator('#work');
    await page.locator('#f-note').fill(note);
    await page.locator('#f-percent').fill('50');
    await visit('10-work-form');
    await clickTo(page, work.getByRole('button', { name: '报告进展', exact: true }), onChallenge);
    await assertStatus(page, '攻关中', 'after 报告进展');
    const progress = page.locator('#timeline li').filter({ hasText: note });
    assert.equal(await progress.count(), 1, 'the timeline shows the progress note');
    assert.match(await progress.innerText(), /进展[\s\S]*50%/);
    await visit('11-in-progress');
    await page.locator('#f-summary').fill(summary);
    await clickTo(page, work.getByRole('button', { name: '提交成果', exact: true }), onChallenge);
    await assertStatus(page, '待验收', 'after 提交成果');
    assert.equal(await page.locator('#work').count(), 0, 'no work form once delivered');
    await visit('12-delivered');
    await logout(page);

    // 5. The poster accepts (验收通过) and records the outcome (成果转化).
    await login(page, base, POSTER);
    await page.goto(challengeUrl);
    assert.match(await mainText(page), new RegExp(summary.slice(0, 20)), 'the delivered summary is shown');
    await page.locator('#f-rating').selectOption('5');
    await page.locator('#f-comment').fill(comment);
    await visit('13-accept-form');
    await clickTo(page, page.locator('#accept').getByRole('button', { name: '验收通过', exact: true }), onChallenge);
    await assertStatus(page, '已验收', 'after 验收通过');
    assert.match(await mainText(page), /★★★★★/);
    const outcomeForm = page.locator('#outcome');
    assert.equal(await page.locator('#f-o-title').inputValue(), title, 'the outcome title is prefilled');
    assert.equal(await page.locator('#f-o-summary').inputValue(), summary, 'the outcome summary is prefilled');
    await page.locator('#f-o-kind').selectOption('technical_innovation');
    await page.locator('#f-o-benefit').fill('120000');
    await outcomeForm.getByLabel('可转让').check();
    await visit('14-outcome-form');
    await clickTo(page, outcomeForm.getByRole('button', { name: '成果转化：记入成果库' }), /\/outcomes\/\d+$/);
    const outcomePath = new URL(page.url()).pathname;
    assert.equal(await page.locator('main h1').innerText(), title);
    const badges = await page.locator('main .badges').first().innerText();
    assert.match(badges, /技术革新/);
    assert.match(badges, /可转让/);
    assert.match(await mainText(page), /经济效益 120,000 元/);
    const contributors = page.locator('aside section').filter({ has: page.getByRole('heading', { name: '贡献工作室' }) });
    const credits = (await contributors.locator('li').allInnerTexts()).map((s) => s.replace(/\s+/g, ' ').trim());
    assert.deepEqual(credits, [`${CLAIM_STUDIO} 60%`, `${PARTNER_STUDIO} 40%`], 'both studios are credited');
    await visit('15-outcome');

    // The challenge is closed (已转化) and links to the outcome.
    await clickTo(page, page.locator('main').getByRole('link', { name: title }), onChallenge);
    await assertStatus(page, '已转化', 'after 成果转化');
    assert.equal(await page.locator(`main a[href="${outcomePath}"]`).count(), 1, 'the challenge links to its outcome');
    await visit('16-challenge-closed');

    // 6. The showcase lists it first.
    await page.goto(`${base}/outcomes`);
    const first = page.locator('ul.cards li.card').first();
    assert.equal(await first.locator('h2').innerText(), title, 'the new outcome heads 成果展示');
    assert.match(await first.innerText(), /可转让/);
    await visit('17-outcomes');
    await logout(page);

    // The claimant (and the partner from the other studio) have been told.
    for (const [who, step] of [
      [CLAIMER, '18-notifications'],
      [PARTNER, '19-notifications-partner'],
    ]) {
      await login(page, base, who);
      await page.goto(`${base}/notifications`);
      const subjects = (await page.locator('ul.notes li a').allInnerTexts()).map((s) => s.trim());
      for (const expected of [
        `恭喜！你们的揭榜方案已获“${title}”挂帅`,
        `“${title}”已通过验收（5 星）`,
        `“${title}”的成果已入库：${title}`,
      ]) {
        assert.ok(subjects.includes(expected), `${who} was notified: ${expected}; has:\n${subjects.join('\n')}`);
      }
      const link = page.locator('ul.notes li a').filter({ hasText: '已通过验收' }).filter({ hasText: title });
      assert.equal(await link.getAttribute('href'), challengePath, 'the notification links to the challenge');
      await visit(step);
      await logout(page);
    }
  });
}

// Fresh contexts (sessions) and a unique title each time; the demo users are reused.
const run = Date.now().toString(36).slice(-5);

test('phone: post, publish, claim with a two-studio team, award, deliver, accept, record the outcome', () =>
  challengeLoop('phone-ch', PHONE, `手机 ${run}`));

test('desktop: post, publish, claim with a two-studio team, award, deliver, accept, record the outcome', () =>
  challengeLoop('desktop-ch', DESKTOP, `桌面 ${run}`));
