import { expect, type Page } from '@playwright/test';

/**
 * Waits for a Generate run to finish and returns how many questions it saved. A question type
 * the graph cannot feed with enough valid items runs short, and the summary must then say how
 * many fewer than asked and why; a run this size still makes nearly all it was asked for.
 */
export async function questionsMade(page: Page, asked: number): Promise<number> {
  const summary = page.getByTestId('generate-summary');
  await expect(summary).toContainText(/\d+ questions saved/, { timeout: 240_000 });
  const text = await summary.innerText();
  const made = Number(text.match(/(\d+) questions saved/)![1]);
  expect(made).toBeLessThanOrEqual(asked);
  expect(made).toBeGreaterThanOrEqual(Math.floor(asked * 0.95));
  if (made < asked) expect(text).toContain(`${asked - made} fewer than asked`);
  return made;
}
