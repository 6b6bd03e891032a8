/// <reference lib="webworker" />
/**
 * Training worker entry: the live run (SFT → GRPO stage 1 → stage 2 on this worker's GPU device),
 * what the runs list asks of stored runs (ablation, exports), and the Learn GRPO classroom. The UI
 * never touches the GPU; this worker writes everything a run streams to IndexedDB itself.
 */
import * as Comlink from 'comlink';
import type { TrainingWorkerApi } from './training-api';
import { Classroom } from './training/classroom';
import { prepareData } from './training/data';
import { checkpointFolder, computeAblation } from './training/exports';
import { RunHost, workerDb } from './training/run-host';
import { currentGpu } from './training/models';
import { scaleOutBundle } from './training/scale-out';
import { enableTestHooks } from './training/test-hooks';
import { holdLifeLock } from './worker-life';
import { defaultGraphOnce } from './worker-resources';

const host = new RunHost();
const classroom = new Classroom();

const files = (fs: Awaited<ReturnType<TrainingWorkerApi['exportCheckpoint']>>) => Comlink.transfer(fs, fs.map((f) => f.bytes.buffer as ArrayBuffer));

const api: TrainingWorkerApi = {
  async describeData(data) {
    return (await prepareData(data, { db: workerDb, graph: defaultGraphOnce })).summary;
  },
  start: (req, onStream) => host.start(req, onStream),
  resumeRun: (runId, backend, onStream) => host.resumeRun(runId, backend, onStream),
  pause: () => host.pause(),
  resume: () => host.resume(),
  stop: () => host.stop(),
  ablation: (runId, onProgress) => computeAblation(runId, 'auto', onProgress),
  exportCheckpoint: async (runId, step) => files(await checkpointFolder(runId, step)),
  exportScaleOut: async (runId) => files(await scaleOutBundle(runId)),
  classroomOpen: (source, backend, onProgress) => classroom.open(source, backend, onProgress),
  classroomSample: (opts) => classroom.sample(opts),
  classroomStep: (s) => classroom.step(s),
  classroomReset: () => classroom.reset(),
  enableTestHooks: () =>
    enableTestHooks({
      gpu: async () => {
        const g = await currentGpu()?.catch(() => null);
        return g ? { device: g.ctx.device, allocatedBytes: g.rt.allocatedBytes, submits: g.rt.submits } : null;
      },
    }),
};

Comlink.expose(api);
// the page watches this worker's life through a lock: a crash marks its run interrupted (worker-life.ts)
holdLifeLock('training');
