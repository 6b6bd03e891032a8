import '../components/questions/questions.css';
/**
 * Questions view: generate from the KG, import public QA, curate (filters, virtualised
 * table, keyboard flow j/k/a/r/e, bulk actions on the filtered set, edit with history,
 * provenance subgraph) and export the filtered set.
 */
import { useEffect, useMemo, useState } from 'react';
import type { QuestionRecord, QuestionStatus } from '../../synthesis/record';
import { graphWorker } from '../clients/graph-client';
import { Term } from '../components/help/Term';
import { useApp } from '../store';
import { applyFilters, describeFilters, valuesOf, type QuestionFilters } from '../components/questions/filters';
import { GeneratePanel } from '../components/questions/GeneratePanel';
import { ImportPanel } from '../components/questions/ImportPanel';
import { VerifyPanel } from '../components/questions/VerifyPanel';
import { QuestionDetail, type EditDraft } from '../components/questions/QuestionDetail';
import { QuestionTable } from '../components/questions/QuestionTable';
import { useQuestions } from '../components/questions/store';
import { synthesisWorker } from '../components/questions/synth-client';
import type { ExportFormat } from '../../../workers/synthesis-api';

/** Which statuses an export takes from the filtered set: rejected items stay out unless asked for. */
export type ExportScope = 'usable' | 'accepted' | 'all';
export const EXPORT_SCOPES: { scope: ExportScope; label: string }[] = [
  { scope: 'usable', label: 'accepted and pending (not rejected)' },
  { scope: 'accepted', label: 'accepted only' },
  { scope: 'all', label: 'all, rejected included' },
];

export function inExportScope(r: Pick<QuestionRecord, 'status'>, scope: ExportScope): boolean {
  return scope === 'all' || (scope === 'accepted' ? r.status === 'accepted' : r.status !== 'rejected');
}

const EXPORTS: { format: ExportFormat; label: string }[] = [
  { format: 'medqa', label: 'MedQA JSONL' },
  { format: 'trl', label: 'TRL chat JSONL' },
  { format: 'verl', label: 'verl parquet' },
  { format: 'card', label: 'Dataset card' },
];

/** the data version the store was last read at (module-level: survives leaving and re-entering the view) */
let loadedAtVersion = -1;

