/**
 * `npm run bench:soak`: a long GRPO run of the micro model in the built app (headless Chromium,
 * the real Train view and training worker, WebGPU on whatever adapter Chromium has — SwiftShader
 * here), sampled every 50 GRPO steps:
 *
 *   - GPU: the runtime's allocated bytes (GpuRuntime.allocatedBytes) and, counted independently by
 *     wrapping GPUDevice.createBuffer / GPUBuffer.destroy inside the worker, the live GPU buffers
 *     and their bytes (a buffer dropped without destroy() counts as live: a leak in our code);
 *   - JS heap per realm (the page and the training worker) with measureUserAgentSpecificMemory
 *     after a forced GC (the app is served with COOP/COEP for this measurement only);
 *   - IndexedDB: navigator.storage.estimate() and the rows the run has stored, per store.
 *
 * The verdict (analyse()) judges the second half of the soak, the first being warm-up: GPU memory
 * and buffers must be flat, the worker's heap must not grow with steps, the page's only by the
 * metric rows it keeps for the charts, checkpoints must stay pruned and rollouts within their
 * retention (run-store.ts RolloutRetention); metric rows are the run's record and grow by one a step.
 *
 *   npx tsx bench/soak.ts [--steps 1000] [--every 50] [--dist DIR] [--build] [--out FILE]
 *   npx tsx bench/soak.ts --analyse bench/results/soak.json    # recompute the verdict from recorded samples
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import type { Page, Worker } from 'playwright';
import { runMain, withBuiltApp } from './built-app';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const GRPO_STEPS = Number(flag('steps') ?? 1000);
const EVERY = Number(flag('every') ?? 50);
const SFT_STEPS = 20;
const outDir = resolve(root, flag('dist') ?? 'dist');
const OUT = resolve(root, flag('out') ?? 'bench/results/soak.json');

/** the run's settings (the Quick demo recipe, with these changes) */
const SETTINGS: Record<string, string> = {
  'sft.max_steps': String(SFT_STEPS),
  'grpo.max_steps': String(GRPO_STEPS),
  'grpo.num_generations': '4',
  'grpo.prompts_per_step': '4',
  'grpo.max_completion_length': '24',
  'curriculum.stage1_max_steps': '100',
  'curriculum.remine_every': '100',
  'curriculum.mine_samples': '1',
  'curriculum.stage2_num_generations': '6',
  'run.checkpoint_every': '50',
};

interface Sample {
  grpoStep: number;
  globalStep: number;
  wallS: number;
  stage: string;
  /** liveBuffers/Bytes: storage and read-back buffers; uniform buffers apart (the runtime caches up to 4,096 small ones by value, then drops them all) */
  gpu: { runtimeAllocatedBytes: number | null; liveBuffers: number; liveBufferBytes: number; liveUniformBuffers: number; created: number; destroyed: number; modelBytes: number | null };
  heapMB: { page: number; trainingWorker: number; total: number };
  pageUsedJsHeapMB: number;
  indexedDB: { usageMB: number; indexedDBMB: number | null };
  rows: Record<string, number>;
}

const mb = (b: number) => Math.round((b / 2 ** 20) * 100) / 100;

async function trainingWorker(page: Page): Promise<Worker> {
  for (let i = 0; i < 300; i++) {
    const w = page.workers().find((x) => /training\.worker/.test(x.url()));
    if (w) return w;
    await page.waitForTimeout(100);
  }
  throw new Error('the training worker did not start');
}

