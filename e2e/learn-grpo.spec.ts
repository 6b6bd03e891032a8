import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';

/**
 * The classroom on a live micro model warmed up in the page's worker: a group with differing
 * rewards, advantages and token colours; loss_type recomputes the same step; Step applies one
 * update (log-probabilities move, colours change as ratios leave 1); a new sample brings new
 * advantages; the lesson drives the controls; desktop and presenter screenshots.
 */
const SHOTS = 'e2e/screenshots';

const grads = (page: Page) => page.locator('[data-testid="tokens"] .tok').evaluateAll((els) => els.map((e) => e.getAttribute('data-grad')).join(' '));

test('Learn GRPO: group, advantages, token colours, loss_type recompute, Step, lesson, presenter layout', async ({ page }) => {
  test.setTimeout(600_000);
  mkdirSync(SHOTS, { recursive: true });
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto('/#/learn');
  const hideGuide = page.getByRole('button', { name: 'Hide the guide' });
  if (await hideGuide.isVisible().catch(() => false)) await hideGuide.click();
  await page.getByLabel('Warm-up steps').fill('60');
  await page.getByRole('button', { name: 'Warm up and open' }).click();
  await expect(page.getByTestId('open-progress')).toBeVisible();
  const cards = page.getByTestId('completion-card');
  await expect(cards).toHaveCount(6, { timeout: 300_000 });
  await expect(page.getByTestId('learn-prompt')).not.toBeEmpty();

  // a group whose rewards differ: advantages of both signs, and coloured tokens
  const advantages = async () => (await page.getByTestId('advantage').allInnerTexts()).map((t) => Number(t.replace('−', '-')));
  await expect.poll(async () => new Set((await advantages()).map((a) => Math.sign(a))).size, { timeout: 120_000 }).toBeGreaterThan(1);
  const a0 = await advantages();
  // group scaling: the advantages of one group have mean 0 and (sample) std ≈ 1
  const mean = a0.reduce((x, y) => x + y, 0) / a0.length;
  expect(Math.abs(mean)).toBeLessThan(0.01);
  const grads0 = await grads(page);
  expect(grads0.split(' ').some((g) => Number(g) !== 0)).toBe(true);
  await expect(page.getByTestId('number-line')).toBeVisible();

  // switching loss_type recomputes the same step: other weights, other numbers
  const lossGrpo = await page.getByTestId('loss-value').innerText();
  await page.getByRole('radio', { name: 'dapo', exact: true }).click();
  await expect.poll(() => grads(page)).not.toBe(grads0);
  const gradsDapo = await grads(page);
  await page.getByRole('radio', { name: 'paper', exact: true }).click();
  await expect(page.getByTestId('loss-value')).not.toHaveText(lossGrpo);
  await page.getByRole('radio', { name: 'grpo', exact: true }).click();
  await expect.poll(() => grads(page)).toBe(grads0);
  expect(gradsDapo).not.toBe(grads0);
  // scale_rewards none: the paper's r − mean
  await page.getByRole('radio', { name: 'none', exact: true }).click();
  await expect(page.getByTestId('advantage-formula')).toContainText('no division');
  const aNone = await advantages();
  expect(aNone).not.toEqual(a0);
  await page.getByRole('radio', { name: 'group', exact: true }).click();
  await page.screenshot({ path: `${SHOTS}/learn-desktop.png`, fullPage: true });

  // Step: one update; the log-probabilities move and the token colours change (ratios ≠ 1 now)
  await page.getByTestId('step-button').click();
  await expect(page.getByTestId('step-result')).toContainText('Step 1', { timeout: 120_000 });
  await expect(page.getByTestId('logp-shift')).toHaveCount(6);
  await expect(page.getByTestId('step-count')).toHaveText('1');
  await expect.poll(() => grads(page)).not.toBe(grads0);
  // most completions moved the way their advantage says
  const shifts = (await page.getByTestId('logp-shift').allInnerTexts()).map((t) => Number(t.replace(/[▲▼·]/g, '').replace('−', '-').trim().split(' ')[0]));
  const agree = shifts.filter((s, i) => Math.sign(s) === Math.sign(a0[i]!)).length;
  expect(agree).toBeGreaterThanOrEqual(4);
  await page.screenshot({ path: `${SHOTS}/learn-after-step.png`, fullPage: true });

  // a fresh group from the updated policy: new advantages
  await page.getByRole('button', { name: /^Sample 6 completions$/ }).click();
  await expect.poll(async () => JSON.stringify(await advantages()), { timeout: 120_000 }).not.toBe(JSON.stringify(a0));
  await page.getByRole('button', { name: 'Find a mixed group' }).click();
  await expect.poll(async () => new Set((await advantages()).map((a) => Math.sign(a))).size, { timeout: 180_000 }).toBeGreaterThan(1);

  // the lesson drives the controls it talks about
  await page.getByRole('button', { name: 'Start the 5-minute lesson' }).click();
  const bar = page.getByTestId('lesson-bar');
  await expect(bar).toContainText('One question, G answers');
  await bar.getByRole('button', { name: 'Next →' }).click();
  await expect(bar).toContainText('The group is its own baseline');
  await expect(page.getByTestId('advantage-formula')).toContainText('no division');
  await bar.getByRole('button', { name: 'Next →' }).click();
  await expect(page.getByTestId('advantage-formula')).toContainText('std of the group');

  // presenter layout: large type, same numbers
  await page.getByRole('button', { name: 'Presenter layout' }).click();
  await expect(page).toHaveURL(/presenter=1/);
  await expect(page.getByTestId('learn-view')).toHaveClass(/presenter/);
  const size = await page.getByTestId('learn-view').evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  expect(size).toBeGreaterThanOrEqual(22);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.screenshot({ path: `${SHOTS}/learn-presenter.png`, fullPage: true });
  await expect(page.getByTestId('paper-panel')).toContainText('A(x, yᵢ) = r(x, yᵢ) − r̄_G(x)');
});
