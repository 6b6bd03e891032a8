import { questionsMade } from './questions-made';
import { mkdirSync, readFileSync } from 'node:fs';
import { expect, test, type Download, type Page } from '@playwright/test';
import { unzipSync } from 'fflate';

/**
 * The whole journey in one sitting, on the built app (SwiftShader here): open the site → find and
 * open a disease → generate 200 questions → curate them (keyboard and bulk actions) → KG-teacher
 * trajectories → SFT of the micro model → GRPO stage 1 and stage 2 for a few steps (tiny plateau
 * thresholds) → per-tier curves → the Table-4 ablation → export the dataset, a checkpoint and the
 * scale-out bundle (names, sizes and formats checked) → reload: every artefact is still there.
 * A screenshot of each step goes to e2e/screenshots/journey/.
 *
 * The micro model on 200 synthetic questions and a few steps answers near chance: the test checks
 * that the pipeline runs end to end and leaves everything it should, not that the model learned.
 */

const SHOTS = 'e2e/screenshots/journey';

const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });

async function field(page: Page, key: string, value: string) {
  await page.locator(`[data-field="${key}"] input`).first().fill(value);
}

/** "Easy:3 Moderate:2 …" on a chart → counts per line */
async function points(page: Page, chart: string): Promise<Record<string, number>> {
  const attr = (await page.getByTestId(`chart-${chart}`).locator('.chart-host').getAttribute('data-points')) ?? '';
  return Object.fromEntries(attr.split(' ').filter(Boolean).map((p) => [p.split(':')[0]!, Number(p.split(':')[1])]));
}

const nav = (page: Page, view: string) => page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: view, exact: true }).click();

const bytesOf = async (d: Download) => readFileSync((await d.path())!);

/** a safetensors file: 8-byte little-endian header length, a JSON header, then exactly the tensors' bytes */
function safetensorsHeader(buf: Uint8Array): Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }> {
  const n = Number(new DataView(buf.buffer, buf.byteOffset, 8).getBigUint64(0, true));
  expect(n).toBeGreaterThan(2);
  expect(8 + n).toBeLessThan(buf.length);
  const header = JSON.parse(new TextDecoder().decode(buf.subarray(8, 8 + n))) as Record<string, unknown>;
  delete header.__metadata__;
  const tensors = header as ReturnType<typeof safetensorsHeader>;
  const end = Math.max(...Object.values(tensors).map((t) => t.data_offsets[1]));
  expect(8 + n + end).toBe(buf.length);
  for (const t of Object.values(tensors)) expect(t.data_offsets[1] - t.data_offsets[0]).toBe(t.shape.reduce((a, b) => a * b, 1) * (t.dtype === 'F32' ? 4 : 2));
  return tensors;
}

