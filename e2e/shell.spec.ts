import { expect, test } from '@playwright/test';

test('the shell shows every view, the GPU status and the attribution', async ({ page }) => {
  await page.goto('/');
  const nav = page.getByRole('navigation', { name: 'Views' });
  for (const name of ['Graph', 'Questions', 'Trajectories', 'Train', 'Learn GRPO', 'Bench', 'About']) {
    await expect(nav.getByRole('link', { name, exact: true })).toBeVisible();
  }
  // headless Chromium here has WebGPU (SwiftShader): the worker's kernel self-test runs
  await expect(page.getByTestId('gpu-ok')).toContainText('kernel self-test passed');

  await nav.getByRole('link', { name: 'Train', exact: true }).click();
  await expect(page).toHaveURL(/#\/train$/);
  await expect(page.getByRole('heading', { name: 'Train' })).toBeVisible();
  await expect(page.getByText(/two-stage GRPO/)).toBeVisible();

  await nav.getByRole('link', { name: 'About', exact: true }).click();
  const credits = page.getByTestId('attribution');
  await expect(credits).toContainText('DrugCentral');
  await expect(credits).toContainText('CC BY 4.0');
  await expect(credits).toContainText('Uberon');
  await expect(credits).toContainText('MeSH');
  await expect(page.getByText('Pratheek Athreya').first()).toBeVisible();
  // the view survives reload
  await page.reload();
  await expect(page.getByRole('heading', { name: 'About Fleming Workbench' })).toBeVisible();
});

test('the default graph loads, is searchable, and comes from IndexedDB on the second visit', async ({ page }) => {
  await page.goto('/#/graph');
  await expect(page.getByTestId('graph-ready')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('load-source')).toHaveText('from the app files');
  const nodes = Number((await page.getByTestId('node-count').innerText()).replace(/,/g, ''));
  expect(nodes).toBeGreaterThanOrEqual(25_000);

  await page.getByRole('searchbox', { name: 'Search entities' }).fill('asthma');
  const results = page.getByTestId('search-results');
  await expect(results.getByRole('button').first()).toContainText('asthma');
  await results.getByRole('button').first().click();
  await expect(page).toHaveURL(/node=DOID%3A/);
  const details = page.getByTestId('node-details');
  await expect(details).toContainText('disease');
  await expect(details).toContainText('is treated by');

  await page.reload();
  await expect(page.getByTestId('graph-ready')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('load-source')).toHaveText('from the IndexedDB cache');
  await expect(page.getByTestId('node-details')).toContainText('asthma');
});

test('a corrupted cache is detected and rebuilt from the app files', async ({ page }) => {
  await page.goto('/#/graph');
  await expect(page.getByTestId('graph-ready')).toBeVisible({ timeout: 60_000 });
  // damage the cached columns behind the app's back
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('fleming-workbench');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction('graphData', 'readwrite');
          const store = tx.objectStore('graphData');
          const get = store.get('default');
          get.onsuccess = () => {
            const rec = get.result;
            rec.packed.edges[0].dst[0] ^= 1;
            store.put(rec);
          };
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
  await page.reload();
  await expect(page.getByTestId('graph-ready')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('load-source')).toHaveText('from the app files');
  await expect(page.getByTestId('graph-ready')).toContainText('checksum');
  await page.reload();
  await expect(page.getByTestId('load-source')).toHaveText('from the IndexedDB cache', { timeout: 60_000 });
});

test('a first visit opens "Start here" in pipeline order; hidden, it stays hidden and the Guide button brings it back; jargon explains itself', async ({ page }) => {
  await page.goto('/#/graph');
  const guide = page.getByTestId('guide');
  await expect(guide).toBeVisible();
  const steps = guide.getByRole('listitem');
  await expect(steps).toHaveCount(5);
  expect(await steps.evaluateAll((els) => els.map((e) => e.querySelector('a')!.textContent))).toEqual(['Graph', 'Questions', 'Trajectories', 'Train', 'Learn GRPO']);
  await expect(guide).toContainText('Storage');
  await guide.getByRole('button', { name: 'Hide the guide' }).click();
  await expect(guide).toBeHidden();
  await page.reload();
  await expect(page.getByTestId('graph-ready')).toBeVisible({ timeout: 60_000 });
  await expect(guide).toBeHidden();
  await page.getByRole('button', { name: 'Guide' }).click();
  await expect(guide).toBeVisible();

  // a term: its one-sentence explanation shows on hover and on click
  await page.goto('/#/questions');
  const q = page.getByRole('button', { name: 'What is long-tail α?' });
  const tip = page.getByRole('tooltip').filter({ hasText: 'weighted (degree + 1)^(−α)' });
  await expect(tip).toBeHidden();
  await q.hover();
  await expect(tip).toBeVisible();
  await page.mouse.move(0, 0);
  await q.click();
  await expect(tip).toBeVisible();
});
