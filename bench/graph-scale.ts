/**
 * `npm run bench:graph-scale [-- --large]`: synthetic graphs shaped like the default graph
 * (kg synth) at 100K nodes / 1M edges (and, with --large, 1M / 10M), measured in Node
 * (triples and Hetionet JSON import, CSR build, name index, search, explorer queries,
 * memory) and in headless
 * Chromium against the built app (import through the UI, IndexedDB save, cached load,
 * in-worker search, and how long the main thread blocks while the explorer expands a hub).
 * Results: bench/results/graph-scale.json.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, openAsBlob, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright';
import { preview } from 'vite';
import { chromiumLaunchOptions } from '../browser-launch.ts';
import { decodeGraphFile } from '../src/graph/decode-graph-file';
import { neighbourGroups, shortestPath } from '../src/graph/explore';
import { importGraph } from '../src/graph/import/import-graph';
import { KnowledgeGraph } from '../src/graph/knowledge-graph';
import { rng, synthesizeGraph, writeHetionetJson, writeTriples } from '../src/graph/synth/synthetic-graph';
import { graphMemoryBytes } from '../workers/load-default-graph';
import { searchQueries } from './search-queries';

const root = resolve(import.meta.dirname, '..');
const large = process.argv.includes('--large');
const noBrowser = process.argv.includes('--node-only');
const round = (x: number) => Math.round(x * 100) / 100;
function stats(times: number[]) {
  const s = [...times].sort((a, b) => a - b);
  const at = (p: number) => round(s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0);
  return { n: s.length, p50: at(0.5), p95: at(0.95), max: round(s[s.length - 1] ?? 0) };
}
const mb = (b: number) => round(b / 1e6);

interface Scale {
  nodes: number;
  edges: number;
}

async function makeFile(s: Scale): Promise<{ path: string; jsonPath: string; synthMs: number; bytes: number }> {
  const template = await decodeGraphFile(new Uint8Array(readFileSync(join(root, 'public/kg/default-graph.json.gz'))), 'default');
  const t0 = performance.now();
  const g = synthesizeGraph(template, { ...s, seed: 7 });
  const path = join(tmpdir(), `fleming-synth-${s.nodes}-${s.edges}.tsv`);
  await writeTriples(g, createWriteStream(path), false);
  const synthMs = round(performance.now() - t0);
  const jsonPath = join(tmpdir(), `fleming-synth-${s.nodes}-${s.edges}.json`);
  await writeHetionetJson(g, createWriteStream(jsonPath));
  return { path, jsonPath, synthMs, bytes: statSync(path).size };
}

/** The Hetionet JSON importer on the same graph (Node only). */
async function benchHetionetJson(path: string) {
  const t0 = performance.now();
  const p = await importGraph({ name: path, blob: await openAsBlob(path) }, 'hetionet');
  return { bytes: statSync(path).size, importMs: round(performance.now() - t0), nodes: p.header.nodeCount, edges: p.header.edgeCount };
}

