/** The typed contract between the UI and the synthesis worker (comlink RPC). */
import type { SynthesisSettings } from '../src/synthesis/engine';
import type { ImportOptions, QaFormat } from '../src/synthesis/import';
import type { ImportProblem } from '../src/synthesis/import/common';
import type { VerifySummary } from '../src/synthesis/llm-verify/verifier';
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
  /** the graph the questions came from (the active one when the run started) */
  graph: { id: string; name: string };
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

/** The LLM verifier pass over stored questions (src/synthesis/llm-verify). */
export interface LlmVerifySettings {
  /** OpenAI-compatible base URL, e.g. http://127.0.0.1:8000/v1 */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** votes per item (the paper: 5) */
  k: number;
  /** flag when fewer than this share of readable votes name only the key */
  threshold: number;
  /** above 0, so the votes are independent samples */
  temperature: number;
  maxConcurrency?: number;
  timeoutMs?: number;
  /** the questions to verify, read from IndexedDB by id */
  questionIds: string[];
}

export interface LlmVerifyProgress {
  done: number;
  total: number;
  message: string;
  summary: VerifySummary;
}

export interface LlmVerifyResult {
  summary: VerifySummary;
  cancelled: boolean;
  /** the first few failed calls, in words */
  errors: string[];
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
  /**
   * Ask an OpenAI-compatible model k times per item which options are correct (without the
   * key); store the votes, agreement and verdict with each item as it finishes (a drop
   * rejects a pending item). Throws when no call to the endpoint succeeds, with what to do next.
   */
  verifyQuestions(settings: LlmVerifySettings, onProgress?: (p: LlmVerifyProgress) => void): Promise<LlmVerifyResult>;
  /** stop a verifier run; the items verified so far stay saved */
  cancelVerify(): void;
  /** verified questions per second in this worker, nothing saved (benchmark) */
  bench(n: number, seed: number): Promise<{ n: number; questionsPerSecond: number; ms: number }>;
}
