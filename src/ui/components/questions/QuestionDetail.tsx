/** The selected item: stem, options, difficulty features, history, the edit form and the provenance subgraph. */
import { useEffect, useState } from 'react';
import type { QuestionRecord } from '../../../synthesis/record';
import { formatHash } from '../../routes';
import { ProvenanceGraph } from './ProvenanceGraph';
import { Term } from '../help/Term';
import { VerificationView } from './VerificationView';

export interface EditDraft {
  question: string;
  options: Record<string, string>;
  answer_idx: string;
}

export function QuestionDetail({ record, editing, onSave, onCancel, graphName }: { record: QuestionRecord; editing: boolean; onSave(d: EditDraft): Promise<void>; onCancel(): void; graphName?: (id: string) => string }) {
  const f = record.provenance?.features;
  return (
    <section className="panel q-detail" data-testid="question-detail" aria-label="Selected question">
      {editing ? <EditForm record={record} onSave={onSave} onCancel={onCancel} /> : <View record={record} />}
      {f && (
        <p className="muted features" data-testid="features">
          <Term k="tier">{record.difficulty}</Term> (score {f.score}): {f.hops} hop(s), {f.evidenceShown} fact(s) shown, {f.evidenceDropped} withheld, answer rarity {f.answerRarity} (degree {f.answerDegree}),
          distractor overlap {f.distractorOverlap}
        </p>
      )}
      {record.provenance && (
        <p className="muted">
          <Term k="metapath" />: {record.provenance.metapath} · from {graphName ? graphName(record.provenance.graph) : record.provenance.graph} · <a href={formatHash('graph', { node: record.provenance.answer_node.id })}>open the answer in the explorer</a>
        </p>
      )}
      {record.provenance && (
        <ul className="contradictions">
          {record.provenance.distractors.map((d) => (
            <li key={d.id}>
              <strong>{d.name}</strong> ruled out: the KG {d.contradicted_by.holds ? 'states' : 'has no'} “{d.contradicted_by.head.name} —{d.contradicted_by.relation}→ {d.contradicted_by.tail.name}”
            </li>
          ))}
        </ul>
      )}
      <VerificationView record={record} />
      <ProvenanceGraph record={record} />
      {record.history?.length ? (
        <details data-testid="history">
          <summary>Edit history ({record.history.length})</summary>
          <ol>
            {record.history.map((h, i) => (
              <li key={i}>
                {h.at.replace('T', ' ').slice(0, 19)}: changed {Object.keys(h.before).join(', ')}
              </li>
            ))}
          </ol>
        </details>
      ) : null}
    </section>
  );
}

function View({ record }: { record: QuestionRecord }) {
  return (
    <>
      <p className="q-text" data-testid="detail-question">{record.question}</p>
      <ol className="q-options" type="A">
        {Object.entries(record.options).map(([l, t]) => (
          <li key={l} className={l === record.answer_idx ? 'correct' : ''}>
            {t} {l === record.answer_idx ? <span className="badge">answer</span> : null}
          </li>
        ))}
      </ol>
      <p className="muted">
        {record.id} · {record.type} · {record.source} · <span data-testid="detail-status">{record.status}</span>
      </p>
    </>
  );
}

function EditForm({ record, onSave, onCancel }: { record: QuestionRecord; onSave(d: EditDraft): Promise<void>; onCancel(): void }) {
  const [draft, setDraft] = useState<EditDraft>({ question: record.question, options: { ...record.options }, answer_idx: record.answer_idx });
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setDraft({ question: record.question, options: { ...record.options }, answer_idx: record.answer_idx }), [record]);
  const save = async () => {
    try {
      setError(null);
      await onSave(draft);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <form
      className="q-edit"
      aria-label="Edit question"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel();
      }}
    >
      <label>
        Stem
        <textarea aria-label="Stem" autoFocus rows={4} value={draft.question} onChange={(e) => setDraft({ ...draft, question: e.target.value })} />
      </label>
      {Object.keys(draft.options).map((l) => (
        <label key={l} className="opt">
          <input type="radio" name="answer" aria-label={`Answer ${l}`} checked={draft.answer_idx === l} onChange={() => setDraft({ ...draft, answer_idx: l })} />
          {l}
          <input aria-label={`Option ${l}`} value={draft.options[l]} onChange={(e) => setDraft({ ...draft, options: { ...draft.options, [l]: e.target.value } })} />
        </label>
      ))}
      {error && <p role="alert" className="error-text">{error}</p>}
      <button type="submit">Save</button> <button type="button" onClick={onCancel}>Cancel</button>
    </form>
  );
}
