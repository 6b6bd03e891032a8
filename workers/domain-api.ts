/**
 * The domain worker hosts every service that needs the knowledge graph, so the app holds
 * ONE copy of it (about 22 MB for the default graph; hundreds for an imported 1M-node
 * graph) instead of one per worker. Each service keeps its own typed comlink contract and
 * its own message port; long jobs in it run in chunks and yield, so explorer queries are
 * answered while a synthesis or trajectory run is going.
 *
 * Why not SharedArrayBuffer across separate workers: it needs cross-origin isolation
 * (COOP/COEP headers), which a static host (GitHub Pages, a file share) often cannot
 * send, and under COEP every cross-origin fetch must opt in (CORS/CORP) — the Hugging
 * Face hub downloads and a user's OpenAI-compatible teacher endpoint would then depend
 * on headers we do not control. One worker needs none of that.
 */
import type { GraphWorkerApi } from './graph-api';
import type { SynthesisWorkerApi } from './synthesis-api';
import type { TrajectoryWorkerApi } from './trajectory-api';
import type { WorkspaceApi } from './workspace-api';

export interface DomainServices {
  graph: GraphWorkerApi;
  synthesis: SynthesisWorkerApi;
  trajectories: TrajectoryWorkerApi;
  workspace: WorkspaceApi;
}

export type DomainServiceName = keyof DomainServices;

/** The message the page sends, with a MessagePort, to connect one service. */
export interface ConnectMessage {
  type: 'fleming:connect';
  service: DomainServiceName;
}
