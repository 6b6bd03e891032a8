import '../components/trajectories/trajectories.css';
/**
 * Trajectories view (the inspector): run a teacher over the stored questions with pass@k
 * and refinement, then per question see every trajectory (candidates and refinement
 * rounds) with its checks, entities linked to the explorer and the changes between
 * rounds; filter by outcome, failed check, difficulty and teacher; accept or reject a
 * trajectory for the SFT set.
 */
import { useEffect, useMemo, useState } from 'react';
import { sftSet, toSftJsonl } from '../../trajectories/sft-set';
import { CHECK_NAMES } from '../../trajectories/types';
import { inspectorRows } from '../components/trajectories/filters';
import { RunPanel } from '../components/trajectories/RunPanel';
import { useInspector } from '../components/trajectories/store';
import { TrajectoryCard } from '../components/trajectories/TrajectoryCard';
import { Term } from '../components/help/Term';
import { useApp } from '../store';

const SHOWN = 400;

/** the data version the store was last read at (module-level: survives leaving and re-entering the view) */
let loadedAtVersion = -1;

export function TrajectoriesView() {
  const { phase, error, questions, trajectories, filters, selectedId, load, setFilters, select, review } = useInspector();
  const [scope, setScope] = useState<'missing' | 'all'>('missing');
  const [limit, setLimit] = useState(200);


  const dataVersion = useApp((s) => s.dataVersion);
  // first visit, or stored data changed since this view last read it (a delete in Storage): read again
  useEffect(() => {
    if (phase !== 'idle' && loadedAtVersion === dataVersion) return;
    loadedAtVersion = dataVersion;
    void load();
  }, [phase, load, dataVersion]);

  // #/trajectories?question=ID (the Train view's rollouts link here) opens that question
  const linked = useApp((s) => s.route.params.get('question'));
  useEffect(() => {
    if (linked) select(linked);
  }, [linked, select]);

  const rows = useMemo(() => inspectorRows(questions, trajectories, filters), [questions, trajectories, filters]);
  const teachers = useMemo(() => [...new Set(trajectories.map((t) => t.teacher))].sort(), [trajectories]);
  // trajectories are checked against the graph a question came from: only the open graph's
  // synthetic questions (and imported ones, which need no graph) can run now
  const activeGraphId = useApp((s) => (s.graph.phase === 'ready' ? (s.graph.result.id ?? 'default') : null));
  const activeGraphName = useApp((s) => (s.graph.phase === 'ready' ? s.graph.result.name : null));
  const { runIds, otherGraph } = useMemo(() => {
    const done = new Set(trajectories.map((t) => t.questionId));
    const wanted = questions.filter((q) => q.status !== 'rejected' && (scope === 'all' || !done.has(q.id)));
    // while the graph is still loading, nothing is set aside (the worker checks again)
    const here = activeGraphId === null ? wanted : wanted.filter((q) => !q.provenance || q.provenance.graph === activeGraphId);
    return { runIds: here.slice(0, Math.max(0, limit)).map((q) => q.id), otherGraph: wanted.length - here.length };
  }, [questions, trajectories, scope, limit, activeGraphId]);
  const selected = rows.find((r) => r.question.id === selectedId) ?? null;
  const byId = useMemo(() => new Map(trajectories.map((t) => [t.id, t])), [trajectories]);
  const sft = useMemo(() => sftSet(questions, trajectories), [questions, trajectories]);
  const exportSft = () => {
    const url = URL.createObjectURL(new Blob([toSftJsonl(sft)], { type: 'application/jsonl' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `fleming-sft-${sft.length}.jsonl`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  return (
    <section className="trajectories-view">
      <h2>Trajectories</h2>
      <p className="help">
        A <Term k="teacher" /> writes k candidate chains of thought per question; each <Term k="trajectory" /> is checked against the graph (<Term k="unsupported">unsupported
        claims</Term> are counted), <Term k="passk" /> counts questions with a passing one, and a <Term k="refinement" /> retries those without. Accepted or selected ones form the{' '}
        <Term k="sft" /> set.
      </p>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {phase === 'ready' && questions.length === 0 && (
        <p>
          No questions yet: generate or import some in <a href="#/questions">Questions</a> first.
        </p>
      )}
      <div className="settings">
        <label>
          Questions
          <select aria-label="Questions to run" value={scope} onChange={(e) => setScope(e.target.value as 'missing' | 'all')}>
            <option value="missing">without trajectories yet</option>
            <option value="all">all (not rejected)</option>
          </select>
        </label>
        <label>
          At most
          <input type="number" aria-label="At most" value={limit} min={1} onChange={(e) => setLimit(Number(e.target.value))} />
        </label>
      </div>
      {otherGraph > 0 && (
        <p className="hint" data-testid="other-graph-note">
          {otherGraph.toLocaleString('en')} question{otherGraph === 1 ? ' was' : 's were'} synthesised from another graph than the open one ({activeGraphName ?? '…'}) and{' '}
          {otherGraph === 1 ? 'is' : 'are'} left out: trajectories are checked against the graph a question came from. Open that graph in the <a href="#/graph">Graph view</a> to run{' '}
          {otherGraph === 1 ? 'it' : 'them'}.
        </p>
      )}
      <RunPanel questionIds={runIds} scopeLabel={runIds.length === 1 ? 'question' : 'questions'} />
      <div className="filters">
        <label>
          Outcome{' '}
          <select aria-label="Filter outcome" value={filters.outcome} onChange={(e) => setFilters({ outcome: e.target.value as typeof filters.outcome })}>
            <option value="any">any</option>
            <option value="passed">a trajectory passed</option>
            <option value="failed">none passed</option>
            {CHECK_NAMES.map((c) => (
              <option key={c} value={`failed:${c}`}>
                failed check: {c}
              </option>
            ))}
          </select>
        </label>
        <label>
          Difficulty{' '}
          <select aria-label="Filter difficulty" value={filters.difficulty} onChange={(e) => setFilters({ difficulty: e.target.value })}>
            <option value="">any</option>
            <option value="easy">easy</option>
            <option value="moderate">moderate</option>
            <option value="difficult">difficult</option>
          </select>
        </label>
        <label>
          Teacher{' '}
          <select aria-label="Filter teacher" value={filters.teacher} onChange={(e) => setFilters({ teacher: e.target.value })}>
            <option value="">any</option>
            {teachers.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <button onClick={exportSft} disabled={sft.length === 0} title="per question: the accepted trajectories, else the pass@k selection unless rejected (TRL prompt-completion JSONL)">
          Export SFT set ({sft.length})
        </button>
        <span data-testid="inspector-count">
          {rows.length} question{rows.length === 1 ? '' : 's'} with trajectories
        </span>
      </div>
      <div className="traj-columns">
        <ul className="traj-list" role="listbox" aria-label="Questions with trajectories">
          {rows.slice(0, SHOWN).map((r) => (
            <li key={r.question.id} role="option" aria-selected={r.question.id === selectedId} data-testid="inspector-row" data-id={r.question.id} onClick={() => select(r.question.id)}>
              <span className={r.passed ? 'ok' : 'bad'}>{r.passed ? '✓' : '✗'}</span>
              <span className="stem">{r.question.question}</span>
              <span className={`tier-${r.question.difficulty}`}>{r.question.difficulty}</span>
            </li>
          ))}
          {rows.length > SHOWN && <li className="more">showing {SHOWN} of {rows.length}: narrow the filters</li>}
        </ul>
        <div className="traj-detail" data-testid="inspector-detail">
          {!selected && rows.length > 0 && <p>Select a question to inspect its trajectories.</p>}
          {selected && (
            <>
              <h3 data-testid="inspector-question">{selected.question.question}</h3>
              <p>
                <span className="badge">{selected.question.type}</span> <span className={`badge tier-${selected.question.difficulty}`}>{selected.question.difficulty}</span>
              </p>
              <ol type="A" className="q-options">
                {Object.entries(selected.question.options).map(([l, text]) => (
                  <li key={l} className={l === selected.question.answer_idx ? 'correct' : ''}>
                    {text}
                    {l === selected.question.answer_idx && ' (gold)'}
                  </li>
                ))}
              </ol>
              {selected.trajectories
                .slice()
                .sort((a, b) => a.round - b.round || a.candidate - b.candidate)
                .map((t) => {
                  const refined = t.refines ? byId.get(t.refines) : undefined;
                  return <TrajectoryCard key={t.id} t={t} {...(refined ? { refined } : {})} onReview={(rv) => void review(t.id, rv)} />;
                })}
            </>
          )}
        </div>
      </div>
    </section>
  );
}
