/**
 * "Start here": what each view is for, in the order of the pipeline, shown on a first
 * visit until dismissed and reachable again from the header's Guide button.
 */
import { formatHash, type ViewId } from '../../routes';
import { useApp } from '../../store';
import { Term } from './Term';

const STEPS: { view: ViewId; title: string; what: React.ReactNode }[] = [
  { view: 'graph', title: 'Graph', what: <>Explore the medical <Term k="kg" />: search a disease, open it, expand its relations, find a <Term k="path" /> between two entities. Import Hetionet or PrimeKG to work on them instead.</> },
  { view: 'questions', title: 'Questions', what: <>Generate multiple-choice questions from the graph (or import MedQA, MedMCQA, PubMedQA, MMLU), then curate them — accept, reject, edit — and export the set.</> },
  { view: 'trajectories', title: 'Trajectories', what: <>Have a <Term k="teacher" /> write a chain of thought for each question; each <Term k="trajectory" /> is checked against the graph and the good ones become training data.</> },
  { view: 'train', title: 'Train', what: <>Train a small model on your GPU: <Term k="sft" /> on the trajectories, then <Term k="grpo" /> in two stages, with live reward curves per difficulty tier.</> },
  { view: 'learn', title: 'Learn GRPO', what: <>Step through one GRPO update: a group of answers, their rewards, the group mean, each <Term k="advantage" />, and what β and the loss type change.</> },
];
const ASIDE: { view: ViewId; title: string; what: string }[] = [
  { view: 'bench', title: 'Bench', what: 'how fast the GPU kernels run here, against TensorFlow.js on the same device' },
  { view: 'storage', title: 'Storage', what: 'what takes space, deleting items, and backing up or moving the whole workspace as one file' },
  { view: 'about', title: 'About', what: 'data sources, licences, and what leaves your machine' },
];

export function GuidedStart() {
  const open = useApp((s) => s.guideOpen);
  const setOpen = useApp((s) => s.setGuideOpen);
  const view = useApp((s) => s.route.view);
  if (!open) return null;
  return (
    <section className="guide panel" aria-label="Start here" data-testid="guide">
      <div className="guide-head">
        <h2>Start here</h2>
        <button type="button" onClick={() => setOpen(false)} aria-label="Hide the guide">
          Hide the guide
        </button>
      </div>
      <p className="muted">
        Fleming Workbench follows the Fleming-R1 recipe from left to right. Everything runs and stays in this browser; the Guide button in the header brings this back.
      </p>
      <ol className="guide-steps">
        {STEPS.map((s) => (
          <li key={s.view} className={s.view === view ? 'here' : ''}>
            <a href={formatHash(s.view)}>{s.title}</a> — {s.what}
          </li>
        ))}
      </ol>
      <p className="guide-aside">
        Also:{' '}
        {ASIDE.map((s, i) => (
          <span key={s.view}>
            <a href={formatHash(s.view)}>{s.title}</a> — {s.what}
            {i < ASIDE.length - 1 ? '; ' : '.'}
          </span>
        ))}
      </p>
    </section>
  );
}
