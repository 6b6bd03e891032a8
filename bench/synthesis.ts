/**
 * `npm run bench:synthesis`: verified questions per second on the default graph, in one
 * worker — a Node worker thread and a Web Worker in headless Chromium (the app's
 * synthesis worker, against the built app) — plus the tier split, yield per type, the
 * long-tail report and the validity report of `synth --n 3000 --seed 7` (issue 10).
 * Writes bench/results/synthesis.json. Target (issue 4): ≥ 2,000 verified questions/s in
 * one worker — set before the open-world checks of issue 10, which cost most of it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { chromium } from 'playwright';
import { preview } from 'vite';
import { chromiumLaunchOptions } from '../browser-launch.ts';
import { loadGraphFile } from '../src/cli/load-graph-node';
import { synthesize } from '../src/synthesis/run';

const root = resolve(import.meta.dirname, '..');
const N = 3000;
const SEEDS = [1, 2, 3];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function nodeWorker() {
  // the worker registers tsx itself, so it runs the TypeScript sources as the CLI does
  const entry = pathToFileURL(resolve(import.meta.dirname, 'synthesis-worker.ts')).href;
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  const w = new Worker(boot, { eval: true, workerData: { n: N, seeds: SEEDS } });
  const runs = await new Promise<{ seed: number; n: number; ms: number; questionsPerSecond: number }[]>((res, rej) => (w.on('message', res), w.on('error', rej)));
  await w.terminate();
  return { runs, medianQuestionsPerSecond: median(runs.map((r) => r.questionsPerSecond)) };
}

async function browserWorker() {
  if (!existsSync(resolve(root, 'dist/index.html'))) execFileSync('npx', ['vite', 'build'], { cwd: root, stdio: 'inherit' });
  const server = await preview({ root, preview: { port: 4181, strictPort: false, host: '127.0.0.1' }, logLevel: 'silent' });
  const url = server.resolvedUrls?.local[0] ?? 'http://127.0.0.1:4181/';
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const page = await (await browser.newContext()).newPage();
    await page.goto(url + '#/questions');
    await page.waitForFunction(() => !!window.__flemingSynthesis, undefined, { timeout: 60_000 });
    await page.evaluate(() => window.__flemingSynthesis!.bench(200, 99)); // graph load + JIT warm-up, not timed
    const runs = [];
    for (const seed of SEEDS) runs.push({ seed, ...(await page.evaluate(([n, s]) => window.__flemingSynthesis!.bench(n, s), [N, seed] as const)) });
    return { runs, medianQuestionsPerSecond: median(runs.map((r) => r.questionsPerSecond)), browser: browser.version() };
  } finally {
    await browser.close();
    await new Promise<void>((r) => server.httpServer.close(() => r()));
  }
}

const kg = await loadGraphFile();
const { summary } = synthesize(kg, 'default', { n: N, seed: 7, alpha: 1 });
const node = await nodeWorker();
console.error('node worker:', JSON.stringify(node));
const browserResult = await browserWorker();
console.error('browser worker:', JSON.stringify(browserResult));
const result = {
  benchmark: 'question-synthesis',
  date: new Date().toISOString(),
  machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGB: Math.round(totalmem() / 2 ** 30) },
  settings: { n: N, seeds: SEEDS, alpha: 1, optionCount: 4, dropProbability: 0.3 },
  target: { verifiedQuestionsPerSecondInOneWorker: 2000 },
  nodeWorkerThread: node,
  chromiumWebWorker: browserResult,
  synthSeed7: {
    perDifficulty: summary.perDifficulty,
    perType: summary.perType,
    tiersPerType: summary.validity?.tiersPerType,
    dropped: summary.dropped,
    rareAnswerShare: summary.rareAnswerShare,
    rareAnswerShareUniform: summary.rareAnswerShareUniform,
    attempts: summary.attempts,
    validity: summary.validity ? { items: summary.validity.items, secondRightAnswer: summary.validity.secondRightAnswer, counts: summary.validity.counts } : undefined,
  },
};
mkdirSync(resolve(root, 'bench/results'), { recursive: true });
writeFileSync(resolve(root, 'bench/results/synthesis.json'), JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify({ wrote: 'bench/results/synthesis.json', nodeWorkerQps: node.medianQuestionsPerSecond, chromiumWorkerQps: browserResult.medianQuestionsPerSecond }));