async function benchNode(path: string) {
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const packed = await importGraph({ name: path, blob: await openAsBlob(path) }, 'triples');
  const t1 = performance.now();
  const graph = new KnowledgeGraph(packed);
  const t2 = performance.now();
  void graph.names;
  const t3 = performance.now();
  const names = Array.from({ length: Math.min(graph.nodeCount, 200_000) }, (_, i) => graph.nodeName(i * Math.floor(graph.nodeCount / Math.min(graph.nodeCount, 200_000))));
  const queries = searchQueries(names, 1000, 42);
  const times: number[] = [];
  for (const q of queries) {
    const t = performance.now();
    graph.search(q, { limit: 20 });
    times.push(performance.now() - t);
  }
  // explorer queries: neighbour groups (cut to 150) of random nodes and of the hub, paths of ≤ 4 hops
  const rand = rng(3);
  let hub = 0;
  for (let i = 1; i < graph.nodeCount; i++) if (graph.degree[i]! > graph.degree[hub]!) hub = i;
  const groupTimes: number[] = [];
  for (let k = 0; k < 200; k++) {
    const v = k === 0 ? hub : Math.floor(rand() * graph.nodeCount);
    const t = performance.now();
    neighbourGroups(graph, v, { limit: 150 });
    groupTimes.push(performance.now() - t);
  }
  const pathTimes: number[] = [];
  let found = 0;
  for (let k = 0; k < 30; k++) {
    const a = Math.floor(rand() * graph.nodeCount);
    const b = Math.floor(rand() * graph.nodeCount);
    const t = performance.now();
    if (shortestPath(graph, a, b, 4)) found++;
    pathTimes.push(performance.now() - t);
  }
  global.gc?.();
  return {
    result: {
      importMs: round(t1 - t0),
      csrMs: round(t2 - t1),
      nameIndexMs: round(t3 - t2),
      search: stats(times),
      neighbourGroups: stats(groupTimes),
      shortestPathDepth4: { ...stats(pathTimes), found, of: 30 },
      memory: { graphColumnsAndCsrMB: mb(graphMemoryBytes(graph)), rssGrowthMB: mb(process.memoryUsage().rss - rss0) },
      graph: { nodes: graph.nodeCount, edges: graph.edgeCount, nameKeys: graph.names.keyCount, vocabulary: graph.names.vocabularySize, hubDegree: graph.degree[hub] },
    },
    hubId: graph.nodeId(hub),
    hubGroup: neighbourGroups(graph, hub, { limit: 0 }).sort((a, b) => b.total - a.total)[0]!,
    queries,
  };
}

async function benchBrowser(path: string, hubId: string, hubLabel: string, queries: string[], url: string) {
  const browser = await chromium.launch({ ...chromiumLaunchOptions(), args: [...chromiumLaunchOptions().args, '--js-flags=--max-old-space-size=8192'] });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    const ready = (p: Page) => p.waitForFunction(() => window.__fleming?.graphState().phase === 'ready', undefined, { timeout: 600_000 });
    await page.goto(url + '#/graph');
    await ready(page);
    await page.getByText(/^Graphs in this browser/).click();
    await page.getByLabel('Graph file').setInputFiles(path);
    const problems: string[] = [];
    const log: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('crash', () => problems.push('the page crashed (out of memory?)'));
    page.on('worker', (w) => w.on('close', () => problems.push(`worker ${w.url().split('/').pop()} closed`)));
    const t0 = performance.now();
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    // wait for the notice or an error, logging the import's progress as it goes
    for (;;) {
      const done = await page
        .locator('[data-testid="import-notice"], [data-testid="import-error"]')
        .first()
        .waitFor({ timeout: 15_000 })
        .then(() => true)
        .catch(() => false);
      if (done) break;
      const progress = await page.getByTestId('import-progress').innerText().catch(() => '(no progress shown)');
      log.push(`${Math.round((performance.now() - t0) / 1000)} s: ${progress.trim()}`);
      console.error(`  ${log.at(-1)}`, problems.join('; '));
      if (performance.now() - t0 > 1_200_000 || problems.some((p) => /crash/.test(p))) throw new Error(`import did not finish: ${progress}; ${problems.join('; ')}`);
    }
    if (await page.getByTestId('import-error').isVisible()) {
      throw new Error(`import failed after ${Math.round((performance.now() - t0) / 1000)} s: ${await page.getByTestId('import-error').innerText()} (progress seen: ${log.join(' | ')})`);
    }
    const wall = performance.now() - t0;
    const timings = JSON.parse((await page.getByTestId('import-notice').getAttribute('data-timings'))!);
    const search = await page.evaluate((qs) => window.__fleming!.benchSearch(qs), queries);
    const cached: number[] = [];
    let cachedStages: Record<string, number> = {};
    for (let r = 0; r < 2; r++) {
      await page.reload();
      await ready(page);
      const st = (await page.evaluate(() => window.__fleming!.graphState())) as { phase: 'ready'; result: { source: string; timings: Record<string, number> } };
      if (st.result.source !== 'cache') throw new Error('reload did not open the imported graph from IndexedDB');
      cached.push(st.result.timings.total!);
      cachedStages = st.result.timings;
    }
    // explorer: open the hub, expand its largest group; record main-thread long tasks meanwhile
    await page.evaluate(() => {
      (window as unknown as { __lt: number[] }).__lt = [];
      new PerformanceObserver((l) => l.getEntries().forEach((e) => (window as unknown as { __lt: number[] }).__lt.push(e.duration))).observe({ type: 'longtask', buffered: false });
    });
    const te = performance.now();
    await page.evaluate((h) => (location.hash = `#/graph?node=${encodeURIComponent(h)}`), hubId);
    await page.getByTestId('neighbour-groups').getByRole('button', { name: new RegExp(`^Expand ${hubLabel.replace(/[()]/g, '\\$&')}`) }).first().click();
    await page.waitForFunction(() => document.querySelector('[data-testid="explorer-canvas"]')?.getAttribute('data-layout') === 'done' && Number(document.querySelector('[data-testid="explorer-canvas"]')?.getAttribute('data-elements')) > 10, undefined, { timeout: 120_000 });
    const explorerMs = performance.now() - te;
    const longTasks = await page.evaluate(() => (window as unknown as { __lt: number[] }).__lt);
    const elements = Number(await page.getByTestId('explorer-canvas').getAttribute('data-elements'));
    await context.close();
    return {
      import: { workerMs: round(timings.import), csrMs: round(timings.index), idbSaveMs: round(timings.save), pageWallMs: round(wall), memoryMB: mb(timings.memoryBytes) },
      cachedLoad: { workerRunsMs: cached.map(round), stagesMs: cachedStages },
      searchInWorker: Object.fromEntries(Object.entries(search).map(([k, v]) => [k, round(v as number)])),
      explorer: { openHubAndExpandMs: round(explorerMs), canvasElements: elements, longTasksMs: stats(longTasks), longestMainThreadBlockMs: round(Math.max(0, ...longTasks)) },
      browser: browser.version(),
    };
  } finally {
    await browser.close();
  }
}

