/**
 * Learn GRPO state (zustand): the classroom worker (its own training-worker instance, so the
 * Train view's run is never disturbed), the open model, the group of completions, the settings
 * the numbers are recomputed with, what-if reward overrides, the last step's before/after
 * log-probs, and the lesson and presenter state.
 */
import * as Comlink from 'comlink';
import { create } from 'zustand';
import type { ClassroomSettings } from '../../learn/grpo-step';
import type { Backend, ClassroomGroup, ClassroomInfo, ClassroomSource, ClassroomStepResult, PrepareProgress, TrainingWorkerApi } from '../../../../workers/training-api';

let client: Comlink.Remote<TrainingWorkerApi> | null = null;
function classroomWorker(): Comlink.Remote<TrainingWorkerApi> {
  if (!client) client = Comlink.wrap<TrainingWorkerApi>(new Worker(new URL('../../../../workers/training.worker.ts', import.meta.url), { type: 'module', name: 'classroom' }));
  return client;
}

export interface Score {
  correctness: number;
  format: number;
}

export const DEFAULT_CLASSROOM: ClassroomSettings = {
  loss_type: 'grpo',
  scale_rewards: 'group',
  beta: 0,
  epsilon: 0.2,
  epsilon_high: 0.2,
  reward_weights: [1, 0.5],
  max_completion_length: 24,
  mask_truncated_completions: true,
};

export interface StepRecord {
  before: number[][];
  after: number[][];
  result: ClassroomStepResult;
  /** the numbers' loss just before the step, to compare with the trainer's */
  shownLoss: number;
}

interface LearnState {
  phase: 'closed' | 'opening' | 'ready' | 'sampling' | 'stepping';
  progress: PrepareProgress | null;
  error: string | null;
  info: ClassroomInfo | null;
  backend: Backend;
  promptId: string | null;
  G: number;
  temperature: number;
  seed: number;
  learningRate: number;
  settings: ClassroomSettings;
  group: ClassroomGroup | null;
  /** what-if: a completion's score set by the presenter (null = what the reward function gave) */
  overrides: Array<Score | null>;
  lastStep: StepRecord | null;
  steps: number;
  presenter: boolean;
  lesson: number | null;
  open(source: ClassroomSource): Promise<void>;
  sample(): Promise<void>;
  /** sample prompts until a group's rewards differ */
  findInformative(): Promise<void>;
  step(advantages: number[], shownLoss: number): Promise<void>;
  reset(): Promise<void>;
  set(p: Partial<Pick<LearnState, 'promptId' | 'G' | 'temperature' | 'learningRate' | 'backend' | 'presenter' | 'lesson' | 'seed'>>): void;
  setSettings(p: Partial<ClassroomSettings>): void;
  override(i: number, score: Score | null): void;
  equalise(): void;
  clearError(): void;
}

export const useLearn = create<LearnState>((set, get) => ({
  phase: 'closed',
  progress: null,
  error: null,
  info: null,
  backend: 'auto',
  promptId: null,
  G: 6,
  temperature: 0.8,
  seed: 1,
  learningRate: 3e-4,
  settings: DEFAULT_CLASSROOM,
  group: null,
  overrides: [],
  lastStep: null,
  steps: 0,
  presenter: false,
  lesson: null,

  async open(source) {
    set({ phase: 'opening', error: null, progress: null, group: null, lastStep: null, steps: 0 });
    try {
      const info = await classroomWorker().classroomOpen(source, get().backend, Comlink.proxy((p: PrepareProgress) => set({ progress: p })));
      set({ phase: 'ready', info, progress: null });
      await get().findInformative();
    } catch (e) {
      set({ phase: 'closed', error: (e as Error).message, progress: null });
    }
  },

  async findInformative() {
    // a group whose rewards differ teaches something: try a few prompts (easy first) until one does
    const prompts = get().info?.prompts ?? [];
    for (const p of prompts.slice(0, 8)) {
      set({ promptId: p.id });
      await get().sample();
      const g = get().group;
      if (!g || get().error) return;
      const r = g.completions.map((c) => get().settings.reward_weights[0] * c.correctness + get().settings.reward_weights[1] * c.format);
      if (r.some((x) => x !== r[0])) return;
    }
  },

  async sample() {
    const s = get();
    if (!s.promptId) return;
    set({ phase: 'sampling', error: null });
    try {
      const group = await classroomWorker().classroomSample({ promptId: s.promptId, G: s.G, temperature: s.temperature, max_completion_length: s.settings.max_completion_length, seed: s.seed });
      set({ phase: 'ready', group, overrides: group.completions.map(() => null), lastStep: null, seed: s.seed + 1 });
    } catch (e) {
      set({ phase: 'ready', error: (e as Error).message });
    }
  },

  async step(advantages, shownLoss) {
    const s = get();
    const g = s.group;
    if (!g) return;
    set({ phase: 'stepping', error: null });
    try {
      const before = g.completions.map((c) => c.logp);
      const result = await classroomWorker().classroomStep({ ...s.settings, learning_rate: s.learningRate, advantages });
      // the policy moved: its log-probs of the same completions are the new "current"; π_old stays the sampler's
      const completions = g.completions.map((c, i) => ({ ...c, logp: result.after[i]! }));
      set({ phase: 'ready', group: { ...g, completions }, lastStep: { before, after: result.after, result, shownLoss }, steps: s.steps + 1 });
    } catch (e) {
      set({ phase: 'ready', error: (e as Error).message });
    }
  },

  async reset() {
    try {
      await classroomWorker().classroomReset();
      set({ lastStep: null, steps: 0 });
      await get().sample();
    } catch (e) {
      set({ error: (e as Error).message });
    }
  },

  set: (p) => set(p),
  setSettings: (p) => {
    const cur = get().settings;
    const next = { ...cur, ...p };
    // epsilon_high follows epsilon (TRL's default) unless set apart
    if (p.epsilon !== undefined && p.epsilon_high === undefined && cur.epsilon_high === cur.epsilon) next.epsilon_high = p.epsilon;
    set({ settings: next });
  },
  override: (i, score) => set({ overrides: get().overrides.map((o, j) => (j === i ? score : o)) }),
  equalise: () => {
    const g = get().group;
    if (!g) return;
    // every completion scores like the first: the "everyone agrees" case
    const { correctness, format } = g.completions[0]!;
    set({ overrides: g.completions.map(() => ({ correctness, format })) });
  },
  clearError: () => set({ error: null }),
}));
