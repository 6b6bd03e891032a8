import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';

/**
 * A micro run on the tiny built-in task (SwiftShader: seconds per step), with thresholds so small
 * that stage 1 plateaus within a few steps: the tier lines grow, pause and resume hold, the stage
 * marks appear, a reload shows the same curves from IndexedDB; a second run is interrupted by a
 * reload and resumed from its checkpoint; the two are compared; the ablation exports as CSV.
 * Screenshots go to e2e/screenshots/.
 */

const SHOTS = 'e2e/screenshots';

async function field(page: Page, key: string, value: string) {
  const input = page.locator(`[data-field="${key}"] input`).first();
  await input.fill(value);
}

/** tiny settings: a handful of steps, stage 1 ends after 3 GRPO steps at the latest */
async function tinyRun(page: Page, name: string, sft: number, grpo: number) {
  await page.getByRole('button', { name: 'Quick demo' }).click();
  await page.getByLabel('Run name').fill(name);
  await field(page, 'sft.max_steps', String(sft));
  await field(page, 'grpo.max_steps', String(grpo));
  await field(page, 'grpo.num_generations', '4');
  await field(page, 'grpo.prompts_per_step', '3');
  await field(page, 'grpo.max_completion_length', '24');
  // a high SFT learning rate and a cooler sampler: a few dozen steps teach the answer format
  await field(page, 'sft.learning_rate', '0.01');
  await field(page, 'grpo.temperature', '0.7');
  await field(page, 'curriculum.plateau_window', '2');
  await field(page, 'curriculum.stage1_max_steps', '3');
  await field(page, 'curriculum.stage2_num_generations', '4');
  await field(page, 'curriculum.mine_samples', '1');
  await field(page, 'curriculum.remine_every', '50');
  await field(page, 'run.checkpoint_every', '2');
  await page.getByRole('button', { name: 'Start training' }).click();
}

/** "Easy:3 Moderate:2 …" → counts */
async function points(page: Page, chart: string): Promise<Record<string, number>> {
  const attr = (await page.getByTestId(`chart-${chart}`).locator('.chart-host').getAttribute('data-points')) ?? '';
  return Object.fromEntries(attr.split(' ').filter(Boolean).map((p) => [p.split(':')[0]!, Number(p.split(':')[1])]));
}

const stepOf = async (page: Page) => Number((await page.getByTestId('run-step').innerText()).match(/step (\d+)/)![1]);

