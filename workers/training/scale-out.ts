/**
 * The scale-out bundle of a stored run: its frozen data (training items, held-out items, SFT
 * pairs), a Python reward function and a GRPOConfig with the run's settings, from training/export
 * (the same code as the CLI), so the recipe runs under TRL or verl on bigger machines.
 */
import { getRun, getRunData, latestCheckpoint } from '../../src/storage/run-store';
import { scaleOutBundle as bundle } from '../../src/training/export/scale-out';
import type { ExportedFiles } from '../training-api';
import { checkpointFolder } from './exports';
import { workerDb } from './run-host';

export async function scaleOutBundle(runId: string): Promise<ExportedFiles> {
  const db = await workerDb();
  const run = await getRun(db, runId);
  if (!run) throw new Error(`run ${runId} is not stored in this browser`);
  const data = await getRunData(db, runId);
  const byId = new Map(data.train.map((q) => [q.id, q]));
  const sft = data.sft.flatMap((p) => {
    const q = byId.get(p.id);
    return q ? [{ question: q, completion: p.completion }] : [];
  });
  const m = run.settings.model;
  const files = bundle({
    train: data.train,
    heldout: [...data.heldout, ...data.heldoutImported],
    sft,
    grpo: run.settings.grpo,
    sftSettings: run.settings.sft,
    curriculum: run.settings.curriculum,
    style: data.promptStyle,
    // a from-scratch model starts under TRL from this run's exported checkpoint folder
    model: m.kind === 'hf' ? m.name : './checkpoint',
    seed: run.settings.seed,
    title: run.name,
  });
  const enc = new TextEncoder();
  const out = files.map((f) => ({ name: f.path, bytes: typeof f.content === 'string' ? enc.encode(f.content) : f.content }));
  if (m.kind !== 'hf') {
    // the model TRL starts from: this run's last checkpoint as a Hugging Face folder
    const last = await latestCheckpoint(db, runId);
    if (last) for (const f of await checkpointFolder(runId, last.step)) out.push({ name: `checkpoint/${f.name}`, bytes: f.bytes });
  }
  return out;
}
