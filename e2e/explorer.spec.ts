import { expect, test } from '@playwright/test';

test('explorer: open a disease, expand its treatments, open a drug; the view survives reload', async ({ page }) => {
  await page.goto('/#/graph');
  await expect(page.getByTestId('graph-ready')).toBeVisible({ timeout: 60_000 });
  await page.getByRole('searchbox', { name: 'Search entities' }).fill('asthma');
  const results = page.getByTestId('search-results');
  await expect(results.getByRole('button').first()).toContainText('asthma');
  await results.getByRole('button').first().click();
  await expect(page).toHaveURL(/node=DOID%3A/);

  // the opened entity: neighbours grouped by relation, and a canvas holding it
  const groups = page.getByTestId('neighbour-groups');
  const expand = groups.getByRole('button', { name: /^Expand is treated by \(\d+ drug\)$/ });
  await expect(expand).toBeVisible();
  const canvasNodes = page.getByTestId('canvas-nodes');
  await expect(canvasNodes.getByRole('button')).toHaveCount(1);
  await expand.click();
  await expect(page).toHaveURL(/exp=DOID%3A\d+%7Etreats%7Ein/);
  await expect(groups.getByRole('button', { name: /^Collapse is treated by/ })).toBeVisible();
  // drug nodes appear on the canvas
  const drugs = canvasNodes.getByRole('button').filter({ has: page.locator('.badge', { hasText: /^drug$/ }) });
  await expect(drugs.first()).toBeVisible();
  const drugCount = await drugs.count();
  expect(drugCount).toBeGreaterThan(1);
  const canvas = page.getByTestId('explorer-canvas');
  expect(Number(await canvas.getAttribute('data-elements'))).toBeGreaterThan(2 * drugCount);
  await expect(canvas).toHaveAttribute('data-layout', 'done', { timeout: 30_000 });

  // a drug's details
  const drugName = (await drugs.first().innerText()).replace(/^drug\s*/, '').trim();
  await drugs.first().click();
  await expect(page).toHaveURL(/sel=/);
  const details = page.getByTestId('node-details');
  await expect(details.getByRole('heading')).toContainText(drugName);
  await expect(details).toContainText('drug');
  await expect(details).toContainText('treats');
  await expect(details.getByRole('table', { name: 'Identifiers' })).toContainText('(primary)');

  // reload: same view (opened disease, expanded treatments, selected drug)
  const url = page.url();
  await page.reload();
  await expect(page.getByTestId('graph-ready')).toBeVisible({ timeout: 60_000 });
  expect(page.url()).toBe(url);
  await expect(page.getByTestId('node-details').getByRole('heading')).toContainText(drugName);
  await expect(drugs).toHaveCount(drugCount);
  await expect(page.getByTestId('neighbour-groups')).toBeVisible();
  await expect(canvas).toHaveAttribute('data-layout', 'done', { timeout: 30_000 });
});

test('explorer: shortest path between two chosen entities is drawn and listed', async ({ page }) => {
  await page.goto('/#/graph');
  await expect(page.getByTestId('graph-ready')).toBeVisible({ timeout: 60_000 });
  await page.getByRole('searchbox', { name: 'Search entities' }).fill('asthma');
  await page.getByTestId('search-results').getByRole('button').first().click();
  await page.getByTestId('neighbour-groups').getByRole('button', { name: /^Expand is treated by/ }).click();
  await page.getByRole('button', { name: 'Path from here…' }).click();
  const drug = page.getByTestId('canvas-nodes').getByRole('button').filter({ has: page.locator('.badge', { hasText: /^drug$/ }) }).first();
  await drug.click();
  await page.getByRole('button', { name: /^Shortest path from .* to here$/ }).click();
  await expect(page).toHaveURL(/from=DOID/);
  const path = page.getByTestId('path-result');
  await expect(path.getByRole('listitem')).toHaveCount(2);
  await expect(path).toContainText('is treated by');
});
