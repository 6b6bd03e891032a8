/**
 * The IndexedDB schema, versioned. Each migration takes the database from version
 * i to i+1 and runs inside the upgrade transaction, so a failed upgrade leaves the
 * old version intact. Later parts of the app (questions, trajectories, runs,
 * metrics, checkpoints) add their stores as new migrations, never by editing old ones.
 */
import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { PackedGraph, PackedGraphHeader } from '../graph/packed-graph';
import type { QuestionRecord } from '../synthesis/record';
import type { Trajectory } from '../trajectories/types';
import type { CheckpointMeta, CheckpointTensor, EventRecord, MetricsRecord, RolloutRow, RunDataRecord, RunRecord } from './run-store';

export const DB_NAME = 'fleming-workbench';

/** What a graph record says about itself without loading its columns. */
export interface GraphMeta {
  /** "default" for the embedded graph; imported graphs get their own ids */
  id: string;
  name: string;
  origin: 'default' | 'import';
  savedAt: string;
  header: PackedGraphHeader;
}

export interface WorkbenchDB extends DBSchema {
  /** one small record per graph: listing graphs never reads their columns */
  graphs: { key: string; value: GraphMeta };
  /** the packed columns, keyed like `graphs`; written in the same transaction */
  graphData: { key: string; value: { id: string; packed: PackedGraph } };
  /** small settings: selected graph, UI preferences */
  settings: { key: string; value: unknown };
  /** questions (synthetic and imported), each with its edit history; see question-store.ts */
  questions: { key: string; value: QuestionRecord; indexes: { status: string; difficulty: string; type: string; source: string } };
  /** chain-of-thought trajectories, every candidate and refinement round with its checks; see trajectory-store.ts */
  trajectories: { key: string; value: Trajectory; indexes: { questionId: string } };
  /** training runs: settings, status, progress, results; see run-store.ts */
  runs: { key: string; value: RunRecord };
  /** what a run trained and is evaluated on (its questions and SFT pairs), kept so it resumes and evaluates on the same items */
  runData: { key: string; value: RunDataRecord };
  /** one row per optimizer step, keyed [runId, step] */
  metrics: { key: [string, number]; value: MetricsRecord };
  /** every completion of every step, keyed [runId, step, group, index] */
  rollouts: { key: [string, number, number, number]; value: RolloutRow };
  /** curriculum events (stage transitions, plateaus, re-mining), keyed [runId, seq] */
  events: { key: [string, number]; value: EventRecord };
  /** checkpoint descriptions, keyed [runId, step]; listing them never reads a tensor */
  checkpoints: { key: [string, number]; value: CheckpointMeta };
  /** checkpoint tensors (weights, AdamW moments) as ArrayBuffers, keyed [runId, step, name] */
  checkpointTensors: { key: [string, number, string]; value: CheckpointTensor };
}

type Migration = (
  db: IDBPDatabase<WorkbenchDB>,
  tx: IDBPTransaction<WorkbenchDB, StoreNames<WorkbenchDB>[], 'versionchange'>,
) => void;

export const MIGRATIONS: Migration[] = [
  // v1: graphs
  (db) => {
    db.createObjectStore('graphs', { keyPath: 'id' });
    db.createObjectStore('graphData', { keyPath: 'id' });
    db.createObjectStore('settings');
  },
  // v2: questions, indexed by the fields the curation view filters on
  (db) => {
    const questions = db.createObjectStore('questions', { keyPath: 'id' });
    for (const field of ['status', 'difficulty', 'type', 'source'] as const) questions.createIndex(field, field);
  },
  // v3: trajectories, listed per question by the inspector
  (db) => {
    db.createObjectStore('trajectories', { keyPath: 'id' }).createIndex('questionId', 'questionId');
  },
  // v4: training runs and what they stream; compound keys put a run's records next to each other,
  // so a key range reads one run's rows in step order without an index
  (db) => {
    db.createObjectStore('runs', { keyPath: 'id' });
    db.createObjectStore('runData', { keyPath: 'runId' });
    db.createObjectStore('metrics', { keyPath: ['runId', 'step'] });
    db.createObjectStore('rollouts', { keyPath: ['runId', 'step', 'group', 'index'] });
    db.createObjectStore('events', { keyPath: ['runId', 'seq'] });
    db.createObjectStore('checkpoints', { keyPath: ['runId', 'step'] });
    db.createObjectStore('checkpointTensors', { keyPath: ['runId', 'step', 'name'] });
  },
];

export const DB_VERSION = MIGRATIONS.length;
