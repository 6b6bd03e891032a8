/**
 * `npm run bench:memory`: the app's memory with the default graph, measured in headless
 * Chromium with performance.measureUserAgentSpecificMemory() (the page and every worker,
 * after a garbage collection), at two points of a first session:
 *   1. the Graph view has loaded the default graph;
 *   2. questions were generated and trajectories written (every domain API has used the graph).
 * That API needs cross-origin isolation, so the built app is served here with COOP/COEP
 * headers; the app itself does not need them.
 *
 *   npx tsx bench/memory.ts --label after [--dist DIR] [--build]
 *
 * Results merge into bench/results/memory.json under the label, so a "before" run from an
 * older build and an "after" run sit side by side.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import type { Page } from 'playwright';
import { runMain, withBuiltApp } from './built-app';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const label = flag('label') ?? 'current';
const outDir = resolve(root, flag('dist') ?? 'dist');
const OUT = resolve(root, 'bench/results/memory.json');
const QUESTIONS = 12;

interface Breakdown {
  bytes: number;
  attribution: { url: string; scope: string }[];
  types: string[];
}
interface Measurement {
  bytes: number;
  breakdown: Breakdown[];
}

/** Bytes per JS realm: the page, and each worker by its script name. */
function perRealm(m: Measurement): Record<string, number> {
  const out: Record<string, number> = {};
  for (const b of m.breakdown) {
    const a = b.attribution[0];
    const key = a ? `${a.scope}:${(a.url.split('/').pop() ?? a.url).replace(/-[\w-]{8}\.js$/, '.js')}` : b.types.join('+') || 'shared';
    out[key] = (out[key] ?? 0) + b.bytes;
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Math.round(v / 1e5) / 10]));
}

async function measure(page: Page): Promise<{ totalMB: number; perRealmMB: Record<string, number> }> {
  const m = (await page.evaluate(() => (performance as unknown as { measureUserAgentSpecificMemory(): Promise<unknown> }).measureUserAgentSpecificMemory())) as Measurement;
  return { totalMB: Math.round(m.bytes / 1e5) / 10, perRealmMB: perRealm(m) };
}

async function main() {
  await withBuiltApp({ port: 4181, outDir, rebuild: args.includes('--build'), measureMemory: true }, async (url, browser) => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${url}#/graph`);
    await page.getByTestId('graph-ready').waitFor({ timeout: 120_000 });
    if (!(await page.evaluate(() => crossOriginIsolated))) throw new Error('the page is not cross-origin isolated: measureUserAgentSpecificMemory is unavailable');
    // a search builds the name index, as a user's first search does
    await page.getByRole('searchbox', { name: 'Search entities' }).fill('asthma');
    await page.getByTestId('search-results').getByRole('button').first().waitFor();
    const graphLoaded = await measure(page);

    await page.goto(`${url}#/questions`);
    const gen = page.getByTestId('generate-panel');
    await gen.getByLabel('Questions', { exact: true }).fill(String(QUESTIONS));
    await gen.getByRole('button', { name: 'Generate' }).click();
    await page.getByTestId('generate-summary').filter({ hasText: `${QUESTIONS} questions saved` }).waitFor({ timeout: 180_000 });
    await page.goto(`${url}#/trajectories`);
    await page.getByTestId('run-panel').getByRole('button', { name: /^Run on \d+ question/ }).click();
    await page.getByTestId('run-summary').filter({ hasText: /Done: \d+ questions/ }).waitFor({ timeout: 180_000 });
    const afterPipeline = await measure(page);

    const entry = {
      date: new Date().toISOString(),
      build: outDir.replace(root + '/', ''),
      graphLoaded,
      afterQuestionsAndTrajectories: afterPipeline,
    };
    const prev = existsSync(OUT) ? (JSON.parse(readFileSync(OUT, 'utf8')) as Record<string, unknown>) : {};
    const out = {
      benchmark: 'app-memory-default-graph',
      method:
        'performance.measureUserAgentSpecificMemory() in headless Chromium (page + all workers, after GC), built app served with COOP/COEP for the measurement only; ' +
        `points: (1) default graph loaded and searched in the Graph view, (2) after generating ${QUESTIONS} questions and KG-teacher trajectories for them`,
      machine: { cpu: cpus()[0]?.model.trim(), cores: cpus().length, memoryGB: Math.round(totalmem() / 2 ** 30) },
      ...prev,
      runs: { ...((prev.runs as Record<string, unknown>) ?? {}), [label]: entry },
    };
    writeFileSync(OUT, JSON.stringify(out, null, 2) + '\n');
    console.log(JSON.stringify({ [label]: entry }, null, 2));
  });
}

runMain(main);
