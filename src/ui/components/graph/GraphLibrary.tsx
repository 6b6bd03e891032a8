/**
 * The graph library: the stored graphs (switch, delete) and the import form (file,
 * format, name; progress in bytes and rows; cancel). A failed import shows the
 * importer's message — file, line, cause — and leaves the list as it was.
 */
import { useCallback, useEffect, useState } from 'react';
import type { ImportFormat } from '../../../graph/import/import-source';
import { sniffTextEncoding } from '../../../graph/import/text-encoding';
import type { GraphEntry, ImportJobProgress, LoadProgress } from '../../../../workers/graph-api';
import { Comlink, graphWorker } from '../../clients/graph-client';
import { useApp } from '../../store';

function fmtBytes(b: number): string {
  return b >= 1e6 ? `${(b / 1e6).toFixed(1)} MB` : `${(b / 1e3).toFixed(1)} kB`;
}

/** Guess the format from the name, and for .csv from the header line. */
async function guessFormat(file: File): Promise<ImportFormat> {
  const name = file.name.toLowerCase();
  if (/\.json(\.(gz|bz2|xz))?$/.test(name) || /\.(bz2|xz)$/.test(name)) return 'hetionet';
  if (name.endsWith('.csv') || name.endsWith('.csv.gz')) {
    const bytes = name.endsWith('.gz') ? new Uint8Array(0) : new Uint8Array(await file.slice(0, 2048).arrayBuffer());
    // UTF-16 files (Excel's "Unicode text") are recognised too
    const head = new TextDecoder(sniffTextEncoding(bytes, true)!.encoding).decode(bytes);
    if (/(^|,)x_index(,|$)/.test(head.split('\n')[0] ?? '') || name.startsWith('kg')) return 'primekg';
  }
  return 'triples';
}

export async function switchGraph(id: string): Promise<void> {
  const { setGraph } = useApp.getState();
  setGraph({ phase: 'loading' });
  // Progress arrives on its own message port and may land after the result: drop it then.
  let done = false;
  try {
    const result = await graphWorker().openGraph(id, Comlink.proxy((progress: LoadProgress) => !done && setGraph({ phase: 'loading', progress })));
    done = true;
    setGraph({ phase: 'ready', result });
  } catch (e) {
    done = true;
    setGraph({ phase: 'error', message: (e as Error).message });
  }
}

