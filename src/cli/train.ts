/**
 * `npm run train -- --preset micro --questions Q.jsonl --trajectories T.jsonl --sft-steps N
 *  --grpo-steps M --seed S --out DIR [--config FILE.json] [--base HF_DIR] [--cpu]`
 *
 * The same Run as the app's training worker (src/training/run/run.ts), on WebGPU in Node (Dawn;
 * SwiftShader when the machine has no GPU) or, with --cpu, on the CPU reference model. Streams
 * DIR/metrics.jsonl (one MetricsRow per optimizer step), DIR/events.jsonl (curriculum events),
 * DIR/rollouts.jsonl (every GRPO completion); writes DIR/checkpoint/ (Hugging Face folder of the
 * last checkpoint), DIR/stages/<label>/ (the base, sft, rl_stage1, rl_stage2 checkpoints, for the
 * Table-4 ablation) and DIR/run-checkpoint.safetensors (the full trainer state: --resume it).
 * Ctrl-C stops after the current step and saves a checkpoint.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { QuestionRecord } from '../synthesis/record';
import { exportCheckpointFolder, loadCheckpointFolder } from '../training/hf/checkpoint';
import { readCheckpointDir, writeCheckpointDir } from '../training/hf/node-fs';
import { parameterCount, PRESET_NAMES, presetConfig, type LlamaConfig, type PresetName, type Weights } from '../training/model/config';
import { type Checkpoint, checkpointFromBytes, checkpointToBytes, unprefixed, W } from '../training/run/checkpoint';
import { parseTrajectoryLines } from '../training/run/data-files';
import { plainTask, rlItems, sftExamples } from '../training/run/items';
import { nodeModelFactory } from '../training/run/node-device';
import { Run, type RunProgress } from '../training/run/run';
import { resolveRunSettings, type RunSettingsInput } from '../training/run/settings';
import { trainTaskTokenizer } from '../training/run/tokenizer-setup';
import { tokenizerFromJson } from '../training/tokenizer/tokenizer-json';
import type { Tokenizer } from '../training/tokenizer/types';
import { numberFlag, parseFlags, UsageError } from './args';
import { parseQuestionLines } from './cot';

const USAGE = `usage: npm run train -- --questions Q.jsonl --trajectories T.jsonl --out DIR [options]
  --preset        micro | workshop | laptop | desktop (default micro; ignored with --base)
  --questions     training question records, one JSON object per line (npm run synth / npm run task)
  --trajectories  SFT trajectories: npm run cot records (selected ones used) or SFT export lines
  --sft-steps     SFT optimizer steps (overrides the config file; default ${resolveRunSettings().sft.max_steps})
  --grpo-steps    GRPO optimizer steps over both curriculum stages (default ${resolveRunSettings().grpo.max_steps})
  --seed          run seed: initialisation, data order, sampling (default 1)
  --out           output folder
  --config        JSON settings: {"sft":{…},"grpo":{…},"curriculum":{…},"adam":{…},"checkpoint_every":…,"vocab_size":…}
                  with TRL SFTConfig/GRPOConfig names (see src/training/run/README.md)
  --base          a Hugging Face Llama checkpoint folder to fine-tune (its tokenizer is used)
  --vocabulary    task vocabulary JSON whose "added_tokens" become single tokens (default: vocabulary.json beside --questions, if any)
  --vocab-size    BPE vocabulary size when training the tokenizer (default: the config's vocab_size, else 1024 or what the added tokens need)
  --resume        continue from DIR/run-checkpoint.safetensors of an earlier run (same data files)
  --cpu           run on the CPU reference model instead of WebGPU`;

const KNOWN = ['preset', 'questions', 'trajectories', 'sft-steps', 'grpo-steps', 'seed', 'out', 'config', 'base', 'vocabulary', 'vocab-size', 'resume'];

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`${what} ${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

type TrainConfigFile = RunSettingsInput & { vocab_size?: number };

function readConfig(file: string | undefined): TrainConfigFile {
  if (!file) return {};
  let c: unknown;
  try {
    c = JSON.parse(readText(file, '--config'));
  } catch (e) {
    throw new Error(`--config ${file}: not valid JSON (${(e as Error).message})`);
  }
  if (typeof c !== 'object' || c === null || Array.isArray(c)) throw new Error(`--config ${file}: expected a JSON object`);
  return c as TrainConfigFile;
}

function readAddedTokens(file: string): string[] {
  let v: { added_tokens?: unknown };
  try {
    v = JSON.parse(readText(file, '--vocabulary'));
  } catch (e) {
    throw new Error(`--vocabulary ${file}: not valid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(v.added_tokens) || v.added_tokens.some((t) => typeof t !== 'string')) throw new Error(`--vocabulary ${file}: expected {"added_tokens": [strings]}`);
  return v.added_tokens as string[];
}

/** keep the JSON lines of an earlier run up to `step` (a resume replays what came after) */
function truncateJsonl(file: string, step: number): void {
  if (!existsSync(file)) return;
  const kept = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() && (JSON.parse(l) as { step: number }).step <= step);
  writeFileSync(file, kept.map((l) => l + '\n').join(''));
}

