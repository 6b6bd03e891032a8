import { questionsMade } from './questions-made';
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { parquetReadObjects } from 'hyparquet';

test('generate, filter, reject, edit, reload, export JSONL and parquet', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/#/questions');
  const gen = page.getByTestId('generate-panel');
  await gen.getByLabel('Questions', { exact: true }).fill('200');
  await gen.getByRole('button', { name: 'Generate' }).click();
  const made = await questionsMade(page, 200);
  await expect(page.getByTestId('filtered-count')).toHaveText(`${made} of ${made}`);

  await page.getByLabel('Filter difficulty').selectOption('difficult');
  const countText = await page.getByTestId('filtered-count').innerText();
  const difficult = Number(countText.split(' of ')[0]);
  expect(difficult).toBeGreaterThan(0);
  expect(difficult).toBeLessThan(made);

  // keyboard flow: j selects the first row, r rejects it; j moves on, e edits
  const rows = page.getByTestId('question-row');
  await page.locator('body').press('j');
  await expect(rows.first()).toHaveAttribute('aria-selected', 'true');
  const rejectedId = (await rows.first().getAttribute('data-id'))!;
  await page.locator('body').press('r');
  await expect(rows.first().getByTestId('row-status')).toHaveText('rejected');
  await page.locator('body').press('j');
  await expect(rows.nth(1)).toHaveAttribute('aria-selected', 'true');
  const editedId = (await rows.nth(1).getAttribute('data-id'))!;
  await expect(page.getByTestId('provenance-graph').locator('canvas').first()).toBeAttached();
  await page.locator('body').press('e');
  const stem = page.getByLabel('Stem');
  await stem.fill('Edited stem: which option is correct?');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('detail-question')).toHaveText('Edited stem: which option is correct?');

  // both persist in IndexedDB
  await page.reload();
  await expect(page.getByTestId('filtered-count')).toHaveText(`${made} of ${made}`);
  await page.getByLabel('Filter difficulty').selectOption('difficult');
  await expect(page.locator(`[data-id="${rejectedId}"]`).getByTestId('row-status')).toHaveText('rejected');
  await page.locator(`[data-id="${editedId}"]`).click();
  await expect(page.getByTestId('detail-question')).toHaveText('Edited stem: which option is correct?');
  await expect(page.getByTestId('history')).toContainText('Edit history (1)');

  // export the filtered set: by default the rejected item stays out, and the view says so
  await expect(page.getByTestId('export-count')).toContainText(`${difficult - 1} of the ${difficult} filtered (1 rejected left out)`);
  const [jsonl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'MedQA JSONL' }).click()]);
  expect(jsonl.suggestedFilename()).toMatch(/\.jsonl$/);
  const lines = readFileSync((await jsonl.path())!, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  expect(lines).toHaveLength(difficult - 1);
  expect(lines.some((l) => l.id === rejectedId)).toBe(false);
  expect(lines.every((l) => l.difficulty === 'difficult' && l.options[l.answer_idx] === l.answer)).toBe(true);
  expect(lines.find((l) => l.id === editedId).question).toBe('Edited stem: which option is correct?');
  await expect(page.getByTestId('export-done')).toContainText(`Exported ${difficult - 1} questions (0 accepted, ${difficult - 1} pending) as MedQA JSONL`);
  // asked for, the rejected one is exported too
  await page.getByLabel('Export which').selectOption('all');
  const [all] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'MedQA JSONL' }).click()]);
  expect(readFileSync((await all.path())!, 'utf8').trim().split('\n')).toHaveLength(difficult);
  await page.getByLabel('Export which').selectOption('usable');

  const [pq] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'verl parquet' }).click()]);
  expect(pq.suggestedFilename()).toMatch(/\.parquet$/);
  const buf = readFileSync((await pq.path())!);
  const table = (await parquetReadObjects({ file: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) })) as Record<string, any>[];
  expect(table).toHaveLength(difficult - 1);
  expect(table[0]!.reward_model.style).toBe('rule');
  expect(table[0]!.prompt[1].role).toBe('user');
  expect(table.every((r) => r.extra_info.difficulty === 'difficult')).toBe(true);
});

test('import reports bad rows by line and imports only on consent; generation can be cancelled', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/#/questions');
  const imp = page.getByTestId('import-panel');
  await imp.locator('summary').click();
  await imp.getByLabel('Import format').selectOption('medqa');
  const rows = [
    { question: 'Which nerve supplies the deltoid?', options: { A: 'Axillary', B: 'Radial', C: 'Ulnar', D: 'Median' }, answer_idx: 'A', answer: 'Axillary' },
    { question: 'Broken answer?', options: { A: 'x', B: 'y', C: 'z' }, answer_idx: 'F' },
    { question: 'Which vitamin deficiency causes scurvy?', options: { A: 'B12', B: 'C', C: 'D' }, answer_idx: 'B', answer: 'C' },
  ];
  const text = rows.map((r) => JSON.stringify(r)).join('\n') + '\n{not json';
  await imp.getByLabel('QA file').setInputFiles({ name: 'bad.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(text) });
  await imp.getByRole('button', { name: 'Import', exact: true }).click();
  const alert = imp.getByRole('alert');
  await expect(alert).toContainText('2 bad row(s) of 4; nothing was imported');
  await expect(alert).toContainText('line 2: bad answer');
  await expect(alert).toContainText('line 4: invalid json');
  await expect(page.getByTestId('filtered-count')).toHaveText('0 of 0');
  await alert.getByRole('button', { name: /Skip the bad rows and import the other 2/ }).click();
  await expect(imp.getByRole('status')).toContainText('Imported 2 question(s), skipped 2 bad row(s)');
  await expect(page.getByTestId('filtered-count')).toHaveText('2 of 2');

  const gen = page.getByTestId('generate-panel');
  await gen.getByLabel('Questions', { exact: true }).fill('50000');
  await gen.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByTestId('generate-progress')).toBeVisible();
  await page.getByTestId('cancel-generate').click();
  await expect(page.getByTestId('generate-summary')).toContainText('Cancelled', { timeout: 60_000 });
  const saved = Number((await page.getByTestId('filtered-count').innerText()).split(' of ')[1]!.replace(/,/g, ''));
  expect(saved).toBeGreaterThan(2);
  expect(saved).toBeLessThan(50_002);
  await page.getByLabel('Filter source').selectOption('medqa');
  await expect(page.getByTestId('filtered-count')).toHaveText(`2 of ${saved.toLocaleString('en')}`);
});
