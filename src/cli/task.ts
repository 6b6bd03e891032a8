/**
 * `npm run task -- closed-book --out DIR [options]`: the from-scratch task (training/task/
 *   closed-book.ts): multi-hop chains over a fixed KG region, its splits, SFT trajectories and
 *   the added-token vocabulary.
 * `npm run task -- open-book --questions Q.jsonl --out DIR [options]`: give synthesised questions
 *   their context facts (synthesis/open-book.ts) and split them by entity.
 * `npm run task -- scale-out --train Q.jsonl --out DIR [options]`: the TRL / verl bundle of a
 *   run's data and settings (training/export/scale-out.ts).
 * Same modules as the app; every run prints one JSON summary line.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { QuestionRecord } from '../synthesis/record';
import { splitByEntity, withContext } from '../synthesis/open-book';
import { parseTrajectoryLines } from '../training/run/data-files';
import { DEFAULT_CURRICULUM, DEFAULT_GRPO, DEFAULT_SFT } from '../training/rl/defaults';
import type { CurriculumSettings, GrpoSettings, SftSettings } from '../training/rl/types';
import { scaleOutBundle } from '../training/export/scale-out';
import { buildClosedBookTask, CHAIN_RELATIONS, DEFAULT_CLOSED_BOOK } from '../training/task/closed-book';
import { plainPrompt, PROMPT_STYLES, type PromptStyle } from '../training/task/prompt';
import { numberFlag, parseFlags, UsageError } from './args';
import { parseQuestionLines } from './cot';
import { DEFAULT_GRAPH, loadGraphFile } from './load-graph-node';

const D = DEFAULT_CLOSED_BOOK;
const USAGE = `usage: npm run task -- closed-book --out DIR [--seed S] [--entities N] [--max-hops H] [--sft-max-hops H]
                        [--sft-facts choice|recall|both] [--sft-long-share P] [--heldout-min N] [--relations r1,r2] [--graph FILE]
       npm run task -- open-book --questions Q.jsonl --out DIR [--seed S] [--heldout-share P] [--per-distractor N]
                        [--max-facts N] [--graph FILE]
       npm run task -- scale-out --train Q.jsonl --out DIR [--heldout H.jsonl] [--trajectories T.jsonl]
                        [--config RUN.json] [--style plain|chat] [--model ID] [--seed S]
closed-book  multi-hop chains over a KG region a small model can learn from scratch. Writes DIR/train.jsonl (RL items,
             1–${D.maxHops} hops), DIR/heldout.jsonl (chains from held-out start entities), DIR/sft-questions.jsonl and
             DIR/trajectories.jsonl (the cold start: facts + chains up to --sft-max-hops), DIR/sft.jsonl (the same as
             TRL prompt–completion lines), DIR/facts.jsonl, DIR/vocabulary.json (tokens to add), DIR/manifest.json
  --seed          random seed (default 1)
  --entities      region size (default ${D.entities})
  --max-hops      longest chain (default ${D.maxHops})
  --sft-max-hops  longest chain in the cold start (default ${D.sftMaxHops})
  --sft-facts     how the cold start teaches each fact: as a multiple-choice item, as an open recall without options
                  (SFT only, id …-recall), or both (default ${D.sftFacts})
  --sft-long-share share of the longer training chains also put in the cold start, so the model learns to write that
                  many hops (default ${D.sftLongShare}). The design npm run bench:train measured to learn:
                  --sft-max-hops 3 --sft-facts both --sft-long-share 0.1 (see src/training/task/README.md)
  --heldout-min   held-out items wanted (default ${D.heldoutMin}; exit code 3 when fewer)
  --relations     relation tokens to use (default all: ${CHAIN_RELATIONS.map((r) => r.token).join(',')})
open-book    adds a "context" (facts as sentences) to each question and splits train / held-out by entity. Writes
             DIR/train.jsonl, DIR/heldout.jsonl, DIR/manifest.json
  --heldout-share share of the questions held out (default 0.2)
  --per-distractor facts leading to each distractor (default 2); --max-facts facts per question (default 12)
scale-out    writes the TRL / verl bundle (data, reward.py, grpo_config.json, train_grpo.py, verl_grpo.yaml, README.md)
  --config        a run config JSON: {"grpo":{…},"sft":{…},"curriculum":{…}} (TRL names; defaults otherwise)
  --style         prompt style: plain (from-scratch models, default) or chat (instruct bases)
  --model         the model TRL starts from (default ./checkpoint)
  --graph      graph file (default: the embedded default graph)`;

async function writeAtomic(file: string, content: string | Uint8Array): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(`${file}.partial`, content);
  await rename(`${file}.partial`, file);
}

const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '');

async function readText(file: string, flag: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(`${flag} ${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

async function closedBook(argv: string[]): Promise<number> {
  const { flags } = parseFlags(argv, ['out', 'seed', 'entities', 'max-hops', 'sft-max-hops', 'sft-facts', 'sft-long-share', 'heldout-min', 'relations', 'graph']);
  if (!flags.out) throw new UsageError('--out is required');
  const seed = numberFlag(flags, 'seed', 1, (x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32, 'an integer from 0 to 2^32−1');
  const entities = numberFlag(flags, 'entities', D.entities, (x) => Number.isInteger(x) && x >= 20, 'an integer ≥ 20');
  const maxHops = numberFlag(flags, 'max-hops', D.maxHops, (x) => Number.isInteger(x) && x >= 2 && x <= 8, 'an integer from 2 to 8');
  const sftMaxHops = numberFlag(flags, 'sft-max-hops', Math.min(D.sftMaxHops, maxHops - 1), (x) => Number.isInteger(x) && x >= 1 && x < maxHops, `an integer from 1 to ${maxHops - 1}`);
  const heldoutMin = numberFlag(flags, 'heldout-min', D.heldoutMin, (x) => Number.isInteger(x) && x >= 0, 'an integer ≥ 0');
  const sftLongShare = numberFlag(flags, 'sft-long-share', D.sftLongShare, (x) => x >= 0 && x <= 1, 'a share from 0 to 1');
  const sftFacts = flags['sft-facts'] ?? D.sftFacts;
  if (sftFacts !== 'choice' && sftFacts !== 'recall' && sftFacts !== 'both') throw new UsageError(`--sft-facts: "${sftFacts}" is not one of choice, recall, both`);
  const relations = flags.relations?.split(',').map((r) => r.trim()).filter(Boolean);
  const unknown = relations?.filter((r) => !CHAIN_RELATIONS.some((c) => c.token === r));
  if (unknown?.length) throw new UsageError(`--relations: unknown relation ${unknown.map((u) => `"${u}"`).join(', ')} (known: ${CHAIN_RELATIONS.map((r) => r.token).join(', ')})`);
  const graph = await loadGraphFile(flags.graph ?? DEFAULT_GRAPH);
  const task = buildClosedBookTask(graph, { seed, entities, maxHops, sftMaxHops, sftFacts, sftLongShare, heldoutMin, ...(relations ? { relations } : {}), graph: flags.graph ?? 'default' });
  const out = flags.out;
  const sftPairs = task.sft.map((r, i) => ({ prompt: plainPrompt(r), completion: task.trajectories[i]!.trajectories[0]!.text, id: r.id, difficulty: r.difficulty, answer: r.answer_idx }));
  const files = {
    train: 'train.jsonl',
    heldout: 'heldout.jsonl',
    sftQuestions: 'sft-questions.jsonl',
    trajectories: 'trajectories.jsonl',
    sft: 'sft.jsonl',
    facts: 'facts.jsonl',
    vocabulary: 'vocabulary.json',
    manifest: 'manifest.json',
  };
  await writeAtomic(join(out, files.train), jsonl(task.train));
  await writeAtomic(join(out, files.heldout), jsonl(task.heldout));
  await writeAtomic(join(out, files.sftQuestions), jsonl(task.sft));
  await writeAtomic(join(out, files.trajectories), jsonl(task.trajectories));
  await writeAtomic(join(out, files.sft), jsonl(sftPairs));
  await writeAtomic(join(out, files.facts), jsonl(task.facts));
  await writeAtomic(join(out, files.vocabulary), JSON.stringify(task.vocabulary, null, 1) + '\n');
  await writeAtomic(join(out, files.manifest), JSON.stringify({ ...task.manifest, files }, null, 1) + '\n');
  const m = task.manifest;
  console.log(JSON.stringify({ task: 'closed-book', region: { entities: m.region.entities, facts: m.region.facts }, counts: m.counts, baselines: m.baselines, checks: m.checks, addedTokens: task.vocabulary.added_tokens.length, out }));
  if (task.heldout.length < heldoutMin) {
    console.error(`only ${task.heldout.length} held-out items (wanted ${heldoutMin}): try a larger --entities`);
    return 3;
  }
  return 0;
}

async function openBook(argv: string[]): Promise<number> {
  const { flags } = parseFlags(argv, ['questions', 'out', 'seed', 'heldout-share', 'per-distractor', 'max-facts', 'graph']);
  for (const req of ['questions', 'out']) if (!flags[req]) throw new UsageError(`--${req} is required`);
  const seed = numberFlag(flags, 'seed', 1, (x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32, 'an integer from 0 to 2^32−1');
  const heldoutShare = numberFlag(flags, 'heldout-share', 0.2, (x) => x > 0 && x < 1, 'a share between 0 and 1');
  const perDistractor = numberFlag(flags, 'per-distractor', 2, (x) => Number.isInteger(x) && x >= 0, 'an integer ≥ 0');
  const maxFacts = numberFlag(flags, 'max-facts', 12, (x) => Number.isInteger(x) && x >= 1, 'a positive integer');
  const questions = parseQuestionLines(await readText(flags.questions!, '--questions'), flags.questions!);
  const kg = await loadGraphFile(flags.graph ?? DEFAULT_GRAPH);
  const withCtx = questions.map((r) => withContext(r, { seed, kg, perDistractor, maxFacts }));
  const split = splitByEntity(withCtx, { heldoutShare, seed });
  const out = flags.out!;
  await writeAtomic(join(out, 'train.jsonl'), jsonl(split.train));
  await writeAtomic(join(out, 'heldout.jsonl'), jsonl(split.heldout));
  const manifest = {
    format: 'fleming-open-book-split',
    version: 1,
    settings: { seed, heldoutShare, perDistractor, maxFacts, questions: flags.questions },
    counts: { train: split.train.length, heldout: split.heldout.length, dropped: split.dropped.length },
    // entities in many items (generic classes, common symptoms) are shared by both splits by design
    hubs: split.hubs,
    heldoutEntities: split.heldoutEntities.length,
    files: { train: 'train.jsonl', heldout: 'heldout.jsonl' },
  };
  await writeAtomic(join(out, 'manifest.json'), JSON.stringify(manifest, null, 1) + '\n');
  console.log(JSON.stringify({ task: 'open-book', ...manifest.counts, heldoutEntities: manifest.heldoutEntities, hubs: split.hubs.length, out }));
  return 0;
}

async function scaleOut(argv: string[]): Promise<number> {
  const { flags } = parseFlags(argv, ['train', 'heldout', 'trajectories', 'config', 'style', 'model', 'seed', 'out']);
  for (const req of ['train', 'out']) if (!flags[req]) throw new UsageError(`--${req} is required`);
  const style = (flags.style ?? 'plain') as PromptStyle;
  if (!PROMPT_STYLES.includes(style)) throw new UsageError(`--style ${flags.style}: expected ${PROMPT_STYLES.join(' or ')}`);
  const seed = numberFlag(flags, 'seed', 1, (x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32, 'an integer from 0 to 2^32−1');
  const train = parseQuestionLines(await readText(flags.train!, '--train'), flags.train!);
  const heldout: QuestionRecord[] = flags.heldout ? parseQuestionLines(await readText(flags.heldout, '--heldout'), flags.heldout) : [];
  const byId = new Map(train.map((q) => [q.id, q]));
  const sft = flags.trajectories ? parseTrajectoryLines(await readText(flags.trajectories, '--trajectories'), flags.trajectories, byId).pairs : [];
  let config: { grpo?: Partial<GrpoSettings>; sft?: Partial<SftSettings>; curriculum?: Partial<CurriculumSettings> } = {};
  if (flags.config) {
    try {
      config = JSON.parse(await readText(flags.config, '--config'));
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`--config ${flags.config}: not valid JSON (${(e as Error).message})`);
    }
  }
  const files = scaleOutBundle({
    train,
    heldout,
    sft,
    grpo: { ...DEFAULT_GRPO, ...config.grpo },
    sftSettings: sft.length ? { ...DEFAULT_SFT, ...config.sft } : undefined,
    curriculum: { ...DEFAULT_CURRICULUM, ...config.curriculum },
    style,
    model: flags.model ?? './checkpoint',
    seed,
  });
  for (const f of files) await writeAtomic(join(flags.out!, f.path), f.content);
  console.log(JSON.stringify({ task: 'scale-out', files: files.map((f) => f.path), train: train.length, heldout: heldout.length, sft: sft.length, out: flags.out }));
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help') {
    console.error(USAGE);
    return cmd ? 0 : 2;
  }
  if (cmd === 'closed-book') return closedBook(rest);
  if (cmd === 'open-book') return openBook(rest);
  if (cmd === 'scale-out') return scaleOut(rest);
  throw new UsageError(`unknown command "${cmd}" (closed-book, open-book or scale-out)`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof UsageError ? `${e.message}\n${USAGE}` : (e as Error).message);
    process.exit(e instanceof UsageError ? 2 : 1);
  },
);
