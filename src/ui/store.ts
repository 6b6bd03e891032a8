/** App-wide UI state (zustand): the route, the GPU status and the graph loading state. */
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
  setRoute(route: Route): void;
  setGpu(gpu: GpuState): void;
  setGraph(graph: GraphState): void;
}

export const useApp = create<AppState>((set) => ({
  route: parseHash(typeof location === 'undefined' ? '' : location.hash),
  gpu: { phase: 'checking' },
  graph: { phase: 'loading' },
  setRoute: (route) => set({ route }),
  setGpu: (gpu) => set({ gpu }),
  setGraph: (graph) => set({ graph }),
}));
