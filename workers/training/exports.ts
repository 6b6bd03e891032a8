/**
 * What the runs list does with a stored run: the Table-4 ablation from its stage-end checkpoints
 * (base → +CoT SFT → +RL stage 1 → +RL stage 2), each evaluated on the run's held-out items, saved
 * on the run; a checkpoint as a Hugging Face folder; the scale-out bundle.
 */
import { getRun, getRunData, listCheckpoints, readCheckpoint, updateRun, type AblationResult, type AblationRow, type CheckpointMeta } from '../../src/storage/run-store';
import { exportCheckpointFolder } from '../../src/training/hf/checkpoint';
import { unprefixed, W } from '../../src/training/run/checkpoint';
import type { AblationProgress, Backend, ExportedFiles } from '../training-api';
import { evaluateHeldout } from './evaluate';
import { modelFactory } from './models';
import { checkpointTokenizer, toCheckpoint, workerDb } from './run-host';

/** the checkpoint each ablation row reads; a run that never reached stage 2 has no stage-2 row */
export function ablationCheckpoints(metas: readonly CheckpointMeta[]): Record<AblationRow['row'], CheckpointMeta | null> {
  const last = (label: CheckpointMeta['label']) => metas.filter((m) => m.label === label).sort((a, b) => b.step - a.step)[0] ?? null;
  const final = last('final');
  return {
    base: last('base'),
    sft: last('sft'),
    // a run that ended in stage 1 has its stage-1 end in the 'final' checkpoint
    rl_stage1: last('rl_stage1') ?? (final && final.phase === 'grpo' && final.stage === 1 ? final : null),
    rl_stage2: last('rl_stage2'),
  };
}

export async function computeAblation(runId: string, backend: Backend, onProgress: (p: AblationProgress) => void): Promise<AblationResult> {
  const db = await workerDb();
  const run = await getRun(db, runId);
  if (!run) throw new Error(`run ${runId} is not stored in this browser`);
  const data = await getRunData(db, runId);
  if (!data.heldout.length && !data.heldoutImported.length) throw new Error(`run "${run.name}" has no held-out items to evaluate on`);
  const picks = ablationCheckpoints(await listCheckpoints(db, runId));
  const factory = await modelFactory(backend);
  const rows: AblationRow[] = [];
  for (const row of ['base', 'sft', 'rl_stage1', 'rl_stage2'] as const) {
    const meta = picks[row];
    if (!meta) {
      rows.push({ row, step: null, heldout: null });
      continue;
    }
    const ck = await readCheckpoint(db, runId, meta.step);
    const state = toCheckpoint(ck.meta, ck.tensors, ck.shapes).state;
    const model = await factory.create(state.model_config);
    try {
      await model.setWeights(unprefixed(ck.tensors, W));
      const heldout = await evaluateHeldout(model, checkpointTokenizer(state), data, state.settings, (done, total) => onProgress({ row, done, total }));
      rows.push({ row, step: meta.step, heldout });
    } finally {
      model.dispose();
    }
  }
  const result: AblationResult = {
    runId,
    heldoutName: `${data.heldout.length} held-out items of ${run.dataset.name}${data.heldoutImported.length ? ` and ${data.heldoutImported.length} imported benchmark items` : ''}, greedy decoding`,
    rows,
    computedAt: new Date().toISOString(),
  };
  await updateRun(db, runId, { ablation: result });
  return result;
}

export async function checkpointFolder(runId: string, step: number): Promise<ExportedFiles> {
  const db = await workerDb();
  const ck = await readCheckpoint(db, runId, step);
  const state = toCheckpoint(ck.meta, ck.tensors, ck.shapes).state;
  const files = exportCheckpointFolder(unprefixed(ck.tensors, W), state.model_config, checkpointTokenizer(state), {
    metadata: { fleming_run: runId, fleming_step: String(step), fleming_label: ck.meta.label },
  });
  return [...files].map(([name, bytes]) => ({ name, bytes }));
}
