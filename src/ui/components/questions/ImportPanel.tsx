/** Import panel: a public QA file; bad rows are listed by line, and imported only when the user agrees to skip them. */
import { useState } from 'react';
import { QA_FORMATS, type QaFormat } from '../../../synthesis/import/common';
import type { ImportReport } from '../../../../workers/synthesis-api';
import { synthesisWorker } from './synth-client';

export function ImportPanel({ onSaved }: { onSaved(): void }) {
  const [format, setFormat] = useState<QaFormat>('medqa');
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (skipBad: boolean) => {
    if (!file) return;
    setBusy(true);
    try {
      const text = await file.text();
      const r = await synthesisWorker().importQa(format, text, { skipBad, subject: file.name.replace(/([-_](dev|test|val))?\.csv$/i, '') });
      setReport(r);
      if (r.saved) onSaved();
    } catch (e) {
      setReport({ ok: false, saved: 0, rows: 0, problems: [{ line: 0, reason: 'invalid_json', message: (e as Error).message }], skipped: {} });
    } finally {
      setBusy(false);
    }
  };

  return (
    <details className="panel" data-testid="import-panel">
      <summary>Import public QA (MedQA, MedMCQA, PubMedQA, MMLU)</summary>
      <label>
        Format{' '}
        <select aria-label="Import format" value={format} onChange={(e) => setFormat(e.target.value as QaFormat)}>
          {QA_FORMATS.map((f) => (
            <option key={f}>{f}</option>
          ))}
        </select>
      </label>{' '}
      <input type="file" aria-label="QA file" accept=".jsonl,.json,.csv,.txt" onChange={(e) => (setFile(e.target.files?.[0] ?? null), setReport(null))} />{' '}
      <button onClick={() => void run(false)} disabled={!file || busy}>
        Import
      </button>
      {report && report.ok && <p role="status">Imported {report.saved} question(s){report.problems.length ? `, skipped ${report.problems.length} bad row(s)` : ''}.</p>}
      {report && !report.ok && (
        <div role="alert" className="import-problems">
          <p>
            {report.problems.length} bad row(s) of {report.rows}; nothing was imported.
          </p>
          <ul>
            {report.problems.slice(0, 30).map((p, i) => (
              <li key={i}>
                line {p.line}: {p.reason.replace(/_/g, ' ')}: {p.message}
              </li>
            ))}
          </ul>
          {report.rows > report.problems.length && (
            <button onClick={() => void run(true)} disabled={busy}>
              Skip the bad rows and import the other {report.rows - report.problems.length}
            </button>
          )}
        </div>
      )}
    </details>
  );
}
