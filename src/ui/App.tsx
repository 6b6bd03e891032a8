import { lazy, Suspense, type ComponentType } from 'react';
import { GpuBanner } from './components/GpuBanner';
import { GuidedStart } from './components/help/GuidedStart';
import { NavBar } from './components/NavBar';
import { WorkerNotice } from './components/WorkerNotice';
import type { ViewId } from './routes';
import { AboutView } from './views/AboutView';
import { GraphView } from './views/GraphView';
import { PlaceholderView } from './views/PlaceholderView';
import { useApp } from './store';

// Views other than the landing one load on first visit, so start-up fetches only the graph view.
const VIEW_COMPONENTS: Partial<Record<ViewId, ComponentType>> = {
  graph: GraphView,
  about: AboutView,
  questions: lazy(() => import('./views/QuestionsView').then((m) => ({ default: m.QuestionsView }))),
  trajectories: lazy(() => import('./views/TrajectoriesView').then((m) => ({ default: m.TrajectoriesView }))),
  bench: lazy(() => import('./views/BenchView').then((m) => ({ default: m.BenchView }))),
  train: lazy(() => import('./views/TrainView').then((m) => ({ default: m.TrainView }))),
  learn: lazy(() => import('./views/LearnGrpoView').then((m) => ({ default: m.LearnGrpoView }))),
  storage: lazy(() => import('./views/StorageView').then((m) => ({ default: m.StorageView }))),
};

export function App() {
  const view = useApp((s) => s.route.view);
  const guideOpen = useApp((s) => s.guideOpen);
  const setGuideOpen = useApp((s) => s.setGuideOpen);
  const View = VIEW_COMPONENTS[view];
  return (
    <div className="app">
      <header className="app-header">
        <h1>Fleming Workbench</h1>
        <NavBar active={view} />
        <button type="button" className="guide-toggle" aria-pressed={guideOpen} onClick={() => setGuideOpen(!guideOpen)} title="What each view is for, in the order of the pipeline">
          Guide
        </button>
      </header>
      <GpuBanner />
      <WorkerNotice />
      <main className="app-main" data-view={view}>
        <GuidedStart />
        <Suspense fallback={<p className="muted">Loading view…</p>}>{View ? <View /> : <PlaceholderView view={view} />}</Suspense>
      </main>
    </div>
  );
}
