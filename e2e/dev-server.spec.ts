/**
 * A cold `npm start`: the dev server with an empty dependency cache must optimise once at
 * start-up and never reload the page afterwards. Before optimizeDeps covered the worker
 * entries, it reloaded on first load, on the first entity open (layout worker) and about
 * 1.5 s into the first trajectory run (transformers.js / onnxruntime-web in the worker),
 * losing the run. This drives the whole first session against `vite` (not the built app).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { createLogger, createServer, type ViteDevServer } from 'vite';

const root = resolve(import.meta.dirname, '..');
let server: ViteDevServer;
let cacheDir: string;
const serverLog: string[] = [];

test.beforeAll(async () => {
  cacheDir = mkdtempSync(join(tmpdir(), 'fleming-vite-cold-'));
  const logger = createLogger('info');
  const keep = (msg: string) => serverLog.push(msg);
  const customLogger = { ...logger, info: (m: string, o?: object) => (keep(m), logger.info(m, o)), warn: (m: string, o?: object) => (keep(m), logger.warn(m, o)) };
  // no file watching: edits to the source during the run (a shared work tree) must not reload the page
  server = await createServer({ root, configFile: resolve(root, 'vite.config.ts'), cacheDir, customLogger, server: { port: 5191, strictPort: false, host: '127.0.0.1', watch: { ignored: ['**/*'] } }, clearScreen: false });
  await server.listen();
});

test.afterAll(async () => {
  await server?.close();
  if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
});

test('cold dev server: graph, entity, questions, trajectories, training views, storage and bench without a single reload', async ({ page }) => {
  test.setTimeout(420_000);
  const base = server.resolvedUrls!.local[0]!;
  let loads = 0;
  page.on('load', () => loads++);
  const consoleReloads: string[] = [];
  page.on('console', (m) => /optimized dependencies changed|reloading/i.test(m.text()) && consoleReloads.push(m.text()));

  await page.goto(`${base}#/graph`);
  await expect(page.getByTestId('graph-ready')).toBeVisible({ timeout: 180_000 });
  await page.getByRole('searchbox', { name: 'Search entities' }).fill('asthma');
  await page.getByTestId('search-results').getByRole('button').first().click();
  await page.getByTestId('neighbour-groups').getByRole('button', { name: /^Expand is treated by/ }).click();
  await expect(page.getByTestId('explorer-canvas')).toHaveAttribute('data-layout', 'done', { timeout: 60_000 });

  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Questions', exact: true }).click();
  const gen = page.getByTestId('generate-panel');
  await gen.getByLabel('Questions', { exact: true }).fill('12');
  await gen.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByTestId('generate-summary')).toContainText('12 questions saved', { timeout: 180_000 });

  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Trajectories', exact: true }).click();
  await page.getByTestId('run-panel').getByRole('button', { name: /^Run on 12 questions/ }).click();
  await expect(page.getByTestId('run-summary')).toContainText('Done: 12 questions', { timeout: 180_000 });

  // the training views load lazily and start their own worker
  for (const view of ['Train', 'Learn GRPO', 'Storage']) {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: view, exact: true }).click();
    await expect(page.locator('main h2').first()).toBeVisible({ timeout: 60_000 });
    await page.waitForTimeout(1500);
  }

  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Bench', exact: true }).click();
  await page.getByRole('button', { name: 'Run benchmark' }).click();
  await expect(page.getByTestId('bench-progress')).toBeVisible();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('button', { name: 'Run benchmark' })).toBeVisible({ timeout: 120_000 });
  // give a late re-optimisation time to show itself
  await page.waitForTimeout(3000);

  expect(consoleReloads).toEqual([]);
  expect(serverLog.filter((l) => /optimi[sz]ed dependencies|new dependencies|reload/i.test(l))).toEqual([]);
  expect(loads).toBe(1);
});
