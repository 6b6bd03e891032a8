/**
 * The scale-out bundle (issue 9 item 8): a run's dataset, its reward function in Python and
 * its settings under TRL's names, so the same recipe runs under TRL (or verl, with the
 * parquet files) on bigger machines. Pure: returns the files; the CLI or the app writes them.
 *
 *   data/train.jsonl, data/heldout.jsonl  TRL prompt datasets (prompt + answer, answer_text,
 *                                         options, difficulty … columns the rewards read)
 *   data/sft.jsonl                        TRL prompt–completion pairs (the cold start)
 *   data/train.parquet, heldout.parquet   verl's RL layout
 *   reward.py                             correctness_reward / format_reward / compute_score
 *   grpo_config.json, sft_config.json     GRPOConfig / SFTConfig keyword arguments
 *   recipe.json                           model, prompt style, seed, the curriculum
 *   train_grpo.py                         the two-stage recipe on TRL
 *   verl_grpo.yaml                        the matching verl overrides
 *   README.md
 */
import { chatPrompt, toTrlChatJsonl } from '../../synthesis/export/formats';
import { mdText } from '../../synthesis/export/markdown-text';
import { toVerlParquet } from '../../synthesis/export/verl-parquet';
import type { QuestionRecord } from '../../synthesis/record';
import type { CurriculumSettings, GrpoSettings, SftSettings } from '../rl/types';
import { plainPrompt, type PromptStyle } from '../task/prompt';
import { rewardPy } from './reward-py';
import { TRAIN_GRPO_PY } from './train-grpo-py';

export interface ScaleOutInput {
  /** RL training items */
  train: QuestionRecord[];
  /** evaluation items */
  heldout?: QuestionRecord[];
  /** cold-start pairs: the question and its trajectory text */
  sft?: ReadonlyArray<{ question: QuestionRecord; completion: string }>;
  grpo: GrpoSettings;
  sftSettings?: SftSettings;
  curriculum: CurriculumSettings;
  /** how prompts are written: "plain" (from-scratch models) or "chat" (instruct bases) */
  style: PromptStyle;
  /** the model to start from under TRL: a hub id, or the exported checkpoint folder */
  model: string;
  seed: number;
  title?: string;
}

export interface BundleFile {
  path: string;
  content: string | Uint8Array;
}

/** TRL has no ρ-free loss; the paper's equation (1) equals dr_grpo up to a constant when num_iterations = 1 */
const TRL_LOSS: Record<GrpoSettings['loss_type'], string> = { grpo: 'grpo', dr_grpo: 'dr_grpo', dapo: 'dapo', bnpo: 'bnpo', cispo: 'cispo', paper: 'dr_grpo' };
/** verl's actor.loss_agg_mode for each aggregation */
const VERL_AGG: Record<GrpoSettings['loss_type'], string> = { grpo: 'seq-mean-token-mean', dr_grpo: 'seq-mean-token-sum-norm', dapo: 'token-mean', bnpo: 'token-mean', cispo: 'token-mean', paper: 'seq-mean-token-sum-norm' };

/** GRPOConfig keyword arguments: TRL counts completions per device batch, we count prompts per step */
export function trlGrpoConfig(g: GrpoSettings, seed: number): Record<string, unknown> {
  return {
    max_steps: g.max_steps,
    per_device_train_batch_size: g.prompts_per_step * g.num_generations,
    gradient_accumulation_steps: 1,
    num_generations: g.num_generations,
    max_completion_length: g.max_completion_length,
    temperature: g.temperature,
    top_p: g.top_p,
    learning_rate: g.learning_rate,
    lr_scheduler_type: g.lr_scheduler_type,
    warmup_ratio: g.warmup_ratio,
    weight_decay: g.weight_decay,
    max_grad_norm: g.max_grad_norm,
    loss_type: TRL_LOSS[g.loss_type],
    scale_rewards: g.scale_rewards,
    beta: g.beta,
    epsilon: g.epsilon,
    epsilon_high: g.epsilon_high,
    num_iterations: g.num_iterations,
    mask_truncated_completions: g.mask_truncated_completions,
    reward_weights: [...g.reward_weights],
    seed,
    logging_steps: 1,
    log_completions: true,
  };
}

