/**
 * What the user is about to start in the Train view — data, model, backend, settings — kept in
 * localStorage so a reload or a visit to another view does not lose it. Also the named starting
 * points: a quick demo, the paper's choices, TRL's defaults.
 */
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { resolveRunSettings, type RunSettings } from '../../../training/run/settings';
import type { Backend, DataChoice } from '../../../../workers/training-api';
import type { PresetName } from '../../../training/model/config';

export type ModelPick = { kind: 'preset'; preset: PresetName } | { kind: 'hf-hub'; model_id: string } | { kind: 'hf-files' };

export interface SetupState {
  name: string;
  data: DataChoice;
  model: ModelPick;
  backend: Backend;
  settings: RunSettings;
  /** LoRA for a loaded base */
  lora: { enabled: boolean; r: number; alpha: number };
  set(patch: Partial<Omit<SetupState, 'set' | 'apply'>>): void;
  apply(recipe: RecipeId): void;
}

export type RecipeId = 'demo' | 'paper' | 'trl';

export const RECIPES: Record<RecipeId, { label: string; help: string; settings: () => RunSettings; data?: DataChoice }> = {
  demo: {
    label: 'Quick demo',
    help: 'Micro model, tiny KG task, a few dozen steps: curves within minutes, even on a software GPU.',
    data: { kind: 'kg-task', size: 'tiny', seed: 1 },
    settings: () =>
      resolveRunSettings({
        model: { kind: 'preset', preset: 'micro' },
        // measured on the tiny task: 60–80 steps at 1e-2 teach the answer format (sampled at 0.7: ~90% well formed)
        sft: { max_steps: 80, per_device_train_batch_size: 16, learning_rate: 1e-2, warmup_ratio: 0.05, max_length: 64 },
        grpo: { max_steps: 40, prompts_per_step: 4, num_generations: 4, max_completion_length: 24, learning_rate: 5e-4, temperature: 0.7 },
        curriculum: { plateau_window: 8, plateau_slope: 0.002, plateau_zero_std: 0.8, stage1_max_steps: 20, mine_samples: 2, remine_every: 10, stage2_num_generations: 6, stage2_replay: 0.25 },
        checkpoint_every: 10,
      }),
  },
  paper: {
    label: 'Paper’s GRPO',
    help: 'Fleming-R1 eq. (1)–(2): loss −A·log π, advantage r − mean (no std), no KL, no clip; two stages with more rollouts in stage 2.',
    settings: () => resolveRunSettings({ grpo: { loss_type: 'paper', scale_rewards: 'none', beta: 0 } }),
  },
  trl: {
    label: 'TRL defaults',
    help: 'Today’s TRL GRPOConfig: loss_type dapo, scale_rewards group, beta 0, epsilon 0.2 (learning rates for a small model).',
    settings: () => resolveRunSettings({}),
  },
};

export const useSetup = create<SetupState>()(
  persist(
    (set, get) => ({
      name: '',
      data: { kind: 'kg-task', size: 'tiny', seed: 1 },
      model: { kind: 'preset', preset: 'micro' },
      backend: 'auto',
      settings: RECIPES.demo.settings(),
      lora: { enabled: false, r: 8, alpha: 16 },
      set: (patch) => set(patch),
      apply(recipe) {
        const r = RECIPES[recipe];
        const settings = r.settings();
        // keep the model and seed the user chose
        settings.seed = get().settings.seed;
        set({ settings, ...(r.data ? { data: r.data } : {}) });
      },
    }),
    {
      name: 'fleming-train-setup',
      version: 1,
      partialize: (s) => ({ name: s.name, data: s.data, model: s.model.kind === 'hf-files' ? ({ kind: 'preset', preset: 'micro' } as ModelPick) : s.model, backend: s.backend, settings: s.settings, lora: s.lora }),
      // a stored setup from before a settings field existed gets that field's default
      merge: (persisted, current) => {
        const p = (persisted ?? {}) as Partial<SetupState>;
        const base = resolveRunSettings();
        const s = p.settings;
        return {
          ...current,
          ...p,
          settings: s ? { ...base, ...s, sft: { ...base.sft, ...s.sft }, grpo: { ...base.grpo, ...s.grpo }, curriculum: { ...base.curriculum, ...s.curriculum }, adam: { ...base.adam, ...s.adam } } : current.settings,
        };
      },
    },
  ),
);
