/**
 * `npm run bench:kernels [-- --quick] [-- --only NAME,NAME]`: our WGSL kernels vs
 * @tensorflow/tfjs-backend-webgpu in one headless-Chromium run (SwiftShader without a
 * GPU), served by Vite; writes ratios and the adapter's info to bench/results/kernels.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { chromium } from 'playwright';
import { createServer } from 'vite';
import { chromiumLaunchOptions } from '../browser-launch.ts';
import type { KernelBenchResult } from './kernels-suite';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? (args[onlyAt + 1] ?? '').split(',').filter(Boolean) : undefined;
const out = resolve(root, quick || only ? 'bench/results/kernels-partial.json' : 'bench/results/kernels.json');

const server = await createServer({
  root,
  logLevel: 'warn',
  // no watcher and no HMR: an edit anywhere in the tree during a long run must not reload the page
  server: { port: 4181, strictPort: false, host: '127.0.0.1', hmr: false, watch: null },
  // bundled up front so a mid-run dependency optimisation cannot reload the page
  optimizeDeps: { include: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-core/dist/register_all_gradients', '@tensorflow/tfjs-backend-webgpu'] },
});
await server.listen();
const url = `${server.resolvedUrls?.local[0] ?? 'http://127.0.0.1:4181/'}bench/kernels.html`;
const browser = await chromium.launch(chromiumLaunchOptions());
let result: KernelBenchResult;
try {
  const page = await browser.newPage();
  page.on('console', (m) => console.error(`[page] ${m.text()}`));
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
  await page.goto(url);
  await page.waitForFunction(() => typeof window.__kernelBench === 'function', undefined, { timeout: 120_000 });
  result = await page.evaluate((o) => window.__kernelBench!(o), { quick, ...(only ? { only } : {}) });
} finally {
  await browser.close();
  await server.close();
}

const summary = result.cases.map((c) => ({ name: c.name, ratio: c.ratio, target: c.target, met: c.met }));
const doc = {
  benchmark: 'wgsl-kernels-vs-tfjs-webgpu',
  date: new Date().toISOString(),
  note: 'ratio = tfjs median time / our median time on the same adapter in one browser run (> 1: ours faster). Both sides end each run with a readback of the result.',
  machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGB: Math.round(totalmem() / 2 ** 30) },
  browser: browser.version(),
  adapter: result.adapter,
  tfjsBackend: result.tfjsBackend,
  targets: { matmul: 'ratio ≥ 1.5 on every shape ≥ 256', attention: 'ratio ≥ 2' },
  allTargetsMet: result.cases.every((c) => c.met !== false),
  summary,
  cases: result.cases,
};
mkdirSync(resolve(root, 'bench/results'), { recursive: true });
writeFileSync(out, JSON.stringify(doc, null, 2) + '\n');
console.log(JSON.stringify({ wrote: out.replace(root + '/', ''), summary }, null, 1));
