/**
 * Inspector state (zustand): questions and their trajectories from IndexedDB, the
 * filters, the selected question, and the run in progress. Runs happen in the
 * trajectory worker, which saves per question; this store re-reads when a run ends.
 */
import { create } from 'zustand';
import { openWorkbenchDb, type WorkbenchDatabase } from '../../../storage/open-db';
import { allQuestions } from '../../../storage/question-store';
import { allTrajectories, setReview } from '../../../storage/trajectory-store';
import type { QuestionRecord } from '../../../synthesis/record';
import type { Trajectory } from '../../../trajectories/types';
import type { TrajectoryProgress, TrajectoryRunResult, TrajectoryRunSettings } from '../../../../workers/trajectory-api';
import { NO_FILTERS, type InspectorFilters } from './filters';
import { Comlink, trajectoryWorker } from './trajectory-client';

let db: Promise<WorkbenchDatabase> | null = null;
const database = () => (db ??= openWorkbenchDb());

interface InspectorState {
  phase: 'idle' | 'loading' | 'ready' | 'error';
  error?: string;
  questions: QuestionRecord[];
  trajectories: Trajectory[];
  filters: InspectorFilters;
  selectedId: string | null;
  running: boolean;
  progress: TrajectoryProgress | null;
  lastRun: TrajectoryRunResult | null;
  /** why the last run failed, with what to do next; kept until the next run (re-reading the store does not clear it) */
  runError: string | null;
  load(): Promise<void>;
  setFilters(f: Partial<InspectorFilters>): void;
  select(id: string | null): void;
  run(settings: TrajectoryRunSettings): Promise<void>;
  cancel(): void;
  review(id: string, review: 'accepted' | 'rejected' | null): Promise<void>;
}

export const useInspector = create<InspectorState>((set, get) => ({
  phase: 'idle',
  questions: [],
  trajectories: [],
  filters: NO_FILTERS,
  selectedId: null,
  running: false,
  progress: null,
  lastRun: null,
  runError: null,
  async load() {
    set({ phase: 'loading' });
    try {
      const d = await database();
      const [questions, trajectories] = await Promise.all([allQuestions(d), allTrajectories(d)]);
      set({ phase: 'ready', questions, trajectories, error: undefined });
    } catch (e) {
      set({ phase: 'error', error: (e as Error).message });
    }
  },
  setFilters: (f) => set({ filters: { ...get().filters, ...f } }),
  select: (id) => set({ selectedId: id }),
  async run(settings) {
    set({ running: true, progress: null, lastRun: null, runError: null });
    try {
      const result = await trajectoryWorker().run(
        settings,
        Comlink.proxy((p: TrajectoryProgress) => set({ progress: p })),
      );
      set({ lastRun: result });
    } catch (e) {
      set({ runError: (e as Error).message || String(e) });
    } finally {
      set({ running: false });
      // saved per question as they finished: re-read them even after a failure
      await get().load();
    }
  },
  cancel: () => void trajectoryWorker().cancel(),
  async review(id, review) {
    const t = await setReview(await database(), id, review);
    set({ trajectories: get().trajectories.map((x) => (x.id === id ? t : x)) });
  },
}));
