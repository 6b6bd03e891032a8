/**
 * Workspaces: everything exported as one file from one browser profile comes back whole
 * in a fresh profile (graph library, active graph, questions); a damaged file is refused
 * with a message and changes nothing; the Storage view shows what takes space, deletes
 * per item, and explains persistence before asking for it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { expect, test, type Page } from '@playwright/test';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);

async function importQa(page: Page) {
  await page.goto('/#/questions');
  const imp = page.getByTestId('import-panel');
  await imp.locator('summary').click();
  await imp.getByLabel('Import format').selectOption('medqa');
  const rows = [
    { question: 'Which nerve supplies the deltoid?', options: { A: 'Axillary', B: 'Radial', C: 'Ulnar', D: 'Median' }, answer_idx: 'A', answer: 'Axillary' },
    { question: 'Which vitamin deficiency causes scurvy?', options: { A: 'B12', B: 'C', C: 'D' }, answer_idx: 'B', answer: 'C' },
  ];
  await imp.getByLabel('QA file').setInputFiles({ name: 'two.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(rows.map((r) => JSON.stringify(r)).join('\n')) });
  await imp.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(imp.getByRole('status')).toContainText('Imported 2 question(s)');
}

test('a workspace exported from one profile imports whole into a fresh one; a damaged file changes nothing', async ({ page, browser }) => {
  test.setTimeout(240_000);
  await page.goto('/#/graph');
  await expect(page.getByTestId('graph-ready')).toBeVisible({ timeout: 60_000 });
  await page.getByText(/^Graphs in this browser/).click();
  await page.getByLabel('Graph file').setInputFiles(fixture('mini-hetionet.json'));
  await page.getByLabel('Graph name').fill('Mini Hetionet');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByTestId('graph-name')).toHaveText('Mini Hetionet');
  await importQa(page);

  // what takes space, per item
  await page.goto('/#/storage');
  const items = page.getByTestId('storage-items');
  await expect(items.locator('tr', { hasText: 'Graph "Mini Hetionet"' })).toBeVisible();
  await expect(items.locator('tr', { hasText: 'Imported medqa questions' })).toContainText('2');
  await expect(items.locator('tr', { hasText: 'Built-in medical graph' })).toBeVisible();

  // export: one file, and the view says what is in it
  const ws = page.getByTestId('workspace-file');
  const [download] = await Promise.all([page.waitForEvent('download'), ws.getByRole('button', { name: 'Export workspace' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^fleming-workspace-.*\.flmws$/);
  await expect(ws.getByTestId('export-done')).toContainText(/questions 2/);
  await expect(ws.getByTestId('export-done')).toContainText("Left out: the built-in graph's cached copy");
  const file = join(tmpdir(), `ws-${Date.now()}.flmws`);
  writeFileSync(file, readFileSync((await download.path())!));

  // a damaged copy is refused with a message saying where, and nothing changes
  const bytes = readFileSync(file);
  const damaged = Buffer.from(bytes);
  damaged[Math.floor(bytes.length / 2)]! ^= 0x20;
  const damagedFile = file.replace('.flmws', '-damaged.flmws');
  writeFileSync(damagedFile, damaged);
  const before = await items.locator('tbody').first().innerText();
  await ws.getByLabel('Workspace file', { exact: true }).setInputFiles(damagedFile);
  page.once('dialog', (d) => void d.accept());
  await ws.getByRole('button', { name: 'Import workspace' }).click();
  const err = page.getByTestId('workspace-error');
  await expect(err).toContainText(/fails its checksum|damaged/);
  await expect(err).toContainText('Nothing in this browser was changed');
  await page.reload();
  const table = page.getByTestId('storage-items').locator('tbody').first();
  await expect(table.locator('tr', { hasText: 'Imported medqa questions' })).toBeVisible();
  expect(await table.innerText()).toBe(before);

  // a fresh profile: import the file, get the same workspace
  const fresh = await browser.newContext();
  const p2 = await fresh.newPage();
  await p2.goto('/#/storage');
  await expect(p2.getByTestId('storage-items').locator('tr', { hasText: 'Imported medqa questions' })).toHaveCount(0);
  await p2.getByTestId('workspace-file').getByLabel('Workspace file', { exact: true }).setInputFiles(file);
  p2.once('dialog', (d) => void d.accept());
  await p2.getByTestId('workspace-file').getByRole('button', { name: 'Import workspace' }).click();
  await expect(p2.getByTestId('storage-notice')).toContainText(/Imported ws-.*\.flmws: \d+ records/, { timeout: 60_000 });
  await expect(p2.getByTestId('storage-items').locator('tr', { hasText: 'Imported medqa questions' })).toContainText('2');
  await p2.goto('/#/graph');
  await expect(p2.getByTestId('graph-name')).toHaveText('Mini Hetionet', { timeout: 60_000 });
  await p2.getByRole('searchbox', { name: 'Search entities' }).fill('salbutam');
  await expect(p2.getByTestId('search-results').getByRole('button').first()).toContainText('Salbutamol');
  await p2.goto('/#/questions');
  await expect(p2.getByTestId('filtered-count')).toHaveText('2 of 2');

  // delete one item, after confirming
  await p2.goto('/#/storage');
  const row = p2.getByTestId('storage-items').locator('tr', { hasText: 'Imported medqa questions' });
  p2.once('dialog', (d) => void d.accept());
  await row.getByRole('button', { name: /^Delete/ }).click();
  await expect(row).toHaveCount(0);
  await p2.goto('/#/questions');
  await expect(p2.getByTestId('filtered-count')).toHaveText('0 of 0');
  await fresh.close();
});

test('the Storage view explains persistence before asking for it, and reports the answer', async ({ page }) => {
  await page.goto('/#/storage');
  const box = page.getByTestId('persistence');
  await expect(page.getByTestId('usage')).toBeVisible();
  await expect(box).toContainText('When the disk runs low, browsers delete the data of sites not used for a while');
  await box.getByRole('button', { name: 'Ask the browser to keep this data' }).click();
  // headless Chromium decides by its own heuristics: either answer is reported in words
  await expect(box).toContainText(/(Persistent storage is on|Granted|The browser declined)/);
});
