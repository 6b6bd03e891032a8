/**
 * Workspace export / import against a real IndexedDB (Chromium): a workspace with graphs
 * (typed-array columns, edge slices), questions with edit history, trajectories, a
 * training run with metrics (NaN included) and checkpoint tensors, and settings comes
 * back identical in a fresh database; a damaged, cut-off or unstorable file changes
 * nothing; an older file is migrated; per-item usage and delete work across stores.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { packGraph } from '../graph/packed-graph';
import { smallGraphFile } from '../graph/test-graph.fixture';
import type { QuestionRecord } from '../synthesis/record';
import type { Trajectory } from '../trajectories/types';
import { saveGraph, setActiveGraphId } from './graph-cache';
import { openWorkbenchDb, type WorkbenchDatabase } from './open-db';
import { applyEdit, putQuestions } from './question-store';
import { DB_VERSION } from './schema';
import { deleteStorageItem, storageUsage } from './storage-usage';
import { putTrajectories } from './trajectory-store';
import { exportWorkspace, importWorkspace } from './workspace';
import { WORKSPACE_FORMAT, WorkspaceFileError, WorkspaceWriter } from './workspace-format';

let dbs: WorkbenchDatabase[] = [];
let n = 0;
async function freshDb(): Promise<WorkbenchDatabase> {
  const db = await openWorkbenchDb(`ws-test-${Date.now()}-${n++}`);
  dbs.push(db);
  return db;
}
afterEach(() => {
  for (const db of dbs) {
    db.close();
    indexedDB.deleteDatabase(db.name);
  }
  dbs = [];
});

const question = (i: number, graph = 'default'): QuestionRecord => ({
  id: `q${i}`,
  question: `Which drug treats disease ${i}?`,
  options: { A: 'alpha', B: 'beta', C: 'gamma' },
  answer_idx: 'A',
  answer: 'alpha',
  difficulty: 'moderate',
  type: 'treatment',
  source: 'synthetic',
  status: 'pending',
  provenance: {
    graph, seed: 1, alpha: 1, metapath: 'Disease-treats-Drug', hops: 1,
    answer_node: { id: 'D1', type: 'drug', name: 'alpha' }, evidence: [], distractors: [],
    features: { hops: 1, evidenceShown: 1, evidenceDropped: 0, answerRarity: 0.5, answerDegree: 3, distractorOverlap: 0, optionCount: 3, score: 0.4 },
  },
});

const trajectory = (questionId: string, candidate: number): Trajectory => ({
  id: `${questionId}-0-${candidate}`,
  questionId,
  text: '<think>because</think><answer>A</answer>',
  teacher: 'kg',
  round: 0,
  candidate,
  strategy: 'initial',
  checks: [{ name: 'format', passed: true, applicable: true, detail: 'well formed' }],
  claims: [],
  unsupportedClaims: 0,
  mentions: [],
  passed: true,
  selected: candidate === 0,
  createdAt: '2026-01-01T00:00:00.000Z',
});

/** A workspace touching every store: graphs (one split into edge slices), questions with history, trajectories, a run, settings. */
async function fill(db: WorkbenchDatabase): Promise<void> {
  const packed = packGraph(smallGraphFile(), 'hash', 'g');
  await saveGraph(db, { id: 'default', name: 'Default', origin: 'default', savedAt: '2026-01-01T00:00:00Z', header: packed.header }, packed);
  await saveGraph(db, { id: 'import-mini', name: 'Mini Hetionet', origin: 'import', savedAt: '2026-01-02T00:00:00Z', header: packed.header }, packed, 24);
  await setActiveGraphId(db, 'import-mini');
  const qs = [question(1), question(2), question(3, 'import-mini')];
  qs[0] = applyEdit(applyEdit(qs[0]!, { status: 'accepted' }, '2026-01-03T00:00:00Z'), { question: 'Edited stem?' }, '2026-01-04T00:00:00Z', 'clearer');
  await putQuestions(db, qs);
  await putTrajectories(db, [trajectory('q1', 0), trajectory('q1', 1), trajectory('q3', 0)]);
  // training stores, when this schema has them: written generically, as the export reads them
  const raw = db as unknown as { put(store: string, v: unknown): Promise<unknown>; objectStoreNames: DOMStringList };
  if (raw.objectStoreNames.contains('runs')) await raw.put('runs', { id: 'run-1', name: 'micro SFT', createdAt: '2026-01-05T00:00:00Z', status: 'completed' });
  if (raw.objectStoreNames.contains('metrics')) {
    await raw.put('metrics', { runId: 'run-1', step: 1, loss: 2.5, reward: NaN });
    await raw.put('metrics', { runId: 'run-1', step: 2, loss: -0, reward: Infinity });
  }
  if (raw.objectStoreNames.contains('checkpointTensors')) {
    await raw.put('checkpointTensors', { runId: 'run-1', step: 2, name: 'weights/w', shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, NaN]).buffer });
  }
}