/** count GPU buffers in the worker from now on, independently of the runtime's own bookkeeping */
async function instrumentBuffers(w: Worker): Promise<void> {
  await w.evaluate(() => {
    const g = self as unknown as { __soak?: () => unknown };
    if (g.__soak) return;
    const live = new Map<GPUBuffer, { size: number; uniform: boolean }>();
    let created = 0;
    let destroyed = 0;
    const create = GPUDevice.prototype.createBuffer;
    GPUDevice.prototype.createBuffer = function (this: GPUDevice, d: GPUBufferDescriptor) {
      const b = create.call(this, d);
      live.set(b, { size: d.size, uniform: (d.usage & GPUBufferUsage.UNIFORM) !== 0 });
      created++;
      return b;
    };
    const destroy = GPUBuffer.prototype.destroy;
    GPUBuffer.prototype.destroy = function (this: GPUBuffer) {
      if (live.delete(this)) destroyed++;
      return destroy.call(this);
    };
    g.__soak = () => {
      const all = [...live.values()];
      const storage = all.filter((b) => !b.uniform);
      return {
        liveBuffers: storage.length,
        liveBufferBytes: storage.reduce((a, b) => a + b.size, 0),
        liveUniformBuffers: all.length - storage.length,
        created,
        destroyed,
      };
    };
  });
}

async function sample(page: Page, w: Worker, runName: string, t0: number): Promise<Omit<Sample, 'grpoStep' | 'globalStep' | 'stage'>> {
  // a full GC in both realms first, so the heap numbers are live data, not garbage awaiting collection
  await page.evaluate(() => (globalThis as unknown as { gc?: () => void }).gc?.());
  await w.evaluate(() => (globalThis as unknown as { gc?: () => void }).gc?.());
  const buffers = (await w.evaluate(() => (self as unknown as { __soak: () => unknown }).__soak())) as { liveBuffers: number; liveBufferBytes: number; liveUniformBuffers: number; created: number; destroyed: number };
  const hooks = (await w.evaluate('self.__flemingTest.stats()')) as { gpuAllocatedBytes: number | null; modelBytes: number | null };
  const page_ = await page.evaluate(async (name) => {
    const m = (await (performance as unknown as { measureUserAgentSpecificMemory(): Promise<{ bytes: number; breakdown: Array<{ bytes: number; attribution: Array<{ url: string; scope: string }> }> }> }).measureUserAgentSpecificMemory()) as {
      bytes: number;
      breakdown: Array<{ bytes: number; attribution: Array<{ url: string; scope: string }> }>;
    };
    let pageBytes = 0;
    let workerBytes = 0;
    for (const b of m.breakdown) {
      const a = b.attribution[0];
      if (!a) continue;
      if (a.scope === 'Window') pageBytes += b.bytes;
      else if (/training\.worker/.test(a.url)) workerBytes += b.bytes;
    }
    const est = (await navigator.storage.estimate()) as StorageEstimate & { usageDetails?: { indexedDB?: number } };
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open('fleming-workbench');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const runs = await new Promise<Array<{ id: string; name: string }>>((res) => {
      const r = db.transaction('runs').objectStore('runs').getAll();
      r.onsuccess = () => res(r.result);
    });
    const run = runs.find((r) => r.name === name);
    const rows: Record<string, number> = {};
    if (run) {
      const range = IDBKeyRange.bound([run.id], [run.id, []]);
      for (const s of ['metrics', 'rollouts', 'events', 'checkpoints', 'checkpointTensors'])
        rows[s] = await new Promise<number>((res) => {
          const r = db.transaction(s).objectStore(s).count(range);
          r.onsuccess = () => res(r.result);
        });
    }
    db.close();
    const used = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;
    return { total: m.bytes, pageBytes, workerBytes, usage: est.usage ?? 0, idb: est.usageDetails?.indexedDB ?? null, rows, used };
  }, runName);
  return {
    wallS: Math.round((performance.now() - t0) / 100) / 10,
    gpu: { runtimeAllocatedBytes: hooks.gpuAllocatedBytes, ...buffers, modelBytes: hooks.modelBytes },
    heapMB: { page: mb(page_.pageBytes), trainingWorker: mb(page_.workerBytes), total: mb(page_.total) },
    pageUsedJsHeapMB: mb(page_.used),
    indexedDB: { usageMB: mb(page_.usage), indexedDBMB: page_.idb === null ? null : mb(page_.idb) },
    rows: page_.rows,
  };
}

/** least-squares slope of y over x */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den ? num / den : 0;
}

