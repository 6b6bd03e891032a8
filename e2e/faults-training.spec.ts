import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { hook, openTrain, points, range1, SHOTS, startTinyRun, stepOf, stored, trainingWorker } from './fault-helpers';

/**
 * Faults during training, each injected into the live training worker of the built app:
 * the GPU device destroyed mid-run, NaN losses (transient, then persistent), a full disk during a
 * streamed batch and during a checkpoint, and the training worker itself dying. In each case the
 * run must say what happened, keep everything stored before the fault intact, and carry on (or
 * resume on request) to the same end. The reload-mid-training fault is in train.spec.ts (run B).
 * Device loss and NaN use the worker's test hooks (?testhooks, workers/training/test-hooks.ts);
 * the full disk patches IndexedDB's put inside the worker; the crash closes the worker.
 */

test.beforeAll(() => mkdirSync(SHOTS, { recursive: true }));

const status = (page: Page) => page.getByTestId('run-status');

test('GPU device lost mid-training: a new device, the run goes back to its last checkpoint, recomputes, completes, and says so', async ({ page }) => {
  test.setTimeout(600_000);
  const name = 'fault: device lost';
  await openTrain(page);
  await startTinyRun(page, name, 10, 4, { checkpointEvery: 3 });
  await expect.poll(() => stepOf(page), { timeout: 240_000 }).toBeGreaterThanOrEqual(5);
  expect(await hook(page, 'loseDevice()')).toBe('destroyed');

  const note = page.getByTestId('recovery-note');
  await expect(note).toContainText(/lost at step \d+, resumed from step \d+/, { timeout: 120_000 });
  const [, lostAt, from] = (await note.innerText()).match(/lost at step (\d+), resumed from step (\d+)/)!.map(Number) as [number, number, number];
  expect(from).toBeLessThanOrEqual(lostAt);
  expect(from % 3).toBe(0); // a periodic checkpoint
  await page.screenshot({ path: `${SHOTS}/device-lost.png`, fullPage: true });

  await expect(status(page)).toHaveText('completed', { timeout: 300_000 });
  const s = (await stored(page, name))!;
  // every step once, none lost, none duplicated; the curriculum's events once each
  expect(s.metricSteps).toEqual(range1(14));
  expect(s.events.length).toBe(new Set(s.events).size);
  expect(s.run.recoveries).toHaveLength(1);
  expect((await points(page, 'loss')).loss).toBe(14);
  // the note is part of the stored run
  await page.reload();
  await expect(page.getByTestId('recovery-note')).toContainText(`lost at step ${lostAt}, resumed from step ${from}`, { timeout: 60_000 });
});

