import { GpuBanner } from './components/GpuBanner';
import { NavBar } from './components/NavBar';
import { AboutView } from './views/AboutView';
import { BenchView } from './views/BenchView';
import { GraphView } from './views/GraphView';
import { PlaceholderView } from './views/PlaceholderView';
import { QuestionsView } from './views/QuestionsView';
import { TrajectoriesView } from './views/TrajectoriesView';
import { useApp } from './store';

export function App() {
  const view = useApp((s) => s.route.view);
  return (
    <div className="app">
      <header className="app-header">
        <h1>Fleming Workbench</h1>
        <NavBar active={view} />
      </header>
      <GpuBanner />
      <main className="app-main" data-view={view}>
        {view === 'graph' && <GraphView />}
        {view === 'about' && <AboutView />}
        {view === 'questions' && <QuestionsView />}
        {view === 'trajectories' && <TrajectoriesView />}
        {view === 'bench' && <BenchView />}
        {view !== 'graph' && view !== 'about' && view !== 'questions' && view !== 'trajectories' && view !== 'bench' && <PlaceholderView view={view} />}
      </main>
    </div>
  );
}
