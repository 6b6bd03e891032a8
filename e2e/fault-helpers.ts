/**
 * Shared by the fault specs: a tiny run on the built-in task, reading the charts and the stored
 * rows, and reaching the training worker's test hooks (workers/training/test-hooks.ts; the page
 * turns them on only when opened with ?testhooks).
 */
import { expect, type Page, type Worker } from '@playwright/test';

export const SHOTS = 'e2e/screenshots/faults';

export async function field(page: Page, key: string, value: string): Promise<void> {
  await page.locator(`[data-field="${key}"] input`).first().fill(value);
}

export async function openTrain(page: Page, query = '?testhooks'): Promise<void> {
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto(`/${query}#/train`);
  const hide = page.getByRole('button', { name: 'Hide the guide' });
  if (await hide.isVisible().catch(() => false)) await hide.click();
  await expect(page.getByTestId('data-summary')).toContainText('training items', { timeout: 90_000 });
}

/** the quick demo on the tiny KG task, cut to `sft` + `grpo` steps; stage 1 ends after 2 GRPO steps at the latest */
export async function startTinyRun(page: Page, name: string, sft: number, grpo: number, opts: { checkpointEvery?: number; maxSkips?: number } = {}): Promise<void> {
  await page.getByRole('button', { name: 'Quick demo' }).click();
  await page.getByLabel('Run name').fill(name);
  await field(page, 'sft.max_steps', String(sft));
  await field(page, 'grpo.max_steps', String(grpo));
  await field(page, 'grpo.num_generations', '4');
  await field(page, 'grpo.prompts_per_step', '2');
  await field(page, 'grpo.max_completion_length', '16');
  await field(page, 'curriculum.plateau_window', '2');
  await field(page, 'curriculum.stage1_max_steps', '2');
  await field(page, 'curriculum.stage2_num_generations', '4');
  await field(page, 'curriculum.mine_samples', '1');
  await field(page, 'curriculum.remine_every', '50');
  await field(page, 'run.checkpoint_every', String(opts.checkpointEvery ?? 3));
  await page.getByRole('button', { name: 'Start training' }).click();
  await expect(page.getByTestId('run-status')).toHaveText(/training|starting|preparing/, { timeout: 60_000 });
}

export const stepOf = async (page: Page): Promise<number> => Number((await page.getByTestId('run-step').innerText()).match(/step (\d+)/)![1]);

/** "loss:12 …" on a chart → counts per line */
export async function points(page: Page, chart: string): Promise<Record<string, number>> {
  const attr = (await page.getByTestId(`chart-${chart}`).locator('.chart-host').getAttribute('data-points')) ?? '';
  return Object.fromEntries(attr.split(' ').filter(Boolean).map((p) => [p.split(':')[0]!, Number(p.split(':')[1])]));
}

/** the page's training worker (the built file is training.worker-<hash>.js) */
export async function trainingWorker(page: Page): Promise<Worker> {
  await expect.poll(() => page.workers().some((w) => /training\.worker/.test(w.url())), { timeout: 30_000 }).toBe(true);
  return page.workers().find((w) => /training\.worker/.test(w.url()))!;
}

/** call a test hook in the training worker, e.g. hook(page, 'corruptSteps(2)') (workers/training/test-hooks.ts) */
export async function hook<T = unknown>(page: Page, call: string): Promise<T> {
  const w = await trainingWorker(page);
  await expect.poll(() => w.evaluate(() => typeof (self as unknown as { __flemingTest?: unknown }).__flemingTest), { timeout: 10_000 }).toBe('object');
  return w.evaluate(`self.__flemingTest.${call}`) as Promise<T>;
}

/** what IndexedDB holds for a run: metric steps, rollout steps, checkpoint steps and their tensor counts, events */
export async function stored(page: Page, runName: string) {
  return page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open('fleming-workbench');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const all = <T,>(store: string, range?: IDBKeyRange) =>
      new Promise<T[]>((res, rej) => {
        const r = db.transaction(store).objectStore(store).getAll(range);
        r.onsuccess = () => res(r.result as T[]);
        r.onerror = () => rej(r.error);
      });
    const runs = await all<{ id: string; name: string; status: string; error?: string; recoveries?: unknown[]; lastCheckpointStep: number | null }>('runs');
    const run = runs.find((r) => r.name === name);
    if (!run) return null;
    const range = IDBKeyRange.bound([run.id], [run.id, []]);
    const metrics = await all<{ step: number; skipped?: boolean }>('metrics', range);
    const rollouts = await all<{ step: number }>('rollouts', range);
    const checkpoints = await all<{ step: number; label: string; tensors: string[] }>('checkpoints', range);
    const tensors = await all<{ step: number }>('checkpointTensors', range);
    const events = await all<{ step: number; kind: string }>('events', range);
    db.close();
    return {
      run,
      metricSteps: metrics.map((m) => m.step),
      skippedSteps: metrics.filter((m) => m.skipped).map((m) => m.step),
      rolloutSteps: [...new Set(rollouts.map((r) => r.step))],
      checkpoints: checkpoints.map((c) => ({ step: c.step, label: c.label, tensors: c.tensors.length, stored: tensors.filter((t) => t.step === c.step).length })),
      tensorSteps: [...new Set(tensors.map((t) => t.step))],
      events: events.map((e) => `${e.kind}@${e.step}`),
    };
  }, runName);
}

/** 1…n */
export const range1 = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
