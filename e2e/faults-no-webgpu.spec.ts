import { mkdirSync, readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { chromiumLaunchOptions } from '../browser-launch.ts';
import { field, SHOTS, stepOf } from './fault-helpers';

/**
 * A browser where WebGPU gives no adapter — Chromium on Linux without the unsafe-WebGPU flag, in
 * the page and in every worker alike (an init script could only hide it from the page). The app
 * says so; the graph, synthesis, curation, trajectories and exports work; and the Train view says
 * it will train on the CPU reference model, and does (the micro preset, slowly).
 */
const launch = chromiumLaunchOptions();
test.use({ launchOptions: { ...launch, args: launch.args.filter((a) => a !== '--enable-unsafe-webgpu') } });

test('no WebGPU: said plainly; graph, questions, curation, trajectories, exports work; training runs on the CPU model with a note', async ({ page }) => {
  test.setTimeout(600_000);
  mkdirSync(SHOTS, { recursive: true });
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto('/');
  const banner = page.getByTestId('gpu-missing');
  await expect(banner).toContainText('WebGPU is present but no GPU adapter was found.');
  await expect(banner).toContainText('falls back to the CPU reference model');
  await page.getByRole('button', { name: 'Hide the guide' }).click();

  // graph
  await expect(page.getByTestId('graph-ready')).toBeVisible({ timeout: 120_000 });
  await page.getByRole('searchbox', { name: 'Search entities' }).fill('asthma');
  await page.getByTestId('search-results').getByRole('button').first().click();
  await expect(page.getByTestId('node-details').getByRole('heading')).toContainText('asthma');

  // synthesis and curation
  await page.goto('/#/questions');
  const gen = page.getByTestId('generate-panel');
  await gen.getByLabel('Questions', { exact: true }).fill('40');
  await gen.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByTestId('generate-summary')).toContainText('40 questions saved', { timeout: 120_000 });
  await page.locator('body').press('j');
  await page.locator('body').press('r');
  await page.getByLabel('Filter status').selectOption('pending');
  await page.getByRole('button', { name: 'Accept all' }).click();
  await page.getByLabel('Filter status').selectOption('accepted');
  await expect(page.getByTestId('filtered-count')).toHaveText('39 of 40');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'TRL chat JSONL' }).click()]);
  expect(readFileSync((await dl.path())!, 'utf8').trim().split('\n')).toHaveLength(39);

  // trajectories with the built-in teacher, and the SFT export
  await page.goto('/#/trajectories');
  const run = page.getByTestId('run-panel');
  await run.getByLabel('Candidates (k)').fill('2');
  await run.getByRole('button', { name: 'Run on 39 questions' }).click();
  await expect(page.getByTestId('run-summary')).toContainText('Done: 39 questions', { timeout: 120_000 });
  const [sft] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /^Export SFT set/ }).click()]);
  // one line per question with a trajectory that passed its checks
  const sftLines = readFileSync((await sft.path())!, 'utf8').trim().split('\n');
  expect(sftLines.length).toBeGreaterThan(0);
  expect(sftLines.length).toBeLessThanOrEqual(39);
  expect(sftLines.every((l) => (JSON.parse(l) as { prompt: unknown[] }).prompt.length > 0)).toBe(true);

  // training: the view says where it will run, then a tiny run trains on the CPU reference model
  await page.goto('/#/train');
  await expect(page.getByTestId('cpu-fallback-note')).toContainText('the run trains on the CPU reference model');
  await expect(page.getByTestId('data-summary')).toContainText('training items', { timeout: 90_000 });
  await page.getByRole('button', { name: 'Quick demo' }).click();
  await page.getByLabel('Run name').fill('cpu run');
  await field(page, 'sft.max_steps', '4');
  await field(page, 'grpo.max_steps', '2');
  await field(page, 'grpo.num_generations', '2');
  await field(page, 'grpo.prompts_per_step', '1');
  await field(page, 'grpo.max_completion_length', '8');
  await field(page, 'curriculum.stage1_max_steps', '1');
  await field(page, 'curriculum.stage2_num_generations', '2');
  await field(page, 'curriculum.mine_samples', '1');
  await page.getByRole('button', { name: 'Start training' }).click();
  const controls = page.getByTestId('run-controls');
  await expect(controls).toContainText('CPU reference model', { timeout: 120_000 });
  await expect.poll(() => stepOf(page), { timeout: 300_000 }).toBeGreaterThanOrEqual(1);
  await page.screenshot({ path: `${SHOTS}/no-webgpu-train.png`, fullPage: true });
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 400_000 });
  const times = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((res) => {
      const r = indexedDB.open('fleming-workbench');
      r.onsuccess = () => res(r.result);
    });
    const rows = await new Promise<Array<{ phase: string; step_time: number }>>((res) => {
      const r = db.transaction('metrics').objectStore('metrics').getAll();
      r.onsuccess = () => res(r.result);
    });
    return rows.map((r) => `${r.phase} ${r.step_time.toFixed(2)} s`);
  });
  console.log(`CPU reference model, micro preset, quick-demo batch sizes: ${times.join(', ')}`);
});