export function trlSftConfig(s: SftSettings, seed: number): Record<string, unknown> {
  return {
    max_steps: s.max_steps,
    per_device_train_batch_size: s.per_device_train_batch_size,
    gradient_accumulation_steps: s.gradient_accumulation_steps,
    learning_rate: s.learning_rate,
    warmup_ratio: s.warmup_ratio,
    lr_scheduler_type: s.lr_scheduler_type,
    weight_decay: s.weight_decay,
    max_grad_norm: s.max_grad_norm,
    max_length: s.max_length,
    // loss on the completion only, as the app's cold start
    completion_only_loss: true,
    seed,
    logging_steps: 1,
  };
}

const lines = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '');

/** TRL prompt dataset rows: chat style reuses the export (messages); plain style a prompt string */
function promptRows(records: QuestionRecord[], style: PromptStyle): string {
  if (style === 'chat') return toTrlChatJsonl(records);
  return lines(records.map((r) => ({ prompt: plainPrompt(r), answer: r.answer_idx, answer_text: r.answer, options: r.options, difficulty: r.difficulty, id: r.id, source: r.source, type: r.type })));
}

function sftRows(pairs: NonNullable<ScaleOutInput['sft']>, style: PromptStyle): string {
  return lines(
    pairs.map(({ question: q, completion }) =>
      style === 'chat'
        ? { prompt: chatPrompt(q), completion: [{ role: 'assistant', content: completion }], id: q.id, difficulty: q.difficulty }
        : { prompt: plainPrompt(q), completion, id: q.id, difficulty: q.difficulty },
    ),
  );
}

function verlYaml(i: ScaleOutInput): string {
  const g = i.grpo;
  return `# verl GRPO overrides for this run (python3 -m verl.trainer.main_ppo --config-name ppo_trainer ...);
# key names follow verl's ppo_trainer.yaml — check them against your verl version.
data:
  train_files: data/train.parquet
  val_files: data/heldout.parquet
  prompt_key: prompt
  train_batch_size: ${g.prompts_per_step}
  max_response_length: ${g.max_completion_length}
algorithm:
  adv_estimator: grpo
  # scale_rewards="${g.scale_rewards}"${g.scale_rewards === 'batch' ? ' (verl has no batch-std scaling: group std is used)' : ''}
  norm_adv_by_std_in_grpo: ${g.scale_rewards !== 'none'}
  use_kl_in_reward: false
actor_rollout_ref:
  model:
    path: ${i.model}
  actor:
    optim:
      lr: ${g.learning_rate}
    ppo_mini_batch_size: ${g.prompts_per_step}
    ppo_epochs: ${g.num_iterations}
    clip_ratio_low: ${g.epsilon}
    clip_ratio_high: ${g.epsilon_high}
    loss_agg_mode: ${VERL_AGG[g.loss_type]}
    use_kl_loss: ${g.beta > 0}
    kl_loss_coef: ${g.beta}
    kl_loss_type: low_var_kl
    grad_clip: ${g.max_grad_norm}
  rollout:
    n: ${g.num_generations}
    temperature: ${g.temperature}
    top_p: ${g.top_p}
custom_reward_function:
  path: reward.py
  name: compute_score
trainer:
  total_training_steps: ${g.max_steps}
`;
}

