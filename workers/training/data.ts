/**
 * The data of a run, from what the user picked in the Train view: the built-in closed-book KG task
 * (a design a small model can learn; training/task/closed-book.ts) or the curated questions of the
 * Questions view with their trajectories. Either way: RL items, SFT pairs, held-out items split by
 * the task (or by a stable hash of the id), imported benchmark items to evaluate on, and the
 * task's added tokens. Frozen into the run's stored data when it starts.
 */
import type { KnowledgeGraph } from '../../src/graph/knowledge-graph';
import type { DatasetSummary, RunDataRecord } from '../../src/storage/run-store';
import { allQuestions } from '../../src/storage/question-store';
import { allTrajectories } from '../../src/storage/trajectory-store';
import type { WorkbenchDatabase } from '../../src/storage/open-db';
import type { Difficulty, QuestionRecord } from '../../src/synthesis/record';
import { hash64 } from '../../src/synthesis/text';
import { buildClosedBookTask } from '../../src/training/task/closed-book';
import { sftSet } from '../../src/trajectories/sft-set';
import type { DataChoice, PrepareProgress } from '../training-api';

export type PreparedData = Omit<RunDataRecord, 'runId'> & { summary: DatasetSummary };

/** closed-book task sizes: tiny = tests and classroom demos, small = a quick real run, standard = the measured design */
export const TASK_SIZES: Record<Extract<DataChoice, { kind: 'kg-task' }>['size'], { entities: number[]; heldoutMin: number; label: string }> = {
  // a small region may leave no start entity to hold out: the next size up is tried until enough are
  tiny: { entities: [60, 80, 100, 120], heldoutMin: 30, label: 'tiny (≈60–120 entities)' },
  small: { entities: [120, 160, 200], heldoutMin: 90, label: 'small (≈120–200 entities)' },
  standard: { entities: [400], heldoutMin: 600, label: 'standard (≈400 entities, ≥ 600 held-out)' },
};

/** fewest held-out items a size accepts before trying a bigger region */
const HELDOUT_FLOOR = { tiny: 12, small: 45, standard: 1 } as const;

const IMPORTED_EVAL_MAX = 200;

const isImported = (q: QuestionRecord) => q.source !== 'synthetic' && q.source !== 'kg-closed-book';

function tiers(qs: readonly QuestionRecord[]): Partial<Record<Difficulty, number>> {
  const out: Partial<Record<Difficulty, number>> = {};
  for (const q of qs) out[q.difficulty] = (out[q.difficulty] ?? 0) + 1;
  return out;
}

/** held out when the id's hash falls below the share: stable across sessions and independent of order */
export function isHeldOut(id: string, share: number): boolean {
  // the first 32 bits of the id's hash as a uniform number in [0, 1)
  return parseInt(hash64(`heldout:${id}`).slice(0, 8), 16) / 2 ** 32 < share;
}

export interface DataDeps {
  db: () => Promise<WorkbenchDatabase>;
  graph: () => Promise<KnowledgeGraph>;
}

export async function prepareData(choice: DataChoice, deps: DataDeps, onProgress: (p: PrepareProgress) => void = () => {}): Promise<PreparedData> {
  if (choice.kind === 'kg-task') {
    onProgress({ stage: 'data', message: 'loading the knowledge graph…' });
    const kg = await deps.graph();
    const size = TASK_SIZES[choice.size];
    onProgress({ stage: 'data', message: `building the closed-book task (${size.label})…` });
    let task = buildClosedBookTask(kg, { seed: choice.seed, graph: 'default', entities: size.entities[0]!, heldoutMin: size.heldoutMin });
    for (const entities of size.entities.slice(1)) {
      if (task.heldout.length >= HELDOUT_FLOOR[choice.size]) break;
      task = buildClosedBookTask(kg, { seed: choice.seed, graph: 'default', entities, heldoutMin: size.heldoutMin });
    }
    if (!task.heldout.length) throw new Error(`the ${choice.size} closed-book task with seed ${choice.seed} has no held-out items: try another task seed or a bigger size`);
    const byId = new Map(task.train.map((q) => [q.id, q]));
    const sft = task.trajectories.flatMap((r) => r.trajectories.filter((t) => t.selected).map((t) => ({ id: r.question_id, completion: t.text })));
    for (const p of sft) if (!byId.has(p.id)) throw new Error(`the task's trajectory for ${p.id} names no training question`);
    const imported = await importedForEval(deps).catch(() => []);
    const m = task.manifest;
    return {
      train: task.train,
      sft,
      heldout: task.heldout,
      heldoutImported: imported,
      addedTokens: task.vocabulary.added_tokens,
      promptStyle: 'plain',
      summary: {
        name: `closed-book KG task, ${size.label}`,
        kind: `kg-task/${choice.size}`,
        train: task.train.length,
        heldout: task.heldout.length,
        tiers: tiers(task.train),
        imported: 0,
        heldoutImported: imported.length,
        detail: `${m.region.entities} entities, ${m.region.facts} facts; ${sft.length} SFT trajectories (chains up to ${m.settings.sftMaxHops} hops); tiers: easy = 1–2 hops, moderate = 3, difficult = 4; held-out chains start from unseen entities; chance = ${(m.baselines.chance * 100).toFixed(0)}%`,
      },
    };
  }

  onProgress({ stage: 'data', message: 'reading the curated questions and their trajectories…' });
  const db = await deps.db();
  const [questions, trajectories] = await Promise.all([allQuestions(db), allTrajectories(db)]);
  const usable = questions.filter((q) => (choice.status === 'accepted' ? q.status === 'accepted' : q.status !== 'rejected'));
  if (!usable.length)
    throw new Error(
      choice.status === 'accepted'
        ? `none of the ${questions.length} stored questions is accepted: accept some in the Questions view, or choose “every question not rejected”`
        : 'no questions are stored: generate or import some in the Questions view first',
    );
  const picked = usable.slice().sort((a, b) => a.id.localeCompare(b.id)).slice(0, choice.max_items);
  const held = picked.filter((q) => isHeldOut(q.id, choice.heldout_share));
  const train = picked.filter((q) => !isHeldOut(q.id, choice.heldout_share));
  const trainIds = new Set(train.map((q) => q.id));
  const sft = sftSet(train, trajectories)
    .filter((p) => trainIds.has(p.question.id))
    .map((p) => ({ id: p.question.id, completion: p.trajectory.text }));
  const heldout = held.filter((q) => !isImported(q));
  const heldoutImported = held.filter(isImported);
  return {
    train,
    sft,
    heldout,
    heldoutImported,
    addedTokens: [],
    promptStyle: 'plain',
    summary: {
      name: `curated questions (${picked.length})`,
      kind: `questions/${choice.status}`,
      train: train.length,
      heldout: heldout.length,
      tiers: tiers(train),
      imported: train.filter(isImported).length,
      heldoutImported: heldoutImported.length,
      detail: `${sft.length} SFT trajectories for ${new Set(sft.map((p) => p.id)).size} of ${train.length} training questions; ${Math.round(choice.heldout_share * 100)}% held out by id`,
    },
  };
}

/** imported benchmark items in the store (MedQA, MedMCQA, PubMedQA, MMLU …), evaluated alongside a KG task */
async function importedForEval(deps: DataDeps): Promise<QuestionRecord[]> {
  const qs = await allQuestions(await deps.db());
  return qs
    .filter((q) => isImported(q) && q.status !== 'rejected')
    .sort((a, b) => a.id.localeCompare(b.id))
    .slice(0, IMPORTED_EVAL_MAX);
}
