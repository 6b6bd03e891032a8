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

test('explorer: search results float and close, a miss says so, paths explain themselves and name entities, connectedness reads the right way round', async ({ page }) => {
  await page.goto('/#/graph');
  await expect(page.getByTestId('graph-ready')).toBeVisible({ timeout: 60_000 });
  const search = page.getByRole('searchbox', { name: 'Search entities' });
  const results = page.getByTestId('search-results');

  // a miss: a message with what to try, not an empty list
  await search.fill('zzqxv');
  await expect(page.getByTestId('no-match')).toContainText('No entity matches “zzqxv”');
  await expect(page.getByTestId('no-match')).toContainText('DOID:2841');

  // the results overlay the page: the library panel below does not move, and a pick closes them
  const library = page.getByText(/^Graphs in this browser/);
  const before = (await library.boundingBox())!.y;
  await search.fill('asthma');
  await expect(results.getByRole('button').first()).toContainText('asthma');
  expect((await library.boundingBox())!.y).toBe(before);
  await search.press('Escape');
  await expect(results).toBeHidden();
  await search.click();
  await expect(results).toBeVisible();
  await page.getByRole('heading', { name: 'Knowledge graph' }).click(); // a click elsewhere
  await expect(results).toBeHidden();
  await search.click(); // reopens, the first hit highlighted
  await search.press('Enter'); // Enter opens the highlighted (first) hit
  await expect(page).toHaveURL(/node=DOID%3A2841/);
  await expect(results).toBeHidden();

  // the most connected disease: "more connected than …", not "100th percentile"
  const details = page.getByTestId('node-details');
  await expect(details.getByTestId('connectedness')).toContainText(/more connected than (>99\.9|9\d(\.\d)?)% of disease entities/);
  await expect(details).not.toContainText('percentile');

  // path: an instruction with a cancel, then the other end; the button names entities, never ids
  await details.getByRole('button', { name: 'Path from here…' }).click();
  const pick = page.getByTestId('path-pick');
  await expect(pick).toContainText('Shortest path from asthma. Now choose the other end');
  await pick.getByRole('button', { name: 'Cancel path' }).click();
  await expect(pick).toBeHidden();
  await details.getByRole('button', { name: 'Path from here…' }).click();
  await search.fill('salbutamol');
  await results.getByRole('button').first().click();
  const go = page.getByRole('button', { name: /^Shortest path from asthma to here$/ });
  await expect(go).toBeVisible();
  await go.click();
  const path = page.getByTestId('path-result');
  await expect(path).toContainText('asthma → salbutamol, at most');
  await expect(path).not.toContainText('DOID:');

  // a crowded canvas keeps names for hover, selection and zoom
  await page.goto('/#/graph?node=DOID%3A2841');
  await page.getByTestId('neighbour-groups').getByRole('button', { name: /^Expand is treated by/ }).click();
  const canvas = page.getByTestId('explorer-canvas');
  await expect(canvas).toHaveAttribute('data-layout', 'done', { timeout: 30_000 });
  await expect(canvas).toHaveAttribute('data-crowded', 'true');
  await expect(page.getByText(/names show on hover, for the selected ones, and once you zoom in/)).toBeVisible();
});
