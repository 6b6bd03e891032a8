/**
 * `npm run bench`: default-graph load and search, measured in Node and in headless
 * Chromium against the built app (vite preview), written to bench/results/*.json.
 * Timings are for comparison within one run and one machine; the targets in the
 * README are for a user's browser on ordinary hardware.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { chromium } from 'playwright';
import { preview } from 'vite';
import { chromiumLaunchOptions } from '../browser-launch.ts';
import { decodeGraphFile } from '../src/graph/decode-graph-file';
import { sha256Hex } from '../src/graph/hash';
import { KnowledgeGraph } from '../src/graph/knowledge-graph';
import { packGraph } from '../src/graph/packed-graph';
import { graphMemoryBytes } from '../workers/load-default-graph';
import { searchQueries } from './search-queries';

const root = resolve(import.meta.dirname, '..');
const GRAPH = resolve(root, 'public/kg/default-graph.json.gz');
const QUERIES = 1000;

function stats(times: number[]) {
  const s = [...times].sort((a, b) => a - b);
  const at = (p: number) => round(s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0);
  return { n: s.length, p50: at(0.5), p95: at(0.95), max: round(s[s.length - 1] ?? 0), mean: round(s.reduce((a, b) => a + b, 0) / Math.max(1, s.length)) };
}
const round = (x: number) => Math.round(x * 100) / 100;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function benchNode(queries: string[]) {
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const bytes = new Uint8Array(readFileSync(GRAPH));
  const file = await decodeGraphFile(bytes, GRAPH);
  const t1 = performance.now();
  const packed = packGraph(file, await sha256Hex(bytes), GRAPH);
  const t2 = performance.now();
  const graph = new KnowledgeGraph(packed);
  const t3 = performance.now();
  void graph.names;
  const t4 = performance.now();
  const times: number[] = [];
  for (const q of queries) {
    const t = performance.now();
    graph.search(q, { limit: 20 });
    times.push(performance.now() - t);
  }
  global.gc?.();
  const heapMB = (process.memoryUsage().heapUsed - heap0) / 1e6;
  return {
    load: { readAndDecodeMs: round(t1 - t0), packMs: round(t2 - t1), csrMs: round(t3 - t2), nameIndexMs: round(t4 - t3), totalMs: round(t4 - t0) },
    memory: { graphColumnsAndCsrMB: round(graphMemoryBytes(graph) / 1e6), heapGrowthMB: round(heapMB) },
    search: stats(times),
    graph: { nodes: graph.nodeCount, edges: graph.edgeCount, nameKeys: graph.names.keyCount, vocabulary: graph.names.vocabularySize },
  };
}

async function benchBrowser(queries: string[]) {
  if (!existsSync(resolve(root, 'dist/index.html'))) execFileSync('npx', ['vite', 'build'], { cwd: root, stdio: 'inherit' });
  const server = await preview({ root, preview: { port: 4179, strictPort: false, host: '127.0.0.1' }, logLevel: 'silent' });
  const url = server.resolvedUrls?.local[0] ?? 'http://127.0.0.1:4179/';
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    type Ready = { phase: 'ready'; result: { source: string; timings: Record<string, number>; memoryBytes: number } };
    const waitReady = async (page: import('playwright').Page) => {
      await page.waitForFunction(() => window.__fleming?.graphState().phase === 'ready', undefined, { timeout: 120_000 });
      return (await page.evaluate(() => window.__fleming!.graphState())) as Ready;
    };
    const first: number[] = [];
    const firstWall: number[] = [];
    const cached: number[] = [];
    const cachedWall: number[] = [];
    let timings: Record<string, number> = {};
    let cachedTimings: Record<string, number> = {};
    let memoryBytes = 0;
    let searchInWorker = { p50: 0, p95: 0, max: 0, mean: 0 };
    const roundTrip: number[] = [];
    for (let run = 0; run < 3; run++) {
      const context = await browser.newContext(); // a new context has an empty IndexedDB
      const page = await context.newPage();
      let t = performance.now();
      await page.goto(url + '#/graph');
      let st = await waitReady(page);
      firstWall.push(performance.now() - t);
      if (st.result.source !== 'network') throw new Error('first load in a fresh context did not come from the network');
      first.push(st.result.timings.total!);
      timings = st.result.timings;
      memoryBytes = st.result.memoryBytes;
      for (let r = 0; r < 2; r++) {
        t = performance.now();
        await page.reload();
        st = await waitReady(page);
        cachedWall.push(performance.now() - t);
        if (st.result.source !== 'cache') throw new Error('reload did not load from the IndexedDB cache');
        cached.push(st.result.timings.total!);
        cachedTimings = st.result.timings;
      }
      if (run === 0) {
        searchInWorker = await page.evaluate((qs) => window.__fleming!.benchSearch(qs), queries);
        for (const q of queries.slice(0, 200)) {
          const t1 = performance.now();
          await page.evaluate((x) => window.__fleming!.search(x), q);
          roundTrip.push(performance.now() - t1);
        }
      }
      await context.close();
    }
    return {
      firstLoad: { workerMedianMs: round(median(first)), pageWallMedianMs: round(median(firstWall)), stagesMs: timings },
      cachedLoad: { workerMedianMs: round(median(cached)), pageWallMedianMs: round(median(cachedWall)), stagesMs: cachedTimings },
      memory: { graphColumnsAndCsrMB: round(memoryBytes / 1e6) },
      search: { inWorker: Object.fromEntries(Object.entries(searchInWorker).map(([k, v]) => [k, round(v)])), roundTripFromPage: stats(roundTrip) },
      browser: browser.version(),
    };
  } finally {
    await browser.close();
    await new Promise<void>((r) => server.httpServer.close(() => r()));
  }
}

const bytes = new Uint8Array(readFileSync(GRAPH));
const graphForQueries = new KnowledgeGraph(packGraph(await decodeGraphFile(bytes, GRAPH), '', GRAPH));
const names = Array.from({ length: graphForQueries.nodeCount }, (_, i) => graphForQueries.nodeName(i));
const queries = searchQueries(names, QUERIES, 42);

const node = await benchNode(queries);
console.error('node:', JSON.stringify(node));
const browserResult = await benchBrowser(queries);
console.error('browser:', JSON.stringify(browserResult));
const result = {
  benchmark: 'default-graph-load-and-search',
  date: new Date().toISOString(),
  machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGB: Math.round(totalmem() / 2 ** 30) },
  graphFile: { path: 'public/kg/default-graph.json.gz', bytes: bytes.length },
  queries: QUERIES,
  targets: { firstLoadMs: 2000, cachedLoadMs: 1000, searchP95Ms: 20 },
  node,
  browser: browserResult,
};
mkdirSync(resolve(root, 'bench/results'), { recursive: true });
const out = resolve(root, 'bench/results/graph-load.json');
writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify({ wrote: 'bench/results/graph-load.json', firstLoadMs: result.browser.firstLoad.workerMedianMs, cachedLoadMs: result.browser.cachedLoad.workerMedianMs, searchP95Ms: result.browser.search.inWorker.p95 }));
