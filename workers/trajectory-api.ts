/** The typed contract between the UI and the trajectory worker (comlink RPC). */
import type { RunSummary } from '../src/trajectories/pipeline';
import type { LoadProgress, TransformersDevice } from '../src/trajectories/transformers-teacher';

export type TeacherSpec =
  | { kind: 'kg' }
  | { kind: 'openai'; baseUrl: string; model: string; apiKey?: string; stream: boolean; timeoutMs?: number; maxConcurrency?: number }
  | { kind: 'transformers'; modelId: string; device: TransformersDevice | 'auto'; dtype?: string };

export interface TrajectoryRunSettings {
  teacher: TeacherSpec;
  /** candidates per question */
  k: number;
  /** refinement rounds for items with no passing candidate */
  rounds: number;
  seed: number;
  /** the questions to run, read from IndexedDB by id */
  questionIds: string[];
}

export interface TrajectoryProgress {
  phase: 'graph' | 'model' | 'run';
  done: number;
  total: number;
  message: string;
  model?: LoadProgress;
  summary?: RunSummary;
}

export interface TrajectoryRunResult {
  summary: RunSummary;
  cancelled: boolean;
  /** the first few failed teacher calls, in words (nothing was stored for them) */
  errors: string[];
}

export interface TrajectoryWorkerApi {
  run(settings: TrajectoryRunSettings, onProgress?: (p: TrajectoryProgress) => void): Promise<TrajectoryRunResult>;
  /** stop the run after the call in flight; what was saved stays */
  cancel(): void;
}
