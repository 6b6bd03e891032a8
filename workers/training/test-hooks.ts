/**
 * Fault injection for the end-to-end fault tests (e2e/faults-*.spec.ts) and the soak benchmark.
 * Off unless the page was opened with `?testhooks` (the page then calls the worker's
 * enableTestHooks()); once on, `self.__flemingTest` is what Playwright's worker.evaluate reaches:
 *
 *   loseDevice()     device.destroy() on this worker's GPU device (the run must recover from its last checkpoint)
 *   corruptSteps(n)  the next n optimizer steps run with one weight set to NaN, restored after the step:
 *                    the loss is NaN, the model must skip the update and the run count it;
 *                    n ≥ max_consecutive_skips makes the run stop with its reason
 *   stats()          the GPU runtime's allocated bytes and submits, and the live model's memory (soak)
 *
 * Nothing here runs in normal use: the model factory wraps models only while hooks are on.
 */
import type { CausalLM } from '../../src/training/model/causal-lm';

export interface TestHooks {
  loseDevice(): Promise<string>;
  corruptSteps(n: number): void;
  stats(): Promise<HookStats>;
  /** optimizer steps that ran with a corrupted weight so far */
  corrupted: number;
}

export interface HookStats {
  /** GpuRuntime.allocatedBytes: storage buffers held by tensors and the pool (null on the CPU backend) */
  gpuAllocatedBytes: number | null;
  gpuSubmits: number | null;
  /** the live model's own report (weights, optimizer state, activations) */
  modelBytes: number | null;
}

interface HookDeps {
  /** this worker's current device and runtime, if one was acquired */
  gpu(): Promise<{ device: GPUDevice; allocatedBytes: number; submits: number } | null>;
}

let enabled = false;
let pending = 0;
let live: CausalLM | null = null;
const state = { corrupted: 0 };

export const testHooksEnabled = () => enabled;

/** Turn the hooks on for this worker (idempotent). */
export function enableTestHooks(deps: HookDeps): void {
  if (enabled) return;
  enabled = true;
  const hooks: TestHooks = {
    async loseDevice() {
      const g = await deps.gpu();
      if (!g) return 'no GPU device in this worker';
      g.device.destroy();
      return 'destroyed';
    },
    corruptSteps(n) {
      pending = Math.max(0, Math.floor(n));
    },
    async stats() {
      const g = await deps.gpu();
      return { gpuAllocatedBytes: g ? g.allocatedBytes : null, gpuSubmits: g ? g.submits : null, modelBytes: live ? live.memoryBytes() : null };
    },
    get corrupted() {
      return state.corrupted;
    },
  };
  (self as unknown as { __flemingTest: TestHooks }).__flemingTest = hooks;
}

/** the weight a corrupted step poisons: every position passes through the final norm, so the loss is NaN */
const POISONED = 'model.norm.weight';

/** The model as the run sees it: unchanged unless hooks are on, then trainStep honours corruptSteps. */
export function withTestHooks(model: CausalLM): CausalLM {
  if (!enabled) return model;
  live = model;
  const trainStep: CausalLM['trainStep'] = async (mbs, opt) => {
    if (pending <= 0) return model.trainStep(mbs, opt);
    pending--;
    state.corrupted++;
    const weights = await model.getWeights({ merged: false });
    const original = weights.get(POISONED)!;
    weights.set(POISONED, original.map((x, i) => (i === 0 ? Number.NaN : x)));
    await model.setWeights(weights);
    try {
      return await model.trainStep(mbs, opt);
    } finally {
      // the fault was transient: the skipped step left the weights alone, so putting this one back restores the model exactly
      weights.set(POISONED, original);
      await model.setWeights(weights);
    }
  };
  return new Proxy(model, {
    get(target, prop) {
      if (prop === 'trainStep') return trainStep;
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
