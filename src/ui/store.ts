/** App-wide UI state (zustand): the route, the GPU status, the graph loading state and the guide. */
import { create } from 'zustand';
import type { GpuStatus } from '../../workers/gpu-api';
import type { GraphLoadResult, LoadProgress } from '../../workers/graph-api';
import { parseHash, type Route } from './routes';

export type GpuState = { phase: 'checking' } | { phase: 'done'; status: GpuStatus };
export type GraphState = { phase: 'loading'; progress?: LoadProgress } | { phase: 'ready'; result: GraphLoadResult } | { phase: 'error'; message: string };

interface AppState {
  route: Route;
  gpu: GpuState;
  graph: GraphState;
  /** the "Start here" guide: open on a first visit, until dismissed */
  guideOpen: boolean;
  /** bumped when stored data changed behind the views' backs (a delete in Storage): views re-read */
  dataVersion: number;
  /** a background worker died and what was done about it, in words (shown until dismissed) */
  workerNotice: string | null;
  setWorkerNotice(notice: string | null): void;
  bumpData(): void;
  setRoute(route: Route): void;
  setGpu(gpu: GpuState): void;
  setGraph(graph: GraphState): void;
  setGuideOpen(open: boolean): void;
}

const GUIDE_KEY = 'fleming.guide';
function guideInitiallyOpen(): boolean {
  try {
    return typeof localStorage === 'undefined' || localStorage.getItem(GUIDE_KEY) !== 'hidden';
  } catch {
    return true;
  }
}

export const useApp = create<AppState>((set) => ({
  route: parseHash(typeof location === 'undefined' ? '' : location.hash),
  gpu: { phase: 'checking' },
  graph: { phase: 'loading' },
  guideOpen: guideInitiallyOpen(),
  dataVersion: 0,
  workerNotice: null,
  setWorkerNotice: (workerNotice) => set({ workerNotice }),
  bumpData: () => set((s) => ({ dataVersion: s.dataVersion + 1 })),
  setRoute: (route) => set({ route }),
  setGpu: (gpu) => set({ gpu }),
  setGraph: (graph) => set({ graph }),
  setGuideOpen: (guideOpen) => {
    try {
      if (guideOpen) localStorage.removeItem(GUIDE_KEY);
      else localStorage.setItem(GUIDE_KEY, 'hidden');
    } catch {
      /* storage blocked: the choice lasts for this page only */
    }
    set({ guideOpen });
  },
}));