/** how a series moves over a window of GRPO steps: first and last value, range, fitted slope per 100 steps */
function trend(samples: Sample[], pick: (s: Sample) => number | null, unit: string, from: number) {
  const after = samples.filter((s) => s.grpoStep >= from && pick(s) !== null);
  const xs = after.map((s) => s.grpoStep);
  const ys = after.map((s) => pick(s)!);
  return {
    unit,
    from,
    first: ys[0] ?? null,
    last: ys.at(-1) ?? null,
    min: ys.length ? Math.min(...ys) : null,
    max: ys.length ? Math.max(...ys) : null,
    per100Steps: ys.length > 2 ? Math.round(slope(xs, ys) * 100 * 1000) / 1000 : null,
  };
}

/**
 * The verdict, over the second half of the soak (the first half is warm-up: the buffer pool gains
 * a bucket when a new shape first appears — stage 2's larger groups, a mining batch — and the
 * stage-1 reward history grows until stage 1 ends). Thresholds:
 *   GPU bytes and storage buffers: flat (max − min ≤ 1% of the level);
 *   uniform buffers: within the runtime's cache cap (4,096, dropped all at once when reached);
 *   training-worker heap: no growth with steps (fitted slope ≤ 1 KB per step, GC noise);
 *   page heap: ≤ 4 KB per step (it keeps every metric row of the run for the charts, ~1–2 KB each);
 *   checkpoints: at most the 5 kept labels + 2 periodic;
 *   stored rollouts: within the retention (the last 200 steps + every 50th step before).
 */
function analyse(samples: Sample[], grpoSteps: number) {
  const half = Math.floor(grpoSteps / 2);
  const all = (pick: (s: Sample) => number | null, unit: string) => trend(samples, pick, unit, 0);
  const late = (pick: (s: Sample) => number | null, unit: string) => trend(samples, pick, unit, half);
  const trends = {
    gpuRuntimeBytes: { wholeRun: all((s) => s.gpu.runtimeAllocatedBytes, 'bytes'), secondHalf: late((s) => s.gpu.runtimeAllocatedBytes, 'bytes') },
    gpuLiveBuffers: { wholeRun: all((s) => s.gpu.liveBuffers, 'buffers'), secondHalf: late((s) => s.gpu.liveBuffers, 'buffers') },
    gpuLiveBufferBytes: { wholeRun: all((s) => s.gpu.liveBufferBytes, 'bytes'), secondHalf: late((s) => s.gpu.liveBufferBytes, 'bytes') },
    gpuLiveUniformBuffers: { wholeRun: all((s) => s.gpu.liveUniformBuffers, 'buffers') },
    trainingWorkerHeapMB: { wholeRun: all((s) => s.heapMB.trainingWorker, 'MB'), secondHalf: late((s) => s.heapMB.trainingWorker, 'MB') },
    pageHeapMB: { wholeRun: all((s) => s.heapMB.page, 'MB'), secondHalf: late((s) => s.heapMB.page, 'MB') },
    storageUsageMB: { wholeRun: all((s) => s.indexedDB.usageMB, 'MB'), secondHalf: late((s) => s.indexedDB.usageMB, 'MB') },
    storedRollouts: { wholeRun: all((s) => s.rows.rollouts ?? 0, 'rows'), secondHalf: late((s) => s.rows.rollouts ?? 0, 'rows') },
    storedMetricRows: { wholeRun: all((s) => s.rows.metrics ?? 0, 'rows') },
    checkpoints: { wholeRun: all((s) => s.rows.checkpoints ?? 0, 'checkpoints') },
  };
  const flat = (t: ReturnType<typeof trend>) => t.min !== null && t.max !== null && t.max - t.min <= Math.max(1, 0.01 * t.max);
  const kbPerStep = (t: ReturnType<typeof trend>) => (t.per100Steps === null ? null : Math.round(((t.per100Steps * 1024) / 100) * 100) / 100);
  const lastSample = samples.at(-1)!;
  const rolloutsPerStep = 24; // prompts_per_step 4 × G up to 6
  const retained = Math.min(lastSample.grpoStep, 200) + Math.floor(Math.max(0, lastSample.globalStep - 200) / 50);
  const verdict = {
    gpuRuntimeBytesFlat: flat(trends.gpuRuntimeBytes.secondHalf),
    gpuLiveBuffersFlat: flat(trends.gpuLiveBuffers.secondHalf) && flat(trends.gpuLiveBufferBytes.secondHalf),
    gpuUniformBuffersBounded: (trends.gpuLiveUniformBuffers.wholeRun.max ?? 0) <= 4096 + 64,
    trainingWorkerHeapKbPerStep: kbPerStep(trends.trainingWorkerHeapMB.secondHalf),
    trainingWorkerHeapBounded: (kbPerStep(trends.trainingWorkerHeapMB.secondHalf) ?? Infinity) <= 1,
    pageHeapKbPerStep: kbPerStep(trends.pageHeapMB.secondHalf),
    pageHeapBounded: (kbPerStep(trends.pageHeapMB.secondHalf) ?? Infinity) <= 4,
    checkpointsBounded: (trends.checkpoints.wholeRun.max ?? 0) <= 7,
    rolloutsWithinRetention: (lastSample.rows.rollouts ?? 0) <= retained * rolloutsPerStep,
    storageMbPer100Steps: trends.storageUsageMB.secondHalf.per100Steps,
  };
  const ok = verdict.gpuRuntimeBytesFlat && verdict.gpuLiveBuffersFlat && verdict.gpuUniformBuffersBounded && verdict.trainingWorkerHeapBounded && verdict.pageHeapBounded && verdict.checkpointsBounded && verdict.rolloutsWithinRetention;
  return { verdict: { ok, ...verdict }, trends };
}