export function QuestionsView() {
  const { phase, error, records, filters, selectedId, load, setFilters, select, edit } = useQuestions();
  const [editing, setEditing] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  /** null: export the filtered set as is; a share: export the stratified synthetic/imported mix */
  const [mixShare, setMixShare] = useState<number | null>(null);
  const [scope, setScope] = useState<ExportScope>('usable');
  const [exported, setExported] = useState<string | null>(null);
  const [graphNames, setGraphNames] = useState<Map<string, string>>(new Map());
  const rows = useMemo(() => applyFilters(records, filters), [records, filters]);
  const toExport = useMemo(() => rows.filter((r) => inExportScope(r, scope)), [rows, scope]);
  const selected = rows.find((r) => r.id === selectedId) ?? null;
  const dataVersion = useApp((s) => s.dataVersion);
  const activeGraph = useApp((s) => (s.graph.phase === 'ready' ? s.graph.result.id : undefined));


  // first visit, or stored data changed since this view last read it (a delete in Storage): read again
  useEffect(() => {
    if (phase !== 'idle' && loadedAtVersion === dataVersion) return;
    loadedAtVersion = dataVersion;
    void load();
  }, [phase, load, dataVersion]);
  // names of the graphs questions were synthesised from (the library may hold several)
  useEffect(() => {
    void graphWorker()
      .listGraphs()
      .then((l) => setGraphNames(new Map(l.map((g) => [g.id, g.origin === 'default' ? 'built-in graph' : g.name]))))
      .catch(() => {});
  }, [activeGraph, dataVersion]);
  const graphName = (id: string) => graphNames.get(id) ?? (id === 'default' ? 'built-in graph' : id);

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
    setExported(null);
    const scopeLabel = EXPORT_SCOPES.find((x) => x.scope === scope)!.label;
    const file = await synthesisWorker().exportQuestions(
      toExport.map((r) => r.id),
      format,
      `${describeFilters(filters)}; status: ${scopeLabel}`,
      mixShare === null ? undefined : { importedShare: mixShare, seed: 1 },
    );
    const url = URL.createObjectURL(new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.mime }));
    const a = document.createElement('a');
    a.href = url;
    a.download = file.name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    const accepted = toExport.filter((r) => r.status === 'accepted').length;
    setExported(
      `Exported ${toExport.length.toLocaleString('en')} question${toExport.length === 1 ? '' : 's'} (${accepted.toLocaleString('en')} accepted, ${(toExport.length - accepted).toLocaleString('en')} pending` +
        `${scope === 'all' ? ' or rejected' : ''}) as ${EXPORTS.find((x) => x.format === format)!.label}${mixShare === null ? '' : ' (mixed with the imported share, so the count may differ)'}: ${file.name}.`,
    );
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
      <p className="help">
        Each question comes from a <Term k="metapath" /> in the graph: the answer entity is hidden (<Term k="masking" />), some clues are left out, and the wrong options are{' '}
        <Term k="distractor">distractors</Term> the graph rules out. Every item is checked (<Term k="verification" />) and gets a <Term k="tier" />. Curate, then export what you keep.
      </p>
      <GeneratePanel onSaved={() => void load()} />
      <ImportPanel onSaved={() => void load()} />
      <VerifyPanel questionIds={rows.map((r) => r.id)} scopeLabel={`filtered question${rows.length === 1 ? '' : 's'}`} onSaved={() => void load()} />
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
        <button onClick={() => void setStatus(rows.map((r) => r.id), 'pending')} disabled={!rows.length}>Reset to pending</button>
        <span className="muted keys"> keys: j/k move · a accept · r reject · e edit</span>
      </div>
      <div className="panel bulk export-scope" aria-label="Export">
        <label>
          Export{' '}
          <select aria-label="Export which" value={scope} onChange={(e) => setScope(e.target.value as ExportScope)}>
            {EXPORT_SCOPES.map((x) => (
              <option key={x.scope} value={x.scope}>
                {x.label}
              </option>
            ))}
          </select>
        </label>
        <span data-testid="export-count">
          {toExport.length.toLocaleString('en')} of the {rows.length.toLocaleString('en')} filtered
          {rows.length > toExport.length ? ` (${(rows.length - toExport.length).toLocaleString('en')} ${scope === 'accepted' ? 'not accepted' : 'rejected'} left out)` : ''} as
        </span>
        {EXPORTS.map((x) => (
          <button key={x.format} onClick={() => void act(() => exportAs(x.format))} disabled={!toExport.length}>
            {x.label}
          </button>
        ))}
        <label title="Build the training mix from the exported set: this share of imported items in every difficulty tier">
          <input type="checkbox" checked={mixShare !== null} onChange={(e) => setMixShare(e.target.checked ? 0.3 : null)} /> mix with <Term k="mix" />{' '}
        </label>
        {mixShare !== null && (
          <input type="number" aria-label="Imported share" min={0} max={1} step={0.05} value={mixShare} onChange={(e) => setMixShare(Math.min(1, Math.max(0, Number(e.target.value))))} />
        )}
      </div>
      {exported && (
        <p className="notice" role="status" data-testid="export-done">
          {exported}
        </p>
      )}
      {message && (
        <p role="alert" className="error-text">
          {message} Nothing was changed by this action; fix what the message names and try again.
        </p>
      )}
      <div className="q-columns">
        <QuestionTable rows={rows} selectedId={selected?.id ?? null} onSelect={(id) => (select(id), setEditing(false))} graphName={graphName} />
        {selected ? (
          <QuestionDetail record={selected} editing={editing} onSave={saveEdit} onCancel={() => setEditing(false)} graphName={graphName} />
        ) : (
          <p className="muted">{records.length ? 'Select a question (click, or press j).' : phase === 'ready' ? 'No questions yet: generate some or import a file.' : 'Loading…'}</p>
        )}
      </div>
    </section>
  );
}
