/**
 * The LLM verifier in the Questions view against a fake OpenAI-compatible server this
 * spec starts (with CORS, as a real local server must be configured), and the errors a
 * dead endpoint gives in the verifier and in the trajectory run panel: on screen, with
 * what to do next, not a 0 % result.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';

/** MedQA-style rows; the fake model names a second option for the one about the deltoid */
const ROWS = [
  { question: 'Which nerve supplies the deltoid?', options: { A: 'Axillary', B: 'Radial', C: 'Ulnar', D: 'Median' }, answer_idx: 'A', answer: 'Axillary' },
  { question: 'Which vitamin deficiency causes scurvy?', options: { A: 'B12', B: 'C', C: 'D' }, answer_idx: 'B', answer: 'C' },
  { question: 'Which drug reverses heparin?', options: { A: 'Vitamin K', B: 'Protamine sulfate', C: 'Idarucizumab' }, answer_idx: 'B', answer: 'Protamine sulfate' },
];

let server: Server;
let base: string;
let calls = 0;

test.beforeAll(async () => {
  server = createServer(async (req, res) => {
    const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'content-type, authorization', 'access-control-allow-methods': 'POST, OPTIONS' };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors);
      res.end();
      return;
    }
    let raw = '';
    for await (const c of req) raw += c;
    calls++;
    const prompt: string = JSON.parse(raw).messages[1].content;
    const row = ROWS.find((r) => prompt.includes(r.question));
    const content = !row ? 'I cannot tell.' : row.question.includes('deltoid') ? 'Both nerves are plausible.\nCorrect: A, B' : `Reasoning about the options.\nCorrect: ${row.answer_idx}`;
    res.writeHead(200, { 'content-type': 'application/json', ...cors });
    res.end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

test.afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

test('LLM verifier: votes and verdicts stored per item; a dead endpoint is an error that stays on screen', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/#/questions');
  const imp = page.getByTestId('import-panel');
  await imp.locator('summary').click();
  await imp.getByLabel('Import format').selectOption('medqa');
  await imp.getByLabel('QA file').setInputFiles({ name: 'rows.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(ROWS.map((r) => JSON.stringify(r)).join('\n')) });
  await imp.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(imp.getByRole('status')).toContainText('Imported 3 question(s)');

  const panel = page.getByTestId('verify-panel');
  await panel.locator('summary').click();
  await panel.getByLabel('Verifier base URL').fill(base);
  await panel.getByLabel('Verifier model').fill('judge');
  await panel.getByLabel('Votes (k)').fill('3');
  await panel.getByRole('button', { name: 'Verify 3 filtered questions' }).click();
  await expect(panel.getByTestId('verify-summary')).toContainText('Done: 3 verified · 2 kept · 0 flagged for review · 1 dropped', { timeout: 60_000 });
  expect(calls).toBe(9);

  // the dropped item was rejected, and its votes are shown with the item
  await page.getByTestId('question-row').filter({ hasText: 'deltoid' }).click();
  await expect(page.getByTestId('question-row').filter({ hasText: 'deltoid' }).getByTestId('row-status')).toHaveText('rejected');
  const v = page.getByTestId('verification');
  await expect(v).toContainText('LLM verifier: drop');
  await expect(v).toContainText('3 of 3 readable votes name B as correct as well as the key A: a second correct option');
  await expect(v.getByRole('listitem')).toHaveCount(3);
  await expect(page.getByTestId('history')).toContainText('Edit history (1)');

  // an endpoint nobody listens on: an error with what to do next, still there a moment later
  await panel.getByLabel('Verifier base URL').fill('http://127.0.0.1:9/v1');
  await panel.getByRole('button', { name: 'Verify 3 filtered questions' }).click();
  const err = panel.getByTestId('verify-error');
  await expect(err).toContainText('nothing was stored', { timeout: 60_000 });
  await expect(err).toContainText('could not be reached');
  await page.waitForTimeout(1500);
  await expect(err).toBeVisible();
  await expect(panel.getByTestId('verify-summary')).toHaveCount(0);
});

test('trajectory run against a dead OpenAI-compatible endpoint ends in an error that stays, not "Done … 0%"', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/#/questions');
  const imp = page.getByTestId('import-panel');
  await imp.locator('summary').click();
  await imp.getByLabel('Import format').selectOption('medqa');
  await imp.getByLabel('QA file').setInputFiles({ name: 'rows.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(ROWS.map((r) => JSON.stringify(r)).join('\n')) });
  await imp.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(imp.getByRole('status')).toContainText('Imported 3 question(s)');

  await page.goto('/#/trajectories');
  const run = page.getByTestId('run-panel');
  await run.getByLabel('Teacher').selectOption('openai');
  await run.getByLabel('Base URL').fill('http://127.0.0.1:9/v1');
  await run.getByLabel('Model').fill('teacher');
  await run.getByLabel('Candidates (k)').fill('2');
  await run.getByRole('button', { name: /^Run on \d+ questions?$/ }).click();
  const err = run.getByTestId('run-error');
  await expect(err).toContainText('all', { timeout: 90_000 });
  await expect(err).toContainText('nothing was stored');
  await expect(err).toContainText('could not be reached');
  await expect(run.getByTestId('run-summary')).toHaveCount(0);
  await page.waitForTimeout(1500);
  await expect(err).toBeVisible();
});

test('a transformers.js model that cannot be loaded ends in an error that stays, with what to do next', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/#/questions');
  const gen = page.getByTestId('generate-panel');
  await gen.getByLabel('Questions', { exact: true }).fill('3');
  await gen.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByTestId('generate-summary')).toContainText('3 questions saved', { timeout: 120_000 });
  await page.goto('/#/trajectories');
  const run = page.getByTestId('run-panel');
  await run.getByLabel('Teacher').selectOption('transformers');
  // no such repository: offline this is "Failed to fetch", online a 401/404; either way an error with advice
  await run.getByLabel('Model id').fill('fleming-workbench-test/no-such-model');
  await run.getByLabel('Device').selectOption('wasm');
  await run.getByRole('button', { name: /^Run on \d+ questions?$/ }).click();
  const err = run.getByTestId('run-error');
  await expect(err).toContainText(/Could not load the (model "fleming-workbench-test\/no-such-model"|transformers\.js library)/, { timeout: 120_000 });
  await expect(err).toContainText(/check the network connection|Check the model id|Try another model id|Reload the page/);
  await page.waitForTimeout(1500);
  await expect(err).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Trajectories' })).toBeVisible();
});
