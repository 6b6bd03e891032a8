/** Import panel: a public QA file; bad rows are listed by line, and imported only when the user agrees to skip them. */
import { useState } from 'react';
import { QA_FORMATS, type QaFormat } from '../../../synthesis/import/common';
import type { ImportReport } from '../../../../workers/synthesis-api';
import { decodeTextBytes } from '../../../graph/import/text-encoding';
import { synthesisWorker } from './synth-client';

export function ImportPanel({ onSaved }: { onSaved(): void }) {
  const [format, setFormat] = useState<QaFormat>('medqa');
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [busy, setBusy] = useState(false);
  /** a file that could not be read at all (not text, an encoding we do not read, storage failure) */
  const [error, setError] = useState<string | null>(null);

  const run = async (skipBad: boolean) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      // the encoding is read from the bytes (UTF-8, UTF-8 with BOM, UTF-16); Latin-1 is refused with a message, never imported as mojibake
      const text = decodeTextBytes(new Uint8Array(await file.arrayBuffer()), file.name);
      const r = await synthesisWorker().importQa(format, text, { skipBad, subject: file.name.replace(/([-_](dev|test|val))?\.csv$/i, '') });
      setReport(r);
      if (r.saved) onSaved();
    } catch (e) {
      setReport(null);
      setError(`${(e as Error).message}. Nothing was imported.`);
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
      <input type="file" aria-label="QA file" accept=".jsonl,.json,.csv,.txt" onChange={(e) => (setFile(e.target.files?.[0] ?? null), setReport(null), setError(null))} />{' '}
      <button onClick={() => void run(false)} disabled={!file || busy}>
        Import
      </button>
      {error && (
        <p role="alert" className="import-problems" data-testid="qa-import-error">
          {error}
        </p>
      )}
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
