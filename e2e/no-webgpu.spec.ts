import { expect, test } from '@playwright/test';

test('without WebGPU the app says so, says what still works, and the graph still loads', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true });
  });
  await page.goto('/');
  const banner = page.getByTestId('gpu-missing');
  await expect(banner).toContainText('This browser has no WebGPU.');
  await expect(banner).toContainText('Exploring the knowledge graph');
  await expect(banner).toContainText('Training (SFT and GRPO)');
  await expect(page.getByTestId('graph-ready')).toBeVisible({ timeout: 60_000 });
});

test('with WebGPU but no adapter the banner names that case', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(GPU.prototype, 'requestAdapter', { value: async () => null, configurable: true });
  });
  await page.goto('/');
  const banner = page.getByTestId('gpu-missing');
  await expect(banner).toContainText('WebGPU is present but no GPU adapter was found.');
  await expect(banner).toContainText('Exploring the knowledge graph');
});
