import '../components/questions/questions.css';
/**
 * Questions view: generate from the KG, import public QA, curate (filters, virtualised
 * table, keyboard flow j/k/a/r/e, bulk actions on the filtered set, edit with history,
 * provenance subgraph) and export the filtered set.
 */
import { useEffect, useMemo, useState } from 'react';
import type { QuestionStatus } from '../../synthesis/record';
import { applyFilters, describeFilters, valuesOf, type QuestionFilters } from '../components/questions/filters';
import { GeneratePanel } from '../components/questions/GeneratePanel';
import { ImportPanel } from '../components/questions/ImportPanel';
import { QuestionDetail, type EditDraft } from '../components/questions/QuestionDetail';
import { QuestionTable } from '../components/questions/QuestionTable';
import { useQuestions } from '../components/questions/store';
import { synthesisWorker } from '../components/questions/synth-client';
import type { ExportFormat } from '../../../workers/synthesis-api';

const EXPORTS: { format: ExportFormat; label: string }[] = [
  { format: 'medqa', label: 'MedQA JSONL' },
  { format: 'trl', label: 'TRL chat JSONL' },
  { format: 'verl', label: 'verl parquet' },
  { format: 'card', label: 'Dataset card' },
];

export function QuestionsView() {
  const { phase, error, records, filters, selectedId, load, setFilters, select, edit } = useQuestions();
  const [editing, setEditing] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  /** null: export the filtered set as is; a share: export the stratified synthetic/imported mix */
  const [mixShare, setMixShare] = useState<number | null>(null);
  const rows = useMemo(() => applyFilters(records, filters), [records, filters]);
  const selected = rows.find((r) => r.id === selectedId) ?? null;

  useEffect(() => {
    if (phase === 'idle') void load();
  }, [phase, load]);

  const act = async (f: () => Promise<void>) => {
    try {
      setMessage(null);
      await f();
    } catch (e) {
      setMessage((e as Error).message);
    }
  };
  const setStatus = (ids: string[], status: QuestionStatus) => act(() => edit(ids, { status }));
  const move = (delta: number) => {
    if (rows.length === 0) return;
    const i = selected ? rows.indexOf(selected) : -1;
    select(rows[Math.min(rows.length - 1, Math.max(0, i + delta))]!.id);
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (editing || e.ctrlKey || e.metaKey || e.altKey || t.closest('input, textarea, select, [contenteditable]')) return;
      if (e.key === 'j') move(1);
      else if (e.key === 'k') move(-1);
      else if (e.key === 'a' && selected) void setStatus([selected.id], 'accepted');
      else if (e.key === 'r' && selected) void setStatus([selected.id], 'rejected');
      else if (e.key === 'e' && selected) setEditing(true);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const exportAs = async (format: ExportFormat) => {
    const file = await synthesisWorker().exportQuestions(
      rows.map((r) => r.id),
      format,
      describeFilters(filters),
      mixShare === null ? undefined : { importedShare: mixShare, seed: 1 },
    );
    const url = URL.createObjectURL(new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.mime }));
    const a = document.createElement('a');
    a.href = url;
    a.download = file.name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  const saveEdit = async (d: EditDraft) => {
    if (!selected) return;
    await edit([selected.id], { question: d.question, options: d.options, answer_idx: d.answer_idx });
    setEditing(false);
  };

  const menu = (key: keyof QuestionFilters, label: string, values: string[]) => (
    <label>
      {label}{' '}
      <select aria-label={`Filter ${label}`} value={filters[key]} onChange={(e) => setFilters({ [key]: e.target.value })}>
        <option value="">any</option>
        {values.map((v) => (
          <option key={v} value={v}>
            {v}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <section className="questions-view">
      <h2>Questions</h2>
      <GeneratePanel onSaved={() => void load()} />
      <ImportPanel onSaved={() => void load()} />
      {phase === 'error' && <p role="alert">Could not read the saved questions: {error}</p>}
      <div className="panel filters" role="search" aria-label="Filters">
        {menu('type', 'type', valuesOf(records, (r) => r.type))}
        {menu('difficulty', 'difficulty', ['easy', 'moderate', 'difficult'])}
        {menu('status', 'status', ['pending', 'accepted', 'rejected'])}
        {menu('source', 'source', valuesOf(records, (r) => r.source))}
        {menu('hops', 'hops', valuesOf(records, (r) => r.provenance?.hops))}
        <label>
          text <input type="search" aria-label="Filter text" value={filters.text} onChange={(e) => setFilters({ text: e.target.value })} />
        </label>
        <span data-testid="filtered-count">
          {rows.length.toLocaleString('en')} of {records.length.toLocaleString('en')}
        </span>
      </div>
      <div className="panel bulk">
        <span>On the {rows.length.toLocaleString('en')} filtered:</span> <button onClick={() => void setStatus(rows.map((r) => r.id), 'accepted')} disabled={!rows.length}>Accept all</button>{' '}
        <button onClick={() => void setStatus(rows.map((r) => r.id), 'rejected')} disabled={!rows.length}>Reject all</button>{' '}
        <button onClick={() => void setStatus(rows.map((r) => r.id), 'pending')} disabled={!rows.length}>Reset to pending</button> <span className="sep">|</span> Export:{' '}
        {EXPORTS.map((x) => (
          <button key={x.format} onClick={() => void act(() => exportAs(x.format))} disabled={!rows.length}>
            {x.label}
          </button>
        ))}
        <label title="Build the training mix from the filtered set: this share of imported items in every difficulty tier">
          <input type="checkbox" checked={mixShare !== null} onChange={(e) => setMixShare(e.target.checked ? 0.3 : null)} /> mix with imported share{' '}
        </label>
        {mixShare !== null && (
          <input type="number" aria-label="Imported share" min={0} max={1} step={0.05} value={mixShare} onChange={(e) => setMixShare(Math.min(1, Math.max(0, Number(e.target.value))))} />
        )}
        <span className="muted keys"> keys: j/k move · a accept · r reject · e edit</span>
      </div>
      {message && <p role="alert" className="error-text">{message}</p>}
      <div className="q-columns">
        <QuestionTable rows={rows} selectedId={selected?.id ?? null} onSelect={(id) => (select(id), setEditing(false))} />
        {selected ? (
          <QuestionDetail record={selected} editing={editing} onSave={saveEdit} onCancel={() => setEditing(false)} />
        ) : (
          <p className="muted">{records.length ? 'Select a question (click, or press j).' : phase === 'ready' ? 'No questions yet: generate some or import a file.' : 'Loading…'}</p>
        )}
      </div>
    </section>
  );
}