/** a command-line argument as the user can paste it: quoted for a POSIX shell unless it is a plain hub id or path */
function shellWord(s: string): string {
  return /^[\w./:@+-]+$/.test(s) ? s : `'${s.replace(/[\r\n]+/g, ' ').replace(/'/g, `'\\''`)}'`;
}

function readme(i: ScaleOutInput, counts: Record<string, number>): string {
  const g = i.grpo;
  const c = i.curriculum;
  return `# ${mdText(i.title ?? 'Fleming Workbench run')} — scale-out bundle

The dataset, rewards and settings of one Fleming Workbench run, to run the same recipe under
[TRL](https://github.com/huggingface/trl) or [verl](https://github.com/volcengine/verl) on bigger machines.

| file | what |
| --- | --- |
| \`data/train.jsonl\` | ${counts.train} RL training items (TRL prompt dataset: \`prompt\`, \`answer\` = gold letter, \`answer_text\`, \`options\`, \`difficulty\`, \`id\`, \`source\`, \`type\`) |
| \`data/heldout.jsonl\` | ${counts.heldout} held-out items, same columns |
| \`data/sft.jsonl\` | ${counts.sft} cold-start pairs (\`prompt\`, \`completion\`) |
| \`data/train.parquet\`, \`data/heldout.parquet\` | the same items in verl's layout (\`reward_model.ground_truth\` = gold letter) |
| \`reward.py\` | \`correctness_reward\`, \`format_reward\` (TRL), \`compute_score\` (verl); standard library only |
| \`grpo_config.json\` | \`GRPOConfig(**json)\` keyword arguments |
| \`sft_config.json\` | \`SFTConfig(**json)\` keyword arguments${i.sftSettings ? '' : ' (absent: the run had no cold start settings)'} |
| \`recipe.json\` | model, prompt style, seed and the two-stage curriculum |
| \`train_grpo.py\` | the recipe on TRL: cold start, stage 1 until the plateau, stage 2 on mined hard items |
| \`verl_grpo.yaml\` | the matching verl overrides |

## Run it

\`\`\`
pip install trl datasets transformers accelerate
python train_grpo.py ${shellWord(i.model)}
\`\`\`

Or with your own script: \`GRPOTrainer(model, reward_funcs=[correctness_reward, format_reward],
args=GRPOConfig(output_dir=…, **json.load(open("grpo_config.json"))), train_dataset=load_dataset("json",
data_files="data/train.jsonl", split="train"))\` — \`reward_weights\` in the config weighs the two rewards.

## Rewards

Exactly the app's (\`python3 reward.py FILE.jsonl\` scores lines of \`{"completion","options","answer"}\`):
correctness 1 when the last \`<answer>…</answer>\` names the gold option by letter or by its text, format 1
when the completion is one \`<think>…</think>\` then one \`<answer>…</answer>\` and nothing after but
end-of-sequence markers; reward = ${g.reward_weights[0]}·correctness + ${g.reward_weights[1]}·format, no length term.
The app's test runs this file with python3 and requires the app's rewards for every completion it tries.

## Settings

Prompt style: **${i.style}**${i.style === 'plain' ? ' — prompts are plain strings (context facts, stem, "A. option" lines), no chat template; the app prepends BOS, so make sure your tokenizer does too' : ' — prompts are system + user messages rendered with the model\'s chat template'}.
GRPO: ${g.max_steps} steps, ${g.prompts_per_step} prompts × ${g.num_generations} generations per step (TRL's
\`per_device_train_batch_size\` counts completions: ${g.prompts_per_step * g.num_generations}), loss_type ${g.loss_type}${g.loss_type === 'paper' ? ' (mapped to dr_grpo: with num_iterations = 1 the paper\'s ρ-free loss has the same gradient up to a constant)' : ''},
scale_rewards ${g.scale_rewards}, β ${g.beta}, ε ${g.epsilon}/${g.epsilon_high}, lr ${g.learning_rate}.
Curriculum: stage 1 on ${c.stage1_tiers.join(' + ')} until the reward moving average (window ${c.plateau_window}) has slope
< ${c.plateau_slope}/step or mean frac_reward_zero_std > ${c.plateau_zero_std} (at most ${c.stage1_max_steps} steps); stage 2
mines items failed in ${c.mine_samples} samples (Difficult first), ${Math.round(c.stage2_replay * 100)}% replay of solved items,
num_generations ${c.stage2_num_generations}, re-mined every ${c.remine_every} steps.
`;
}

export function scaleOutBundle(i: ScaleOutInput): BundleFile[] {
  if (!i.train.length) throw new Error('scale-out bundle: no training items');
  const heldout = i.heldout ?? [];
  const sft = i.sft ?? [];
  const files: BundleFile[] = [
    { path: 'data/train.jsonl', content: promptRows(i.train, i.style) },
    { path: 'data/heldout.jsonl', content: promptRows(heldout, i.style) },
    { path: 'data/train.parquet', content: new Uint8Array(toVerlParquet(i.train, 'train')) },
    { path: 'reward.py', content: rewardPy(i.grpo.reward_weights) },
    { path: 'grpo_config.json', content: JSON.stringify(trlGrpoConfig(i.grpo, i.seed), null, 2) + '\n' },
    { path: 'recipe.json', content: JSON.stringify({ model: i.model, style: i.style, seed: i.seed, curriculum: i.curriculum }, null, 2) + '\n' },
    { path: 'train_grpo.py', content: TRAIN_GRPO_PY },
    { path: 'verl_grpo.yaml', content: verlYaml(i) },
    { path: 'README.md', content: readme(i, { train: i.train.length, heldout: heldout.length, sft: sft.length }) },
  ];
  if (heldout.length) files.push({ path: 'data/heldout.parquet', content: new Uint8Array(toVerlParquet(heldout, 'test')) });
  if (sft.length) files.push({ path: 'data/sft.jsonl', content: sftRows(sft, i.style) });
  if (i.sftSettings) files.push({ path: 'sft_config.json', content: JSON.stringify(trlSftConfig(i.sftSettings, i.seed), null, 2) + '\n' });
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
