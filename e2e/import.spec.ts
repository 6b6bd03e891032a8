import { expect, test } from '@playwright/test';
import { join } from 'node:path';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);

test('import Hetionet JSON and PrimeKG CSV, switch between them, search; a bad file changes nothing', async ({ page }) => {
  await page.goto('/#/graph');
  await expect(page.getByTestId('graph-ready')).toBeVisible({ timeout: 60_000 });
  await page.getByText(/^Graphs in this browser/).click();
  const list = page.getByTestId('graph-list');
  await expect(list.getByRole('listitem')).toHaveCount(1);

  const importFile = async (file: string, name: string) => {
    await page.getByLabel('Graph file').setInputFiles(fixture(file));
    await page.getByLabel('Graph name').fill(name);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
  };

  await importFile('mini-hetionet.json', 'Mini Hetionet');
  await expect(page.getByTestId('graph-name')).toHaveText('Mini Hetionet');
  await expect(page.getByTestId('node-count')).toHaveText('8');
  await expect(page.getByTestId('import-notice')).toContainText('8 nodes, 7 edges');
  const search = page.getByRole('searchbox', { name: 'Search entities' });
  await search.fill('salbutam');
  await expect(page.getByTestId('search-results').getByRole('button').first()).toContainText('Salbutamol');

  await expect(page.getByLabel('Format')).toHaveValue('hetionet');
  await importFile('mini-primekg.csv', 'Mini PrimeKG');
  await expect(page.getByTestId('graph-name')).toHaveText('Mini PrimeKG');
  await expect(page.getByTestId('node-count')).toHaveText('7');
  await search.fill('ipratropium');
  await expect(page.getByTestId('search-results').getByRole('button').first()).toContainText('Ipratropium');
  await expect(list.getByRole('listitem')).toHaveCount(3);

  // switch back to the Hetionet import
  await list.getByRole('button', { name: 'Open Mini Hetionet' }).click();
  await expect(page.getByTestId('graph-name')).toHaveText('Mini Hetionet');
  await search.fill('asthma');
  await expect(page.getByTestId('search-results').getByRole('button').first()).toContainText('asthma');
  await page.getByTestId('search-results').getByRole('button').first().click();
  await expect(page.getByTestId('node-details')).toContainText('DOID');

  // a malformed file: its error, naming file, line and cause; the list is unchanged
  const before = await list.innerText();
  await page.getByLabel('Graph file').setInputFiles(fixture('malformed-primekg.csv'));
  await expect(page.getByLabel('Format')).toHaveValue('primekg');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByTestId('import-error')).toHaveText('malformed-primekg.csv: line 3: expected 12 fields, found 10');
  await expect(list.getByRole('listitem')).toHaveCount(3);
  expect(await list.innerText()).toBe(before);
  await expect(page.getByTestId('graph-name')).toHaveText('Mini Hetionet');

  // the choice survives reload
  await page.reload();
  await expect(page.getByTestId('graph-name')).toHaveText('Mini Hetionet', { timeout: 60_000 });
  await expect(page.getByTestId('load-source')).toHaveText('from the IndexedDB cache');

  // delete an imported graph (after confirming); with imports present the list starts open
  await expect(list).toBeVisible();
  page.once('dialog', (d) => void d.accept());
  await list.getByRole('button', { name: 'Delete Mini PrimeKG' }).click();
  await expect(list.getByRole('listitem')).toHaveCount(2);
  await expect(list).not.toContainText('Mini PrimeKG');
});

test('compressed Hetionet files (.bz2, .xz) import in the built app', async ({ page }) => {
  await page.goto('/#/graph');
  await expect(page.getByTestId('graph-ready')).toBeVisible({ timeout: 60_000 });
  await page.getByText(/^Graphs in this browser/).click();
  for (const file of ['mini-hetionet.json.bz2', 'mini-hetionet.json.xz']) {
    await page.getByLabel('Graph file').setInputFiles(fixture(file));
    await expect(page.getByLabel('Format')).toHaveValue('hetionet');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(page.getByTestId('import-notice')).toContainText('8 nodes, 7 edges');
    await expect(page.getByTestId('graph-name')).toHaveText('mini-hetionet');
  }
});