async function main() {
  const again = flag('analyse');
  if (again) {
    // recompute the verdict of a recorded soak from its samples (after a change to the thresholds)
    const d = JSON.parse(readFileSync(resolve(root, again), 'utf8')) as { samples: Sample[]; verdict: unknown; trends: unknown; settings: Record<string, string> };
    Object.assign(d, analyse(d.samples, Number(d.settings['grpo.max_steps'])));
    writeFileSync(resolve(root, again), JSON.stringify(d, null, 2) + '\n');
    console.log(JSON.stringify(d.verdict, null, 2));
    return;
  }
  await withBuiltApp({ port: 4182, outDir, rebuild: args.includes('--build'), measureMemory: true }, async (url, browser) => {
    const runName = `soak ${GRPO_STEPS} GRPO steps`;
    const samples: Sample[] = [];
    const t0 = performance.now();
    const page = await (await browser.newContext()).newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.setViewportSize({ width: 1440, height: 1000 });
    await page.goto(`${url}?testhooks#/train`);
    if (!(await page.evaluate(() => crossOriginIsolated))) throw new Error('the page is not cross-origin isolated: measureUserAgentSpecificMemory is unavailable');
    const hide = page.getByRole('button', { name: 'Hide the guide' });
    if (await hide.isVisible().catch(() => false)) await hide.click();
    await page.getByTestId('data-summary').filter({ hasText: 'training items' }).waitFor({ timeout: 120_000 });
    const w = await trainingWorker(page);
    await instrumentBuffers(w);
    await page.getByRole('button', { name: 'Quick demo' }).click();
    await page.getByLabel('Run name').fill(runName);
    for (const [k, v] of Object.entries(SETTINGS)) await page.locator(`[data-field="${k}"] input`).first().fill(v);
    await page.getByRole('button', { name: 'Start training' }).click();

    const stepText = page.getByTestId('run-step');
    const stepNow = async () => Number((await stepText.innerText()).match(/step (\d+)/)?.[1] ?? 0);
    let next = 0;
    for (;;) {
      const status = (await page.getByTestId('run-status').innerText().catch(() => '')).trim();
      const g = await stepNow();
      const grpo = Math.max(0, g - SFT_STEPS);
      if (g >= SFT_STEPS && grpo >= next) {
        const phase = (await page.getByTestId('run-phase').innerText().catch(() => '')).trim();
        const s = { grpoStep: grpo, globalStep: g, stage: phase || status, ...(await sample(page, w, runName, t0)) };
        samples.push(s);
        console.log(
          `grpo ${s.grpoStep} (${s.stage}, ${s.wallS} s): gpu ${mb(s.gpu.runtimeAllocatedBytes ?? 0)} MB runtime, ${s.gpu.liveBuffers} buffers / ${mb(s.gpu.liveBufferBytes)} MB live + ${s.gpu.liveUniformBuffers} uniform · heap page ${s.heapMB.page} MB, worker ${s.heapMB.trainingWorker} MB · IDB ${s.indexedDB.usageMB} MB · rows ${JSON.stringify(s.rows)}`,
        );
        next = Math.floor(grpo / EVERY) * EVERY + EVERY;
      }
      if (['completed', 'failed', 'stopped', 'interrupted'].includes(status)) {
        if (status !== 'completed') throw new Error(`the run ended ${status}: ${await page.getByTestId('run-error').innerText().catch(() => '')}`);
        // the last training sample may have been taken after the end: keep only samples taken while it trained
        while (samples.length && samples.at(-1)!.stage === 'completed') samples.pop();
        break;
      }
      await page.waitForTimeout(500);
    }
    // once the run is over (final checkpoint, held-out evaluation, model disposed)
    await page.getByTestId('final-heldout').waitFor({ timeout: 300_000 });
    const afterRun = { grpoStep: GRPO_STEPS, globalStep: SFT_STEPS + GRPO_STEPS, stage: 'after the run', ...(await sample(page, w, runName, t0)) };
    console.log(`after the run: gpu ${mb(afterRun.gpu.runtimeAllocatedBytes ?? 0)} MB runtime, ${afterRun.gpu.liveBuffers} buffers · heap worker ${afterRun.heapMB.trainingWorker} MB · IDB ${afterRun.indexedDB.usageMB} MB`);
    const last = samples.at(-1)!;
    const wallS = Math.round((performance.now() - t0) / 1000);
    const { verdict, trends } = analyse(samples, GRPO_STEPS);
    const out = {
      benchmark: 'soak-grpo-micro',
      what: `${GRPO_STEPS} GRPO steps (after ${SFT_STEPS} SFT steps) of the micro preset in the built app's Train view and training worker (headless Chromium, WebGPU), sampled every ${EVERY} GRPO steps`,
      date: new Date().toISOString(),
      machine: { cpu: cpus()[0]?.model.trim(), cores: cpus().length, memoryGB: Math.round(totalmem() / 2 ** 30) },
      device: (await page.getByTestId('run-controls').locator('.muted').first().innerText()).split(' · ').slice(0, 2).join(' · '),
      settings: { task: 'built-in KG task, tiny', preset: 'micro', recipe: 'Quick demo', ...SETTINGS },
      method: {
        gpu: 'GpuRuntime.allocatedBytes (test hook), and live GPUBuffers counted by wrapping GPUDevice.createBuffer / GPUBuffer.destroy in the worker (a buffer dropped without destroy stays counted)',
        heap: 'performance.measureUserAgentSpecificMemory() per realm after gc() in the page and the worker; the app served with COOP/COEP for the measurement only',
        indexedDB: 'navigator.storage.estimate() and per-store row counts of the run',
        verdictWindow: 'the second half of the soak; the first half is warm-up (see analyse() in bench/soak.ts for the thresholds)',
      },
      wallS,
      sPerGrpoStep: Math.round(((last.wallS - (samples[0]?.wallS ?? 0)) / Math.max(1, last.grpoStep - (samples[0]?.grpoStep ?? 0))) * 100) / 100,
      verdict,
      trends,
      samples,
      afterRun,
    };
    mkdirSync(dirname(OUT), { recursive: true });
    writeFileSync(OUT, JSON.stringify(out, null, 2) + '\n');
    console.log(JSON.stringify({ verdict: out.verdict, wallS, sPerGrpoStep: out.sPerGrpoStep }, null, 2));
  });
}

runMain(main);