export function GraphLibrary({ onSwitched }: { onSwitched(id: string): void }) {
  const graph = useApp((s) => s.graph);
  const activeId = graph.phase === 'ready' ? (graph.result.id ?? 'default') : undefined;
  const [entries, setEntries] = useState<GraphEntry[]>([]);
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<ImportFormat>('hetionet');
  const [name, setName] = useState('');
  const [progress, setProgress] = useState<ImportJobProgress | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ text: string; timings: string } | null>(null);

  const refresh = useCallback(() => void graphWorker().listGraphs().then(setEntries), []);
  useEffect(() => {
    if (graph.phase === 'ready') refresh();
  }, [graph.phase, activeId, refresh]);

  const choose = async (f: File | null) => {
    setFile(f);
    setError(null);
    setNotice(null);
    if (!f) return;
    setFormat(await guessFormat(f));
    setName(f.name.replace(/\.(gz|bz2|xz)$/i, '').replace(/\.(json|csv|tsv|txt)$/i, ''));
  };

  const runImport = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    setProgress({ stage: 'reading', bytesRead: 0, totalBytes: file.size, rows: 0 });
    let done = false;
    try {
      const out = await graphWorker().importFile(file, file.name, format, name || file.name, Comlink.proxy((p: ImportJobProgress) => !done && setProgress(p)));
      done = true;
      useApp.getState().setGraph({ phase: 'ready', result: out.result });
      setNotice({
        text: `Imported "${out.result.name}": ${out.result.stats.nodes.toLocaleString('en')} nodes, ${out.result.stats.edges.toLocaleString('en')} edges in ${(out.timings.import / 1000).toFixed(1)} s.`,
        timings: JSON.stringify({ ...out.timings, memoryBytes: out.result.memoryBytes }),
      });
      setFile(null);
      onSwitched(out.id);
    } catch (e) {
      done = true;
      const message = (e as Error).message;
      if (/: import cancelled$/.test(message)) setNotice({ text: 'Import cancelled: nothing was saved.', timings: '{}' });
      else setError(message);
    } finally {
      setBusy(false);
      setProgress(null);
      refresh();
    }
  };

  const remove = async (e: GraphEntry) => {
    if (!confirm(`Delete the graph "${e.name}" from this browser?`)) return;
    const reopened = await graphWorker().deleteGraph(e.id);
    if (reopened) {
      useApp.getState().setGraph({ phase: 'ready', result: reopened });
      onSwitched('default');
    }
    refresh();
  };

  return (
    <details className="panel library" open={entries.length > 1 || undefined}>
      <summary>Graphs in this browser ({entries.length})</summary>
      <ul className="graph-list" data-testid="graph-list">
        {entries.map((e) => (
          <li key={e.id} data-graph-id={e.id} className={e.id === activeId ? 'active' : ''}>
            <span className="graph-name">{e.name}</span>{' '}
            <span className="muted">{e.origin === 'default' ? 'built in' : `${e.nodes.toLocaleString('en')} nodes · ${e.edges.toLocaleString('en')} edges`}</span>
            {e.id === activeId ? (
              <strong className="right"> open</strong>
            ) : (
              <span className="right">
                <button onClick={() => void switchGraph(e.id).then(() => onSwitched(e.id))} disabled={busy || graph.phase === 'loading'} aria-label={`Open ${e.name}`}>
                  Open
                </button>
                {e.origin === 'import' && (
                  <button onClick={() => void remove(e)} disabled={busy} aria-label={`Delete ${e.name}`}>
                    Delete
                  </button>
                )}
              </span>
            )}
          </li>
        ))}
      </ul>
      <form
        className="import-form"
        aria-label="Import a graph"
        onSubmit={(ev) => {
          ev.preventDefault();
          void runImport();
        }}
      >
        <label>
          File <input type="file" aria-label="Graph file" accept=".json,.gz,.bz2,.xz,.csv,.tsv,.txt" disabled={busy} onChange={(ev) => void choose(ev.target.files?.[0] ?? null)} />
        </label>
        <label>
          Format{' '}
          <select aria-label="Format" value={format} disabled={busy} onChange={(ev) => setFormat(ev.target.value as ImportFormat)}>
            <option value="hetionet">Hetionet JSON (.json, .gz, .bz2, .xz)</option>
            <option value="primekg">PrimeKG kg.csv</option>
            <option value="triples">Triples TSV/CSV</option>
          </select>
        </label>
        <label>
          Name <input aria-label="Graph name" value={name} disabled={busy} onChange={(ev) => setName(ev.target.value)} />
        </label>
        <button type="submit" disabled={!file || busy}>
          Import
        </button>
        {busy && (
          <button type="button" onClick={() => void graphWorker().cancelImport()}>
            Cancel import
          </button>
        )}
      </form>
      {progress && (
        <div role="status" data-testid="import-progress">
          <progress max={progress.totalBytes || 1} value={progress.bytesRead} /> {progress.stage}: {fmtBytes(progress.bytesRead)} of {fmtBytes(progress.totalBytes)},{' '}
          {progress.rows.toLocaleString('en')} rows
        </div>
      )}
      {error && (
        <div role="alert">
          <p className="error-text" data-testid="import-error">
            {error}
          </p>
          <p className="hint">Nothing was saved and the open graph is unchanged. Fix the file where the message says (or choose the right format above) and import again.</p>
        </div>
      )}
      {notice && (
        <p data-testid="import-notice" data-timings={notice.timings}>
          {notice.text}
        </p>
      )}
    </details>
  );
}