test('the journey: disease → 200 questions → curation → trajectories → SFT → GRPO stages 1 and 2 → ablation → exports → reload keeps everything', async ({ page }) => {
  test.setTimeout(900_000);
  const t0 = Date.now();
  const lap = (what: string) => console.log(`journey ${((Date.now() - t0) / 1000).toFixed(1)} s: ${what}`);
  mkdirSync(SHOTS, { recursive: true });
  await page.setViewportSize({ width: 1440, height: 1000 });

  // ---- 1. open the site: the guide says where to start ------------------------------------
  await page.goto('/');
  await expect(page.getByTestId('graph-ready')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByRole('button', { name: 'Hide the guide' })).toBeVisible();
  await shot(page, '01-open');
  await page.getByRole('button', { name: 'Hide the guide' }).click();
  lap('site open, default graph loaded');

  // ---- 2. search and open a disease ---------------------------------------------------------
  await page.getByRole('searchbox', { name: 'Search entities' }).fill('tuberculosis');
  const hit = page.getByTestId('search-results').getByRole('button').first();
  await expect(hit).toContainText(/tuberculosis/i);
  await hit.click();
  await expect(page).toHaveURL(/node=DOID%3A/);
  await expect(page.getByTestId('node-details').getByRole('heading')).toContainText(/tuberculosis/i);
  await page.getByTestId('neighbour-groups').getByRole('button', { name: /^Expand / }).first().click();
  await expect(page.getByTestId('explorer-canvas')).toHaveAttribute('data-layout', 'done', { timeout: 60_000 });
  await shot(page, '02-disease');
  lap('disease opened');

  // ---- 3. generate 200 questions ---------------------------------------------------------------
  await nav(page, 'Questions');
  const gen = page.getByTestId('generate-panel');
  await gen.getByLabel('Questions', { exact: true }).fill('200');
  await gen.getByRole('button', { name: 'Generate' }).click();
  // a type the graph cannot feed with valid items runs short and the run says so (never padded with easy recall)
  const made = await questionsMade(page, 200);
  await expect(page.getByTestId('filtered-count')).toHaveText(`${made} of ${made}`);
  await shot(page, '03-questions');
  lap(`${made} questions generated`);

  // ---- 4. curate: keyboard for the first few, then accept the rest in bulk ----------------------
  const rows = page.getByTestId('question-row');
  const body = page.locator('body');
  await body.press('j');
  await body.press('r');
  await expect(rows.first().getByTestId('row-status')).toHaveText('rejected');
  const rejectedId = (await rows.first().getAttribute('data-id'))!;
  await body.press('j');
  await body.press('a');
  await expect(rows.nth(1).getByTestId('row-status')).toHaveText('accepted');
  await body.press('j');
  await body.press('r');
  await expect(rows.nth(2).getByTestId('row-status')).toHaveText('rejected');
  await page.getByLabel('Filter status').selectOption('pending');
  await expect(page.getByTestId('filtered-count')).toHaveText(`${made - 3} of ${made}`);
  await page.getByRole('button', { name: 'Accept all' }).click();
  await page.getByLabel('Filter status').selectOption('accepted');
  await expect(page.getByTestId('filtered-count')).toHaveText(`${made - 2} of ${made}`);
  await page.getByLabel('Filter status').selectOption('rejected');
  await expect(page.getByTestId('filtered-count')).toHaveText(`2 of ${made}`);
  await page.getByLabel('Filter status').selectOption('');
  await shot(page, '04-curated');
  lap(`curated: ${made - 2} accepted, 2 rejected`);

  // the dataset export: accepted items only (MedQA JSONL)
  await page.getByLabel('Export which').selectOption('accepted');
  await expect(page.getByTestId('export-count')).toContainText(`${made - 2} of the ${made} filtered`);
  const [qDl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'MedQA JSONL' }).click()]);
  expect(qDl.suggestedFilename()).toMatch(/\.jsonl$/);
  const qLines = (await bytesOf(qDl)).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; options: Record<string, string>; answer_idx: string; answer: string });
  expect(qLines).toHaveLength(made - 2);
  expect(qLines.some((q) => q.id === rejectedId)).toBe(false);
  expect(qLines.every((q) => q.options[q.answer_idx] === q.answer)).toBe(true);

  // ---- 5. trajectories with the built-in KG teacher --------------------------------------------
  await nav(page, 'Trajectories');
  const runPanel = page.getByTestId('run-panel');
  await runPanel.getByLabel('Candidates (k)').fill('1');
  await runPanel.getByLabel('Refinement rounds').fill('1');
  await runPanel.getByRole('button', { name: `Run on ${made - 2} questions` }).click();
  await expect(page.getByTestId('run-summary')).toContainText(`Done: ${made - 2} questions`, { timeout: 240_000 });
  // the teacher writes a chain for the questions it can reason through from the graph (the rest are listed in the summary)
  await expect(page.getByTestId('inspector-count')).toHaveText(/^\d+ questions with trajectories$/);
  const withTrajectories = Number((await page.getByTestId('inspector-count').innerText()).split(' ')[0]);
  expect(withTrajectories).toBeGreaterThan(0);
  expect(withTrajectories).toBeLessThanOrEqual(made - 2);
  await page.getByTestId('inspector-row').first().click();
  await expect(page.getByTestId('trajectory').first().getByTestId('check-badge')).toHaveCount(6);
  await shot(page, '05-trajectories');
  const [sftDl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /^Export SFT set/ }).click()]);
  const sftLines = (await bytesOf(sftDl)).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; completion: Array<{ content: string }> });
  // one line per question whose trajectory passed its checks
  expect(sftLines.length).toBeGreaterThan(0);
  expect(sftLines.length).toBeLessThanOrEqual(made - 2);
  expect(sftLines.every((l) => /^<think>[\s\S]+<\/think><answer>[A-Z]<\/answer>$/.test(l.completion[0]!.content))).toBe(true);
  lap(`trajectories written for ${withTrajectories} questions`);

  // ---- 6. SFT + GRPO stage 1 + stage 2 of the micro model on the curated set --------------------
  await nav(page, 'Train');
  await expect(page.getByRole('heading', { name: 'Train' })).toBeVisible();
  await page.getByRole('button', { name: 'Quick demo' }).click();
  await page.getByRole('radio', { name: /Curated questions/ }).check();
  await page.getByLabel('Which questions').selectOption('accepted');
  await page.getByLabel('Vocabulary size').fill('1024');
  await expect(page.getByTestId('data-summary')).toContainText(/\d+ training items · \d+ held out/, { timeout: 60_000 });
  await page.getByLabel('Run name').fill('journey run');
  await page.getByLabel('show every setting').check();
  await field(page, 'sft.max_steps', '12');
  await field(page, 'sft.per_device_train_batch_size', '8');
  await field(page, 'sft.max_length', '256');
  await field(page, 'grpo.max_steps', '6');
  await field(page, 'grpo.num_generations', '4');
  await field(page, 'grpo.prompts_per_step', '2');
  await field(page, 'grpo.max_completion_length', '24');
  await field(page, 'curriculum.plateau_window', '2');
  await field(page, 'curriculum.stage1_max_steps', '3');
  await field(page, 'curriculum.stage2_num_generations', '4');
  await field(page, 'curriculum.mine_samples', '1');
  await field(page, 'curriculum.remine_every', '50');
  await field(page, 'run.checkpoint_every', '4');
  await page.getByRole('button', { name: 'Start training' }).click();
  const status = page.getByTestId('run-status');
  await expect(status).toHaveText(/training|starting|preparing/, { timeout: 120_000 });
  await expect(page.getByTestId('run-phase')).toHaveText('SFT cold start', { timeout: 120_000 });
  lap('SFT started');
  await expect(page.getByTestId('run-phase')).toHaveText(/GRPO stage/, { timeout: 300_000 });
  lap('GRPO started');
  await expect(page.getByTestId('run-phase')).toHaveText('GRPO stage 2', { timeout: 300_000 });
  await page.locator('.setup-details').evaluate((d) => ((d as HTMLDetailsElement).open = false));
  await shot(page, '06-training');
  await expect(status).toHaveText('completed', { timeout: 300_000 });
  await expect(page.getByTestId('final-heldout')).toContainText('Final held-out accuracy', { timeout: 120_000 });
  lap('run completed');

  // ---- 7. per-tier curves: SFT loss, then reward / accuracy lines per tier, stage marks ---------
  const loss = await points(page, 'loss');
  expect(loss.loss).toBe(18);
  const acc = await points(page, 'accuracy');
  expect(acc.Easy! + (acc.Moderate ?? 0)).toBeGreaterThan(0);
  expect(acc.Difficult ?? 0).toBeGreaterThan(0);
  const marks = page.getByTestId('chart-reward').getByTestId('stage-mark');
  await expect(marks.and(page.locator('[data-kind="stage2_start"]'))).toHaveCount(1);
  await page.getByTestId('rollouts-panel').scrollIntoViewIfNeeded();
  await page.waitForTimeout(500);
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, '07-curves');
  const before = { loss, reward: await points(page, 'reward'), accuracy: acc, marks: await marks.count() };

  // ---- 8. evaluate: the ablation from the run's stage-end checkpoints ---------------------------
  await page.getByRole('link', { name: /Runs & comparison/ }).click();
  const runRow = page.getByTestId('run-row').filter({ hasText: 'journey run' });
  await expect(runRow.getByTestId('run-heldout')).toHaveText(/\d+\.\d%/);
  await runRow.getByRole('button', { name: 'Ablation & export' }).click();
  await page.getByRole('button', { name: 'Compute the ablation' }).click();
  const table = page.getByTestId('ablation-table');
  await expect(table).toBeVisible({ timeout: 300_000 });
  await expect(table.locator('tbody tr')).toHaveCount(4);
  for (const [i, label] of ['Base', '+CoT SFT', '+RL stage 1', '+RL stage 2'].entries()) await expect(table.locator('tbody tr').nth(i).locator('th')).toHaveText(label);
  lap('ablation computed');

  // ---- 9. exports: checkpoint folder and scale-out bundle --------------------------------------
  const ckOptions = await page.getByLabel('Checkpoint to export').locator('option').allInnerTexts();
  expect(ckOptions.some((o) => o.includes('rl_stage2'))).toBe(true);
  const [ckDl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Hugging Face folder (.zip)' }).click()]);
  expect(ckDl.suggestedFilename()).toMatch(/^journey-run-step\d+\.zip$/);
  const ck = unzipSync(new Uint8Array(await bytesOf(ckDl)));
  const folder = ckDl.suggestedFilename().replace(/\.zip$/, '');
  for (const f of ['model.safetensors', 'config.json', 'tokenizer.json', 'tokenizer_config.json']) expect(Object.keys(ck)).toContain(`${folder}/${f}`);
  const config = JSON.parse(new TextDecoder().decode(ck[`${folder}/config.json`]!)) as Record<string, unknown>;
  expect(config.architectures).toEqual(['LlamaForCausalLM']);
  expect(config.hidden_size).toBe(64);
  const tensors = safetensorsHeader(ck[`${folder}/model.safetensors`]!);
  expect(tensors['model.embed_tokens.weight']!.shape).toEqual([config.vocab_size, 64]);
  expect(tensors['model.layers.1.mlp.down_proj.weight']!.dtype).toBe('F32');
  const tok = JSON.parse(new TextDecoder().decode(ck[`${folder}/tokenizer.json`]!)) as { model: { type: string; vocab: Record<string, number> } };
  expect(tok.model.type).toBe('BPE');
  expect(Object.keys(tok.model.vocab).length).toBeLessThanOrEqual(config.vocab_size as number);

  const [soDl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Scale-out bundle (.zip)' }).click()]);
  expect(soDl.suggestedFilename()).toBe('journey-run-scale-out.zip');
  const so = unzipSync(new Uint8Array(await bytesOf(soDl)));
  const names = Object.keys(so).map((n) => n.replace(/^journey-run-scale-out\//, ''));
  for (const f of ['reward.py', 'checkpoint/model.safetensors', 'checkpoint/config.json']) expect(names).toContain(f);
  const dataFiles = names.filter((n) => /^data\/.*\.jsonl$/.test(n));
  expect(dataFiles.length).toBeGreaterThan(0);
  for (const f of dataFiles) {
    const text = new TextDecoder().decode(so[`journey-run-scale-out/${f}`]!).trim();
    expect(text.length).toBeGreaterThan(0);
    for (const line of text.split('\n')) JSON.parse(line);
  }
  safetensorsHeader(so['journey-run-scale-out/checkpoint/model.safetensors']!);
  await shot(page, '08-ablation-exports');
  lap('exports checked');

  // ---- 10. reload: every artefact is still there -------------------------------------------
  await page.reload();
  await expect(page.getByTestId('run-row')).toHaveCount(1, { timeout: 60_000 });
  await expect(page.getByTestId('run-row').getByTestId('run-heldout')).toHaveText(/\d+\.\d%/);
  await page.getByTestId('run-row').getByRole('button', { name: 'Ablation & export' }).click();
  await expect(page.getByLabel('Checkpoint to export').locator('option')).toHaveText(ckOptions);
  await page.getByTestId('run-row').getByRole('button', { name: 'Open' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 60_000 });
  await expect.poll(() => points(page, 'loss'), { timeout: 30_000 }).toEqual(before.loss);
  expect(await points(page, 'reward')).toEqual(before.reward);
  expect(await points(page, 'accuracy')).toEqual(before.accuracy);
  await expect(page.getByTestId('chart-reward').getByTestId('stage-mark')).toHaveCount(before.marks);
  await nav(page, 'Questions');
  await expect(page.getByTestId('filtered-count')).toHaveText(`${made} of ${made}`);
  await page.getByLabel('Filter status').selectOption('accepted');
  await expect(page.getByTestId('filtered-count')).toHaveText(`${made - 2} of ${made}`);
  await page.getByLabel('Filter status').selectOption('');
  await nav(page, 'Trajectories');
  await expect(page.getByTestId('inspector-count')).toHaveText(`${withTrajectories} questions with trajectories`);
  await nav(page, 'Storage');
  await expect(page.getByText('journey run').first()).toBeVisible({ timeout: 30_000 });
  await shot(page, '09-after-reload');
  lap('reload: everything still there');
});