export async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.length === 0) {
    console.error(USAGE);
    return argv.length === 0 ? 2 : 0;
  }
  const { flags } = parseFlags(argv, KNOWN, ['cpu']);
  for (const req of ['questions', 'trajectories', 'out']) if (flags[req] === undefined) throw new UsageError(`--${req} is required`);
  const preset = (flags.preset ?? 'micro') as PresetName;
  if (!PRESET_NAMES.includes(preset)) throw new UsageError(`--preset ${flags.preset}: expected one of ${PRESET_NAMES.join(', ')}`);
  const cfgFile = readConfig(flags.config);
  const input: RunSettingsInput = { ...cfgFile, sft: { ...cfgFile.sft }, grpo: { ...cfgFile.grpo } };
  delete (input as TrainConfigFile).vocab_size;
  if (flags['sft-steps'] !== undefined) input.sft!.max_steps = numberFlag(flags, 'sft-steps', 0, (x) => Number.isInteger(x) && x >= 0, 'an integer ≥ 0');
  if (flags['grpo-steps'] !== undefined) input.grpo!.max_steps = numberFlag(flags, 'grpo-steps', 0, (x) => Number.isInteger(x) && x >= 0, 'an integer ≥ 0');
  if (flags.seed !== undefined) input.seed = numberFlag(flags, 'seed', 1, (x) => Number.isInteger(x) && x >= 0, 'an integer ≥ 0');
  input.model = flags.base ? { kind: 'hf', name: flags.base } : { kind: 'preset', preset };
  const out = flags.out!;
  mkdirSync(out, { recursive: true });

  // data
  const questions: QuestionRecord[] = parseQuestionLines(readText(flags.questions!, '--questions'), flags.questions!);
  const byId = new Map(questions.map((q) => [q.id, q]));
  const traj = parseTrajectoryLines(readText(flags.trajectories!, '--trajectories'), flags.trajectories!, byId);

  // tokenizer, model shape, starting weights, settings
  let resumeFrom: Checkpoint | undefined;
  let tok: Tokenizer;
  let config: LlamaConfig;
  let baseWeights: Weights | undefined;
  let settings = resolveRunSettings(input);
  if (flags.resume) {
    const bytes = readFileSync(flags.resume);
    resumeFrom = await checkpointFromBytes(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), flags.resume);
    settings = resumeFrom.state.settings;
    tok = tokenizerFromJson(resumeFrom.state.tokenizer);
    config = resumeFrom.state.model_config;
    console.error(`resuming from step ${resumeFrom.step} (${resumeFrom.label}); the settings are the checkpoint's`);
    for (const f of ['metrics.jsonl', 'events.jsonl', 'rollouts.jsonl']) truncateJsonl(join(out, f), resumeFrom.step);
  } else if (flags.base) {
    const loaded = await loadCheckpointFolder(readCheckpointDir(flags.base));
    for (const w of loaded.warnings) console.error(`--base: ${w}`);
    tok = loaded.tokenizer;
    config = loaded.config;
    baseWeights = loaded.weights;
  } else {
    const vocabFile = flags.vocabulary ?? (existsSync(join(dirname(flags.questions!), 'vocabulary.json')) ? join(dirname(flags.questions!), 'vocabulary.json') : undefined);
    const added = vocabFile ? readAddedTokens(vocabFile) : [];
    const vocabSize = flags['vocab-size'] !== undefined ? numberFlag(flags, 'vocab-size', 0, (x) => Number.isInteger(x) && x >= 300, 'an integer ≥ 300') : cfgFile.vocab_size;
    tok = trainTaskTokenizer(questions, traj.pairs, plainTask, { vocabSize, addedTokens: added });
    config = presetConfig(preset, tok.vocabSize);
    console.error(`tokenizer: ${tok.vocabSize} tokens (${added.length} added from ${vocabFile ?? 'no vocabulary file'})`);
  }
  for (const f of ['metrics.jsonl', 'events.jsonl', 'rollouts.jsonl']) if (!resumeFrom) writeFileSync(join(out, f), '');

  const task = plainTask;
  const inputs = {
    model_config: config,
    tokenizer: tok,
    sft: sftExamples(traj.pairs, task, tok),
    rl: rlItems(questions, task, tok, config.max_position_embeddings),
    ...(baseWeights ? { base_weights: baseWeights } : {}),
  };
  const factory = await nodeModelFactory({ cpu: flags.cpu === 'true' });
  console.error(`device: ${factory.describe}`);

  const exportFolder = (ck: Checkpoint, dir: string) => writeCheckpointDir(dir, exportCheckpointFolder(unprefixed(ck.tensors, W), config, tok, { metadata: { step: String(ck.step), label: ck.label } }));
  let lastLog = 0;
  const ctl = new AbortController();
  const onSigint = () => {
    console.error('stopping after the current step (a checkpoint is saved); Ctrl-C again to quit at once');
    process.once('SIGINT', () => process.exit(130));
    ctl.abort();
  };
  process.once('SIGINT', onSigint);
  const run = new Run(
    settings,
    inputs,
    { createModel: factory.createModel },
    {
      onMetrics: (row) => {
        appendFileSync(join(out, 'metrics.jsonl'), JSON.stringify(row) + '\n');
        const now = Date.now();
        if (now - lastLog > 5000) {
          lastLog = now;
          const r = row.phase === 'sft' ? `loss ${row.loss.toFixed(4)} acc ${(row.mean_token_accuracy ?? 0).toFixed(3)}` : `reward ${(row.reward ?? 0).toFixed(3)} zero_std ${(row.frac_reward_zero_std ?? 0).toFixed(2)} len ${(row['completions/mean_length'] ?? 0).toFixed(1)}`;
          console.error(`step ${row.step}/${run.totalSteps} ${row.phase}${row.phase === 'grpo' ? ` stage ${row.stage}` : ''}: ${r} (${row.step_time.toFixed(2)} s, ${row.tokens_per_s.toFixed(0)} tok/s)`);
        }
      },
      onRollouts: (rows) => appendFileSync(join(out, 'rollouts.jsonl'), rows.map((r) => JSON.stringify(r) + '\n').join('')),
      onEvent: (ev) => {
        appendFileSync(join(out, 'events.jsonl'), JSON.stringify(ev) + '\n');
        console.error(`[${ev.kind}] step ${ev.step}: ${ev.reason}`);
      },
      onCheckpoint: (ck) => {
        const tmp = join(out, 'run-checkpoint.safetensors.partial');
        writeFileSync(tmp, checkpointToBytes(ck));
        renameSync(tmp, join(out, 'run-checkpoint.safetensors'));
        if (ck.label !== 'periodic') exportFolder(ck, join(out, 'stages', ck.label));
      },
      onProgress: (p: RunProgress) => {
        if (p.status === 'mining' && p.mining && (p.mining.done === 0 || p.mining.done === p.mining.total)) console.error(`mining: ${p.mining.done}/${p.mining.total} items scored`);
        else if (p.message) console.error(p.message);
      },
    },
    { ...(resumeFrom ? { resumeFrom } : {}), signal: ctl.signal },
  );
  if (run.droppedSft) console.error(`${run.droppedSft} SFT examples dropped: their prompt fills max_length`);
  const result = await run.start();
  process.removeListener('SIGINT', onSigint);
  if (result.last_checkpoint) exportFolder(result.last_checkpoint, join(out, 'checkpoint'));
  factory.dispose();
  console.log(JSON.stringify({ status: result.status, ...(result.reason ? { reason: result.reason } : {}), step: result.step, skipped_steps: result.skipped_steps, recoveries: result.recoveries, checkpoint: join(out, 'checkpoint'), parameters: parameterCount(config), elapsed_s: result.last_checkpoint?.state.elapsed_s }));
  return result.status === 'completed' ? 0 : result.status === 'stopped' ? 130 : 1;
}

if (process.argv[1] && /train\.ts$/.test(process.argv[1])) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(e instanceof UsageError ? `${e.message}\n${USAGE}` : (e as Error).message);
      process.exit(e instanceof UsageError ? 2 : 1);
    },
  );
}