const scales: Scale[] = large ? [{ nodes: 1_000_000, edges: 10_000_000 }] : [{ nodes: 100_000, edges: 1_000_000 }];
const results: Record<string, unknown>[] = [];
let server: Awaited<ReturnType<typeof preview>> | null = null;
let url = '';
if (!noBrowser) {
  execFileSync('npx', ['vite', 'build'], { cwd: root, stdio: 'inherit' });
  server = await preview({ root, preview: { port: 4181, strictPort: false, host: '127.0.0.1' }, logLevel: 'silent' });
  url = server.resolvedUrls?.local[0] ?? 'http://127.0.0.1:4181/';
}
try {
  for (const s of scales) {
    const label = `${s.nodes}/${s.edges}`;
    console.error(`[${label}] generating`);
    const file = await makeFile(s);
    console.error(`[${label}] node import`, file);
    const n = await benchNode(file.path);
    console.error(`[${label}] node`, JSON.stringify(n.result));
    const hetionetJson = await benchHetionetJson(file.jsonPath);
    unlinkSync(file.jsonPath);
    console.error(`[${label}] node hetionet json`, JSON.stringify(hetionetJson));
    const entry: Record<string, unknown> = { scale: s, file: { bytes: file.bytes, synthMs: file.synthMs }, node: { ...n.result, hetionetJsonImport: hetionetJson } };
    if (!noBrowser) {
      try {
        const hubLabel = `${n.hubGroup.label} (`;
        entry.browser = await benchBrowser(file.path, n.hubId, hubLabel, n.queries, url);
        console.error(`[${label}] browser`, JSON.stringify(entry.browser));
      } catch (e) {
        entry.browser = { failed: (e as Error).message.split('\n')[0] };
        console.error(`[${label}] browser failed`, (e as Error).message);
      }
    }
    results.push(entry);
    if (existsSync(file.path)) unlinkSync(file.path);
  }
} finally {
  if (server) await new Promise<void>((r) => server!.httpServer.close(() => r()));
}
const out = {
  benchmark: 'graph-scale',
  date: new Date().toISOString(),
  machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGB: Math.round(totalmem() / 2 ** 30) },
  targets: { browser100k: { importMs: 5000, cachedLoadMs: 2000, searchP95Ms: 30 } },
  results,
};
mkdirSync(join(root, 'bench/results'), { recursive: true });
const dest = join(root, large ? 'bench/results/graph-scale-large.json' : 'bench/results/graph-scale.json');
writeFileSync(dest, JSON.stringify(out, null, 2) + '\n');
console.log(JSON.stringify({ wrote: dest.replace(root + '/', '') }));