test('a micro run: tier curves, pause/resume, stage marks, reload from IndexedDB, interrupted run resumed, comparison, ablation CSV', async ({ page }) => {
  test.setTimeout(900_000);
  mkdirSync(SHOTS, { recursive: true });
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto('/#/train');
  const hideGuide = page.getByRole('button', { name: 'Hide the guide' });
  if (await hideGuide.isVisible().catch(() => false)) await hideGuide.click();
  await expect(page.getByRole('heading', { name: 'Train' })).toBeVisible();
  await expect(page.getByTestId('data-summary')).toContainText('training items', { timeout: 60_000 });

  // ---- run 1 -------------------------------------------------------------------------------
  // enough SFT that the policy writes the answer format some of the time: the curves have something to show
  await tinyRun(page, 'e2e run A', 60, 9);
  const status = page.getByTestId('run-status');
  await expect(status).toHaveText(/training|starting/, { timeout: 120_000 });
  await expect(page.getByTestId('run-phase')).toHaveText('GRPO stage 1', { timeout: 300_000 });

  // Easy and Moderate lines grow in stage 1
  await expect.poll(async () => (await points(page, 'accuracy')).Easy ?? 0, { timeout: 120_000 }).toBeGreaterThan(0);
  const early = await points(page, 'accuracy');

  // pause: the step stops advancing; resume: it moves again
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(status).toHaveText('paused', { timeout: 120_000 });
  const pausedAt = await stepOf(page);
  await page.waitForTimeout(4000);
  expect(await stepOf(page)).toBe(pausedAt);
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(status).not.toHaveText('paused');
  await expect.poll(() => stepOf(page), { timeout: 120_000 }).toBeGreaterThan(pausedAt);

  // input latency while training: click → next painted frame, on the settings panel's summary
  await page.evaluate(() => {
    const w = window as unknown as { __lat: number[] };
    w.__lat = [];
    document.addEventListener(
      'click',
      (e) => {
        const t0 = e.timeStamp;
        requestAnimationFrame(() => setTimeout(() => w.__lat.push(performance.now() - t0), 0));
      },
      { capture: true },
    );
  });
  const summary = page.locator('.setup-details > summary');
  for (let i = 0; i < 10; i++) {
    await summary.click();
    await page.waitForTimeout(300);
  }
  const lat = (await page.evaluate(() => (window as unknown as { __lat: number[] }).__lat)).sort((a, b) => a - b);
  const p50 = lat[Math.floor(lat.length / 2)]!;
  const max = lat[lat.length - 1]!;
  console.log(`input latency during training (click → next frame, ${lat.length} clicks): p50 ${p50.toFixed(1)} ms, max ${max.toFixed(1)} ms`);
  writeFileSync(`${SHOTS}/input-latency.json`, JSON.stringify({ what: 'click on the Train view during a micro run (SwiftShader), click → next frame', clicks: lat.length, p50Ms: +p50.toFixed(1), maxMs: +max.toFixed(1), samplesMs: lat.map((x) => +x.toFixed(1)) }, null, 2));
  expect(p50).toBeLessThan(100);

  // stage 1 plateaus (tiny thresholds): its mark and the stage-2 mark appear; Difficult joins in stage 2
  const marks = page.getByTestId('chart-reward').getByTestId('stage-mark');
  await expect(marks.and(page.locator('[data-kind="plateau"]'))).toHaveCount(1, { timeout: 240_000 });
  await expect(marks.and(page.locator('[data-kind="stage2_start"]'))).toHaveCount(1, { timeout: 240_000 });
  await expect.poll(async () => (await points(page, 'accuracy')).Difficult ?? 0, { timeout: 240_000 }).toBeGreaterThan(0);
  const mid = await points(page, 'accuracy');
  expect(mid.Easy! + mid.Moderate!).toBeGreaterThan(early.Easy! + (early.Moderate ?? 0));
  // the reason shows on hover
  const plateau = marks.and(page.locator('[data-kind="plateau"]'));
  await plateau.hover();
  await expect(plateau.locator('.chart-flag-tip')).toBeVisible();
  await expect(plateau.locator('.chart-flag-tip')).toContainText(/plateau at step \d+/);
  await page.mouse.move(5, 5);
  // charts off screen are redrawn when they scroll into view: pass over them before the full-page shot
  await page.getByTestId('rollouts-panel').scrollIntoViewIfNeeded();
  await page.waitForTimeout(500);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(300);
  await page.locator('.setup-details').evaluate((d) => ((d as HTMLDetailsElement).open = false));
  await page.screenshot({ path: `${SHOTS}/train-mid-run.png`, fullPage: true });

  await expect(status).toHaveText('completed', { timeout: 300_000 });
  await expect(page.getByTestId('final-heldout')).toContainText('Final held-out accuracy', { timeout: 120_000 });
  const before = { reward: await points(page, 'reward'), loss: await points(page, 'loss'), step: await stepOf(page), marks: await marks.count() };

  // reload: the same curves, from IndexedDB
  await page.reload();
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 60_000 });
  await expect.poll(() => points(page, 'loss'), { timeout: 30_000 }).toEqual(before.loss);
  expect(await points(page, 'reward')).toEqual(before.reward);
  expect(await stepOf(page)).toBe(before.step);
  await expect(page.getByTestId('chart-reward').getByTestId('stage-mark')).toHaveCount(before.marks);

  // ---- run 2: interrupted by a reload, resumed from its last checkpoint -----------------------
  await page.locator('.setup-details > summary').click();
  await tinyRun(page, 'e2e run B', 6, 2);
  await expect(page.getByTestId('run-status')).toHaveText('training', { timeout: 120_000 });
  await expect.poll(() => stepOf(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(3);
  await page.reload();
  await expect(page.getByTestId('run-status')).toHaveText('interrupted', { timeout: 60_000 });
  await expect(page.getByTestId('interrupted-note')).toBeVisible();
  const stored = await points(page, 'loss');
  expect(stored.loss).toBeGreaterThanOrEqual(2);
  await page.getByTestId('resume-from-checkpoint').click();
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 300_000 });
  expect((await points(page, 'loss')).loss).toBe(8);

  // ---- comparison and ablation -----------------------------------------------------------------
  await page.getByRole('link', { name: /Runs & comparison/ }).click();
  const rows = page.getByTestId('run-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: 'e2e run A' }).getByTestId('run-heldout')).toHaveText(/\d+\.\d%/);
  await page.getByLabel('compare e2e run A').check();
  await page.getByLabel('compare e2e run B').check();
  await expect(page.getByTestId('comparison-chart')).toHaveAttribute('data-runs', '2', { timeout: 30_000 });
  await page.getByLabel('Comparison metric').selectOption('loss');
  await rows.filter({ hasText: 'e2e run A' }).getByRole('button', { name: 'Ablation & export' }).click();
  await page.getByRole('button', { name: 'Compute the ablation' }).click();
  const table = page.getByTestId('ablation-table');
  await expect(table).toBeVisible({ timeout: 300_000 });
  await expect(table.locator('tbody tr')).toHaveCount(4);
  await expect(table.locator('tbody tr').first()).toContainText('Base');
  await page.screenshot({ path: `${SHOTS}/train-comparison.png`, fullPage: true });
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  const csv = readFileSync((await download.path())!, 'utf8').trim().split('\n');
  expect(csv[0]).toContain('variant,checkpoint_step,easy_acc,moderate_acc,difficult_acc,heldout_acc,imported_acc');
  expect(csv.slice(1).map((l) => l.split(',')[0])).toEqual(['Base', '+CoT SFT', '+RL stage 1', '+RL stage 2']);
  // base and SFT rows were evaluated (stage rows too, since the run reached stage 2)
  expect(csv[1]!.split(',')[5]).toMatch(/^\d+\.\d$/);
  expect(csv[4]!.split(',')[5]).toMatch(/^\d+\.\d$/);
});

test('Bench: the training-step benchmark, ours vs the same model in tfjs on this adapter, as a chart and a table', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/#/bench');
  const section = page.getByTestId('step-bench');
  await section.getByRole('button', { name: 'Run the training-step benchmark' }).click();
  const results = page.getByTestId('step-bench-results');
  await expect(results).toBeVisible({ timeout: 240_000 });
  await expect(results).toContainText('swiftshader');
  await expect(results.locator('svg.step-bars rect')).toHaveCount(2);
  const row = results.locator('table').first().locator('tbody tr').first();
  await expect(row).toContainText('micro');
  await expect(row.locator('td').nth(5)).toHaveText(/^\d+(\.\d+)?× /);
  // both sides computed the same first step from the same weights
  expect(Number(await row.locator('td').nth(7).innerText())).toBeLessThan(1e-3);
});
