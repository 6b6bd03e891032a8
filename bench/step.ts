/**
 * `npm run bench:step [-- --quick]`: one full training step (forward, backward, clipping, AdamW)
 * of our GPU model vs the same Llama in @tensorflow/tfjs ops on tfjs-backend-webgpu, on the same
 * adapter in one headless-Chromium run (SwiftShader without a GPU), for the micro and workshop
 * presets; plus rollout tokens/s with and without the KV cache. Writes bench/results/step.json
 * (--quick: bench/results/step-partial.json, small shapes; --options FILE.json: other cases, e.g.
 * {"cases":[{"preset":"workshop","override":{"num_hidden_layers":2},"batch":64,"seq":30}],"vocab":500,
 * "tfjs":false}, written to bench/results/step-custom.json).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { chromium } from 'playwright';
import { createServer } from 'vite';
import { chromiumLaunchOptions } from '../browser-launch.ts';
import type { StepBenchOptions, StepBenchResult } from './step-suite';

const root = resolve(import.meta.dirname, '..');
const quick = process.argv.includes('--quick');
const optionsAt = process.argv.indexOf('--options');
const custom = optionsAt >= 0 ? (JSON.parse(readFileSync(process.argv[optionsAt + 1]!, 'utf8')) as Omit<StepBenchOptions, 'onProgress' | 'signal'>) : null;
const out = resolve(root, custom ? 'bench/results/step-custom.json' : quick ? 'bench/results/step-partial.json' : 'bench/results/step.json');
const opts: Omit<StepBenchOptions, 'onProgress' | 'signal'> = custom ?? (quick
  ? { cases: [{ preset: 'micro', batch: 4, seq: 32 }], rollout: [{ preset: 'micro', rows: 4, newTokens: 8 }], budgetMs: 1000 }
  : {});

const server = await createServer({
  root,
  logLevel: 'warn',
  // no watcher and no HMR: an edit anywhere in the tree during a long run must not reload the page
  server: { port: 4182, strictPort: false, host: '127.0.0.1', hmr: false, watch: null },
  optimizeDeps: { include: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-core/dist/register_all_gradients', '@tensorflow/tfjs-backend-webgpu'] },
});
await server.listen();
const url = `${server.resolvedUrls?.local[0] ?? 'http://127.0.0.1:4182/'}bench/step.html`;
const browser = await chromium.launch(chromiumLaunchOptions());
const load = loadavg()[0]!;
let result: StepBenchResult;
const t0 = Date.now();
try {
  const page = await browser.newPage();
  page.on('console', (m) => console.error(`[page] ${m.text()}`));
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
  await page.goto(url);
  await page.waitForFunction(() => typeof window.__stepBench === 'function', undefined, { timeout: 120_000 });
  result = await page.evaluate((o) => window.__stepBench!(o), opts);
} finally {
  await browser.close();
  await server.close();
}

const doc = {
  benchmark: 'training-step-vs-tfjs-webgpu',
  date: new Date().toISOString(),
  note:
    'One optimizer step (forward, backward, clip_grad_norm_, AdamW) of the same Llama from the same weights; SFT cross-entropy on 3/4 of each row. ratio = tfjs median ms / our median ms (> 1: ours faster), alternating runs on the same adapter, each ending in a readback of the loss. lossRelDiff: the two implementations\' first-step losses. Rollout: tokens per second of sampled generation (temperature 1) with the KV cache and re-running the whole sequence per token.',
  target: 'ratio ≥ 2 on every case',
  allTargetsMet: result.cases.length > 0 && result.cases.every((c) => c.ratio >= 2),
  options: opts,
  machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGB: Math.round(totalmem() / 2 ** 30), loadAverageAtStart: Math.round(load * 100) / 100 },
  browser: browser.version(),
  adapter: result.adapter,
  tfjsBackend: result.tfjsBackend,
  vocab: result.vocab,
  wallSeconds: Math.round((Date.now() - t0) / 1000),
  cases: result.cases,
  rollout: result.rollout,
};
mkdirSync(resolve(root, 'bench/results'), { recursive: true });
writeFileSync(out, JSON.stringify(doc, null, 2) + '\n');
console.log(JSON.stringify({ wrote: out.replace(root + '/', ''), cases: result.cases, rollout: result.rollout }, null, 1));