test('NaN/Inf loss: a bad step is skipped and counted; repeated ones stop the run with the reason; resume continues', async ({ page }) => {
  test.setTimeout(600_000);
  const name = 'fault: NaN';
  await openTrain(page);
  await startTinyRun(page, name, 16, 2, { checkpointEvery: 4 });
  await expect.poll(() => stepOf(page), { timeout: 240_000 }).toBeGreaterThanOrEqual(2);
  await hook(page, 'corruptSteps(2)');
  const skippedNote = page.getByTestId('skipped-note');
  await expect(skippedNote).toContainText('2 steps were skipped', { timeout: 120_000 });
  await expect(skippedNote).toContainText('weights stayed as they were');
  // the run went on: more steps after the two skipped ones
  const firstSkips = (await stored(page, name))!.skippedSteps;
  expect(firstSkips).toHaveLength(2);
  expect(firstSkips[1]! - firstSkips[0]!).toBe(1);
  await expect.poll(() => stepOf(page), { timeout: 120_000 }).toBeGreaterThan(firstSkips[1]! + 1);

  // a fault that does not go away: max_consecutive_skips (5) in a row stop the run, with the reason and what to do
  await expect.poll(() => stepOf(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(8);
  await hook(page, 'corruptSteps(1000)');
  await expect(status(page)).toHaveText('failed', { timeout: 180_000 });
  const err = page.getByTestId('run-error');
  await expect(err).toContainText('5 steps in a row had a NaN or infinite loss or gradient');
  await expect(err).toContainText(/resume from the checkpoint at step \d+/);
  await expect(skippedNote).toContainText('7 steps were skipped');
  await page.screenshot({ path: `${SHOTS}/nan-stopped.png`, fullPage: true });
  const failed = (await stored(page, name))!;
  expect(failed.run.status).toBe('failed');
  expect(failed.skippedSteps).toHaveLength(7);

  // the cause is gone; resume from the last checkpoint (skipped steps leave the weights alone, so it is a good one) and finish
  await hook(page, 'corruptSteps(0)');
  const resume = page.getByTestId('resume-from-checkpoint');
  const from = Number((await resume.innerText()).match(/step (\d+)/)![1]);
  await expect(err).toContainText(`resume from the checkpoint at step ${from}`);
  await resume.click();
  await expect(status(page)).toHaveText('completed', { timeout: 300_000 });
  const done = (await stored(page, name))!;
  expect(done.metricSteps).toEqual(range1(18));
  // skips up to the checkpoint stay on record; the steps after it were recomputed, cleanly
  const kept = failed.skippedSteps.filter((x) => x <= from);
  expect(done.skippedSteps).toEqual(kept);
  await expect(skippedNote).toContainText(`${kept.length} steps were skipped`);
});

/** make IndexedDB puts into these stores throw QuotaExceededError inside the training worker, as a full disk does */
async function fillDisk(page: Page, stores: string[]) {
  const w = await trainingWorker(page);
  await w.evaluate((names) => {
    const g = self as unknown as { __quota?: { stores: string[] }; __origPut?: typeof IDBObjectStore.prototype.put };
    g.__quota = { stores: names };
    if (!g.__origPut) {
      const orig = (g.__origPut = IDBObjectStore.prototype.put);
      IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...a: Parameters<typeof orig>) {
        if (g.__quota!.stores.includes(this.name)) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return orig.apply(this, a);
      };
    }
  }, stores);
}

test('storage full during a checkpoint and during a streamed batch: a clear message, the run pauses, nothing half-written, Resume finishes', async ({ page }) => {
  test.setTimeout(600_000);
  const name = 'fault: disk full';
  await openTrain(page);
  await startTinyRun(page, name, 8, 4, { checkpointEvery: 3 });
  await expect.poll(() => stepOf(page), { timeout: 240_000 }).toBeGreaterThanOrEqual(1);

  // 1. the next checkpoint's tensors do not fit
  await fillDisk(page, ['checkpointTensors']);
  const err = page.getByTestId('run-error');
  await expect(err).toContainText('Not enough browser storage to save the checkpoint at step', { timeout: 180_000 });
  await expect(err).toContainText('the earlier checkpoints and metrics are intact. Free some space and press Resume');
  await expect(status(page)).toHaveText('paused');
  const at = Number((await err.innerText()).match(/checkpoint at step (\d+)/)![1]);
  let s = (await stored(page, name))!;
  // nothing of that checkpoint was written; the ones before it are whole
  expect(s.checkpoints.map((c) => c.step)).not.toContain(at);
  expect(s.tensorSteps).not.toContain(at);
  for (const c of s.checkpoints) expect(c.stored).toBe(c.tensors);
  expect(s.metricSteps).toEqual(range1(at));
  await page.screenshot({ path: `${SHOTS}/disk-full-checkpoint.png`, fullPage: true });
  // space freed: Resume saves it and training goes on
  await fillDisk(page, []);
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect.poll(async () => (await stored(page, name))!.checkpoints.map((c) => c.step), { timeout: 60_000 }).toContain(at);
  await expect.poll(() => stepOf(page), { timeout: 120_000 }).toBeGreaterThan(at);

  // 2. in GRPO, a streamed batch (metric rows + their rollouts, one transaction) does not fit: the rollouts fail after the rows were put
  await expect(page.getByTestId('run-phase')).toHaveText(/GRPO/, { timeout: 240_000 });
  await fillDisk(page, ['rollouts']);
  await expect(err).toContainText('Not enough browser storage to save training step', { timeout: 180_000 });
  // (said by the stream, or by the checkpoint that waits for the rows before it)
  await expect(err).toContainText(/The run is paused.*(earlier steps and checkpoints are intact|earlier checkpoints and metrics are intact)\. Free some space and press Resume/);
  await expect(status(page)).toHaveText('paused', { timeout: 60_000 });
  s = (await stored(page, name))!;
  // no metric row of a GRPO step without its rollouts: the batch landed whole or not at all
  const grpoSteps = s.metricSteps.filter((x) => x > 8);
  expect(grpoSteps.every((x) => s.rolloutSteps.includes(x))).toBe(true);
  expect(s.metricSteps).toEqual(range1(s.metricSteps.length));
  await page.screenshot({ path: `${SHOTS}/disk-full-batch.png`, fullPage: true });
  await fillDisk(page, []);
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(status(page)).toHaveText('completed', { timeout: 300_000 });
  s = (await stored(page, name))!;
  expect(s.metricSteps).toEqual(range1(12));
  expect(range1(12).filter((x) => x > 8).every((x) => s.rolloutSteps.includes(x))).toBe(true);
});

test('the training worker dies mid-run: the error says so, the run is interrupted with its stored steps intact, and resumes in a new worker', async ({ page }) => {
  test.setTimeout(600_000);
  const name = 'fault: worker crash';
  await openTrain(page);
  await startTinyRun(page, name, 10, 2, { checkpointEvery: 3 });
  await expect.poll(() => stepOf(page), { timeout: 240_000 }).toBeGreaterThanOrEqual(4);
  const w = await trainingWorker(page);
  await w.evaluate(() => self.close()).catch(() => {});

  const err = page.getByTestId('run-error');
  await expect(err).toContainText('The training worker stopped unexpectedly', { timeout: 60_000 });
  await expect(err).toContainText('The run is interrupted');
  await expect(status(page)).toHaveText('interrupted');
  const s = (await stored(page, name))!;
  expect(s.run.status).toBe('interrupted');
  expect(s.metricSteps).toEqual(range1(s.metricSteps.length));
  expect(s.metricSteps.length).toBeGreaterThanOrEqual(3);
  // what is on screen is what is stored
  await expect.poll(async () => (await points(page, 'loss')).loss, { timeout: 30_000 }).toBe(s.metricSteps.length);
  await page.screenshot({ path: `${SHOTS}/training-worker-crash.png`, fullPage: true });

  await page.getByTestId('resume-from-checkpoint').click();
  await expect(status(page)).toHaveText('completed', { timeout: 300_000 });
  expect((await stored(page, name))!.metricSteps).toEqual(range1(12));
});
