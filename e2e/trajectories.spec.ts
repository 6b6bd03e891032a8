import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';

test('inspector: trajectories for generated questions, with check badges and entity links to the explorer', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/#/questions');
  const gen = page.getByTestId('generate-panel');
  await gen.getByLabel('Questions', { exact: true }).fill('12');
  await gen.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByTestId('generate-summary')).toContainText('12 questions saved', { timeout: 180_000 });

  await page.goto('/#/trajectories');
  const run = page.getByTestId('run-panel');
  await run.getByLabel('Candidates (k)').fill('2');
  await run.getByRole('button', { name: 'Run on 12 questions' }).click();
  await expect(page.getByTestId('run-summary')).toContainText('Done: 12 questions', { timeout: 120_000 });
  await expect(page.getByTestId('run-summary')).toContainText('pass@k 100.0%');
  await expect(page.getByTestId('run-summary')).toContainText('0 unsupported claims');
  // the KG teacher writes nothing for an item it cannot rule every wrong option out of with a
  // positive fact; the panel says how many and why, and the rest all get chains
  const skippedNote = page.getByTestId('run-skipped');
  const skipped = (await skippedNote.isVisible()) ? Number((await skippedNote.innerText()).match(/^(\d+) of 12 questions were skipped on purpose \(.+\)/)![1]) : 0;
  expect(skipped).toBeLessThan(12);
  const written = 12 - skipped;
  await expect(page.getByTestId('inspector-count')).toHaveText(`${written} questions with trajectories`);

  // open one question: its two candidates, each with six check badges, all passed
  await page.getByTestId('inspector-row').first().click();
  const cards = page.getByTestId('trajectory');
  await expect(cards).toHaveCount(2);
  const first = cards.first();
  await expect(first.getByTestId('check-badge')).toHaveCount(6);
  await expect(first.locator('[data-testid="check-badge"][data-passed="true"]')).toHaveCount(6);
  await expect(first.getByTestId('check-badge').filter({ hasText: 'relations' })).toBeVisible();
  await expect(page.locator('[data-testid="trajectory"] .badge.selected')).toHaveCount(1);

  // accept one for the SFT set; the decision persists
  await first.getByRole('button', { name: 'Accept for SFT' }).click();
  await expect(first.getByRole('button', { name: 'Accepted for SFT' })).toBeVisible();

  // the SFT set: one trajectory per question (the accepted one here), as TRL prompt-completion lines
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: `Export SFT set (${written})` }).click()]);
  const sftLines = readFileSync((await download.path())!, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  expect(sftLines).toHaveLength(written);
  const acceptedText = (await first.getByTestId('trajectory-text').innerText()).trim();
  const qid = await page.getByTestId('inspector-row').first().getAttribute('data-id');
  const mine = sftLines.find((l) => l.id === qid);
  expect(mine.completion[0].content).toBe(`<think>${acceptedText}</think><answer>${mine.answer}</answer>`);
  expect(mine.prompt[0].role).toBe('system');

  // entity links lead to the explorer, opened on that entity
  const link = first.getByTestId('entity-link').first();
  await expect(link).toBeVisible();
  const nodeId = (await link.getAttribute('data-node'))!;
  const name = (await link.innerText()).trim();
  expect(nodeId).toMatch(/^[A-Za-z][\w.-]*:/);
  await link.click();
  await expect(page).toHaveURL(new RegExp(`#/graph\\?node=${encodeURIComponent(nodeId).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  await expect(page.getByTestId('node-details').getByRole('heading')).toContainText(new RegExp(name.slice(0, 12).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i'), { timeout: 60_000 });

  // back in the inspector after a reload: still there, the review kept
  await page.goto('/#/trajectories');
  await page.reload();
  await page.getByTestId('inspector-row').first().click();
  await expect(page.getByTestId('trajectory').first().getByRole('button', { name: 'Accepted for SFT' })).toBeVisible();
});
