/** The typed contract between the UI and the synthesis worker (comlink RPC). */
import type { SynthesisSettings } from '../src/synthesis/engine';
import type { ImportOptions, QaFormat } from '../src/synthesis/import';
import type { ImportProblem } from '../src/synthesis/import/common';
import type { Difficulty } from '../src/synthesis/record';
import type { SynthesisSummary } from '../src/synthesis/run';

export interface GenerateProgress {
  phase: 'graph' | 'generate' | 'report';
  done: number;
  total: number;
  message: string;
  perDifficulty?: Record<Difficulty, number>;
}

export interface GenerateResult {
  /** questions written to IndexedDB (all of them, in batches of one transaction each) */
  saved: number;
  /** of those, items already in the store (same id: same seed and settings) that were kept as curated */
  alreadyStored: number;
  cancelled: boolean;
  summary: SynthesisSummary;
}

export interface ImportReport {
  ok: boolean;
  saved: number;
  rows: number;
  problems: ImportProblem[];
  skipped: Record<string, number>;
}

export interface MixSettings {
  /** share of imported (non-synthetic) items, 0..1, kept in every difficulty tier */
  importedShare: number;
  seed: number;
  n?: number;
}

export type ExportFormat = 'medqa' | 'trl' | 'verl' | 'card';

export interface ExportFile {
  name: string;
  mime: string;
  bytes: Uint8Array;
}

export interface SynthesisWorkerApi {
  generate(settings: SynthesisSettings, onProgress?: (p: GenerateProgress) => void): Promise<GenerateResult>;
  /** stop a running generation after its current batch; what was saved stays */
  cancel(): void;
  importQa(format: QaFormat, text: string, opts: ImportOptions): Promise<ImportReport>;
  /**
   * Build an export of the given questions (the UI passes the ids of its filtered set);
   * with `mix`, first build the training mix of synthetic and imported items at that share.
   */
  exportQuestions(ids: string[], format: ExportFormat, note?: string, mix?: MixSettings): Promise<ExportFile>;
  /** verified questions per second in this worker, nothing saved (benchmark) */
  bench(n: number, seed: number): Promise<{ n: number; questionsPerSecond: number; ms: number }>;
}
