import { expect, test } from '@playwright/test';

test('the Bench view runs our kernels against tfjs with progress, and cancel keeps partial results', async ({ page }) => {
  await page.goto('/#/bench');
  await expect(page.getByTestId('bench-view')).toBeVisible();
  await page.getByRole('button', { name: 'Run benchmark' }).click();
  const progress = page.getByTestId('bench-progress');
  await expect(progress).toBeVisible();
  // wait until at least one case has finished, then cancel the rest
  await expect(progress).toContainText(/[1-9]\d*\/\d+/, { timeout: 120_000 });
  await page.getByRole('button', { name: 'Cancel' }).click();
  const results = page.getByTestId('bench-results');
  await expect(results).toContainText('Cancelled: partial results', { timeout: 120_000 });
  await expect(results).toContainText('swiftshader');
  const rows = results.locator('tbody tr');
  expect(await rows.count()).toBeGreaterThanOrEqual(1);
  await expect(rows.first()).toContainText('matmul 256');
  await expect(rows.first().locator('td').nth(4)).toHaveText(/^\d+(\.\d+)?×$/);
});
