import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { SHOTS } from './fault-helpers';

/**
 * The domain worker (graph, synthesis, trajectories, workspace) dies in the middle of a question
 * generation: the page says so, the generation reports its own error, the questions saved before
 * the crash stay, and a fresh worker is started with the graph reloaded — generating, searching
 * and writing trajectories work again without a page reload.
 */

const count = async (page: Page) => Number((await page.getByTestId('filtered-count').innerText()).split(' of ')[1]!.replace(/,/g, ''));

async function domainWorker(page: Page) {
  await expect.poll(() => page.workers().some((w) => /domain\.worker/.test(w.url())), { timeout: 30_000 }).toBe(true);
  return page.workers().find((w) => /domain\.worker/.test(w.url()))!;
}

test('the domain worker dies mid-generation: error shown, saved questions kept, worker restarted, everything works again', async ({ page }) => {
  test.setTimeout(300_000);
  mkdirSync(SHOTS, { recursive: true });
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto('/#/questions');
  const hide = page.getByRole('button', { name: 'Hide the guide' });
  if (await hide.isVisible().catch(() => false)) await hide.click();
  const gen = page.getByTestId('generate-panel');

  // some questions saved before the fault
  await gen.getByLabel('Questions', { exact: true }).fill('30');
  await gen.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByTestId('generate-summary')).toContainText('30 questions saved', { timeout: 120_000 });

  // a long generation, killed while it runs
  await gen.getByLabel('Seed').fill('2');
  await gen.getByLabel('Questions', { exact: true }).fill('50000');
  await gen.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByTestId('generate-progress')).toBeVisible();
  await expect.poll(() => count(page), { timeout: 120_000 }).toBeGreaterThan(30);
  const oldWorker = await domainWorker(page);
  await oldWorker.evaluate(() => self.close()).catch(() => {});

  // said at the top of the page and by the generation itself
  const notice = page.getByTestId('worker-notice');
  await expect(notice).toContainText('The background worker (graph, questions, trajectories) stopped unexpectedly', { timeout: 30_000 });
  await expect(notice).toContainText('It was restarted and the graph reloaded; everything saved so far');
  await expect(page.getByTestId('generate-error')).toContainText('Generation stopped: The background worker (graph, questions, trajectories) stopped unexpectedly');
  await expect(page.getByTestId('generate-error')).toContainText('Questions saved before this are kept');
  await expect(page.getByTestId('generate-progress')).toBeHidden();
  await page.screenshot({ path: `${SHOTS}/domain-worker-crash.png`, fullPage: true });

  // what was saved before the crash is all there, and stays put
  const afterCrash = await count(page);
  expect(afterCrash).toBeGreaterThan(30);
  await page.reload();
  await expect.poll(() => count(page), { timeout: 30_000 }).toBe(afterCrash);
  await expect(page.getByTestId('worker-notice')).toBeHidden(); // a reload starts clean

  // kill it again while idle, then use every service: a new worker answers
  await (await domainWorker(page)).evaluate(() => self.close()).catch(() => {});
  await expect(page.getByTestId('worker-notice')).toBeVisible({ timeout: 30_000 });
  await gen.getByLabel('Seed').fill('3');
  await gen.getByLabel('Questions', { exact: true }).fill('10');
  await gen.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByTestId('generate-summary')).toContainText('10 questions saved', { timeout: 120_000 });
  expect(await count(page)).toBe(afterCrash + 10);

  await page.goto('/#/trajectories');
  await page.getByLabel('At most').fill('5');
  const run = page.getByTestId('run-panel');
  await run.getByLabel('Candidates (k)').fill('1');
  await run.getByRole('button', { name: 'Run on 5 questions' }).click();
  await expect(page.getByTestId('run-summary')).toContainText('Done: 5 questions', { timeout: 120_000 });

  await page.goto('/#/graph');
  await expect(page.getByTestId('graph-ready')).toBeVisible({ timeout: 60_000 });
  await page.getByRole('searchbox', { name: 'Search entities' }).fill('asthma');
  await expect(page.getByTestId('search-results').getByRole('button').first()).toContainText('asthma');
});