async function dump(db: WorkbenchDatabase): Promise<Record<string, [IDBValidKey[], unknown[]]>> {
  const out: Record<string, [IDBValidKey[], unknown[]]> = {};
  const any = db as unknown as { getAllKeys(s: string): Promise<IDBValidKey[]>; getAll(s: string): Promise<unknown[]> };
  for (const s of [...db.objectStoreNames]) out[s] = [await any.getAllKeys(s), await any.getAll(s)];
  return out;
}

async function fileBytes(db: WorkbenchDatabase): Promise<Uint8Array> {
  return new Uint8Array(await (await exportWorkspace(db)).file.arrayBuffer());
}

describe('workspace export / import', () => {
  it('a workspace comes back identical in a fresh database, every store included', async () => {
    const a = await freshDb();
    await fill(a);
    const progress: number[] = [];
    const out = await exportWorkspace(a, { onProgress: (p) => progress.push(p.records) });
    expect(out.records).toMatchObject({ graphs: 2, questions: 3, trajectories: 3, settings: 1 });
    expect(out.records.graphData).toBeGreaterThan(2); // the main record and its edge slices
    expect(progress.at(-1)).toBe(Object.values(out.records).reduce((x, y) => x + y, 0));
    const b = await freshDb();
    const res = await importWorkspace(b, out.file, { mode: 'replace' });
    expect(res).toMatchObject({ fromSchemaVersion: DB_VERSION, migrated: false });
    expect(await dump(b)).toEqual(await dump(a));
    const q1 = (await b.get('questions', 'q1'))!;
    expect(q1.history).toHaveLength(2);
    expect(q1.history![1]!.note).toBe('clearer');
    if (b.objectStoreNames.contains('checkpointTensors' as never)) {
      const t = (await (b as unknown as { getAll(s: string): Promise<{ data: ArrayBuffer }[]> }).getAll('checkpointTensors'))[0]!;
      expect(t.data).toBeInstanceOf(ArrayBuffer);
      expect(Number.isNaN(new Float32Array(t.data)[5])).toBe(true);
    }
  });

  it('replace makes the workspace exactly the file; merge keeps what is there and overwrites same keys', async () => {
    const a = await freshDb();
    await fill(a);
    const file = (await exportWorkspace(a)).file;
    const b = await freshDb();
    await putQuestions(b, [{ ...question(1), question: 'local version' }, question(99)]);
    await importWorkspace(b, file, { mode: 'merge' });
    expect((await b.get('questions', 'q1'))!.question).toBe('Edited stem?');
    expect(await b.get('questions', 'q99')).toBeDefined();
    await importWorkspace(b, file, { mode: 'replace' });
    expect(await b.get('questions', 'q99')).toBeUndefined();
    expect(await dump(b)).toEqual(await dump(a));
  });

  it('a damaged or cut-off file is refused with a clear message and changes nothing, even in replace mode', async () => {
    const a = await freshDb();
    await fill(a);
    const bytes = await fileBytes(a);
    const b = await freshDb();
    await putQuestions(b, [question(42)]);
    await setActiveGraphId(b, 'default');
    const before = await dump(b);
    const flipped = bytes.slice();
    flipped[Math.floor(bytes.length * 0.8)]! ^= 0x04; // late in the file: many records were already handed to the transaction
    const cut = bytes.slice(0, bytes.length - 10);
    for (const [bad, msg] of [
      [flipped, /fails its checksum|damaged/],
      [cut, /cut off|ends early/],
    ] as const) {
      const err = await importWorkspace(b, new Blob([bad as BlobPart]), { mode: 'replace' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkspaceFileError);
      expect((err as Error).message).toMatch(msg);
      expect(await dump(b)).toEqual(before);
    }
  });

  it('a record the database cannot store aborts the whole import', async () => {
    const w = new WorkspaceWriter({ format: WORKSPACE_FORMAT, formatVersion: 1, schemaVersion: DB_VERSION, createdAt: '', app: 't', stores: [{ name: 'questions', keyPath: 'id', autoIncrement: false, indexes: [] }] });
    w.add('questions', question(7));
    w.add('questions', { question: 'no id: its key path cannot be read' });
    const b = await freshDb();
    await putQuestions(b, [question(1)]);
    const before = await dump(b);
    await expect(importWorkspace(b, await w.finish(), { mode: 'replace' })).rejects.toThrow(/could not be stored/);
    expect(await dump(b)).toEqual(before);
  });

  it('streams a large workspace through the one transaction (about 100 MB of binary columns)', async () => {
    const a = await freshDb();
    const big = (seed: number) => Float32Array.from({ length: 6_000_000 }, (_, i) => (i * seed) % 1013);
    for (let k = 0; k < 4; k++) await a.put('settings', { column: big(k + 1) }, `big-${k}`);
    const out = await exportWorkspace(a);
    expect(out.bytes).toBeGreaterThan(96e6);
    const b = await freshDb();
    const res = await importWorkspace(b, out.file, { mode: 'replace' });
    expect(res.records.settings).toBe(4);
    const back = (await b.get('settings', 'big-3')) as { column: Float32Array };
    expect(back.column.length).toBe(6_000_000);
    expect(back.column[1_234_567]).toBe((1_234_567 * 4) % 1013);
  });

  it('a file from a newer app is refused; an older one is migrated', async () => {
    const newer = new WorkspaceWriter({ format: WORKSPACE_FORMAT, formatVersion: 1, schemaVersion: DB_VERSION + 1, createdAt: '', app: 't', stores: [] });
    const b = await freshDb();
    await expect(importWorkspace(b, await newer.finish(), { mode: 'replace' })).rejects.toThrow(`database schema v${DB_VERSION + 1}; this app has v${DB_VERSION}`);

    // a schema-v1 workspace (graphs and settings only, as the first release wrote them)
    const v1 = new WorkspaceWriter({
      format: WORKSPACE_FORMAT, formatVersion: 1, schemaVersion: 1, createdAt: '2026-01-01T00:00:00Z', app: 'fleming-workbench 0.0.1',
      stores: [{ name: 'graphs', keyPath: 'id', autoIncrement: false, indexes: [] }, { name: 'graphData', keyPath: 'id', autoIncrement: false, indexes: [] }, { name: 'settings', keyPath: null, autoIncrement: false, indexes: [] }],
    });
    const packed = packGraph(smallGraphFile(), 'h', 'g');
    v1.add('graphs', { id: 'import-old', name: 'Old import', origin: 'import', savedAt: '', header: packed.header });
    v1.add('graphData', { id: 'import-old', packed });
    v1.add('settings', 'import-old', 'selectedGraph');
    const file = await v1.finish();
    const steps: number[] = [];
    // every step from the file's version to the app's runs, in order; here v1→v2 renames a setting
    const migrations = Object.fromEntries(
      Array.from({ length: DB_VERSION - 1 }, (_, i) => [i + 1, (r: { store: string; key?: IDBValidKey; value: unknown }) => {
        if (!steps.includes(i + 1)) steps.push(i + 1);
        return i + 1 === 1 && r.store === 'settings' && r.key === 'selectedGraph' ? { ...r, key: 'activeGraph' } : r;
      }]),
    );
    const res = await importWorkspace(b, file, { mode: 'replace', migrations });
    expect(res).toMatchObject({ fromSchemaVersion: 1, migrated: true, records: { graphs: 1, graphData: 1, settings: 1 } });
    expect(steps).toEqual(Array.from({ length: DB_VERSION - 1 }, (_, i) => i + 1));
    expect(await b.get('settings', 'activeGraph')).toBe('import-old');
    expect((await b.get('graphData', 'import-old'))!.packed.edges[1]!.dst).toBeInstanceOf(Uint32Array);
    // stores the old file did not have exist, empty
    expect(await b.count('questions')).toBe(0);
  });
});

describe('storage usage', () => {
  it('sums space per item across stores, and deletes one item (questions take their trajectories along)', async () => {
    const db = await freshDb();
    await fill(db);
    const u = await storageUsage(db);
    const byId = new Map(u.items.map((i) => [i.id, i]));
    expect(byId.get('graph:import-mini')).toMatchObject({ kind: 'graph', label: 'Graph "Mini Hetionet"' });
    expect(byId.get('graph:import-mini')!.records).toBeGreaterThan(2);
    expect(byId.get('graph:import-mini')!.bytes).toBeGreaterThan(byId.get('questions:synthetic:default')!.bytes);
    expect(byId.get('questions:synthetic:default')).toMatchObject({ records: 2, label: 'Questions synthesised from the built-in graph' });
    expect(byId.get('questions:synthetic:import-mini')).toMatchObject({ records: 1, label: 'Questions synthesised from graph "Mini Hetionet"' });
    expect(byId.get('trajectories:kg')).toMatchObject({ records: 3 });
    expect(byId.get('settings')).toMatchObject({ deletable: false });
    if (db.objectStoreNames.contains('runs' as never)) expect(byId.get('run:run-1')).toMatchObject({ label: 'Training run "micro SFT"', records: 4 });
    expect(u.stores.find((s) => s.name === 'questions')!.records).toBe(3);

    const deleted = await deleteStorageItem(db, 'questions:synthetic:default');
    expect(deleted).toEqual({ questions: 2, trajectories: 2 });
    expect(await db.getAllKeys('questions')).toEqual(['q3']);
    expect(await db.getAllKeys('trajectories')).toEqual(['q3-0-0']);
    if (db.objectStoreNames.contains('runs' as never)) {
      expect(await deleteStorageItem(db, 'run:run-1')).toMatchObject({ runs: 1, metrics: 2, checkpointTensors: 1 });
    }
  });
});
