/**
 * Storage view: how much this browser lets the app keep and whether it may evict it
 * (navigator.storage.estimate / persist, explained), what takes space per item with
 * delete, model downloads in Cache Storage, and the workspace file — export everything
 * as one file, import one (replace or merge) in a single transaction.
 */
import { useCallback, useEffect, useState } from 'react';
import type { StorageUsage } from '../../storage/storage-usage';
import type { ExportProgress, ImportProgress } from '../../storage/workspace';
import type { WorkspaceExport } from '../../../workers/workspace-api';
import { Comlink } from '../clients/graph-client';
import { domainService } from '../clients/domain-client';
import { Term } from '../components/help/Term';
import { downloadBlob, fmtBytes, fmtCount } from '../format';
import { loadGraph } from '../start';
import { useApp } from '../store';
import './storage.css';

const NOTICE_KEY = 'fleming.notice';
const workspace = () => domainService('workspace');

type Estimate = { usage: number; quota: number; details?: Record<string, number> };

function BrowserStorage() {
  const [est, setEst] = useState<Estimate | null>(null);
  const [persisted, setPersisted] = useState<boolean | null>(null);
  const [asked, setAsked] = useState<'granted' | 'declined' | null>(null);
  const supported = typeof navigator !== 'undefined' && !!navigator.storage;
  const dataVersion = useApp((s) => s.dataVersion);

  useEffect(() => {
    if (!supported) return;
    void navigator.storage.estimate().then((e) => setEst({ usage: e.usage ?? 0, quota: e.quota ?? 0, details: (e as { usageDetails?: Record<string, number> }).usageDetails }));
    void navigator.storage.persisted?.().then(setPersisted);
  }, [supported, dataVersion]);

  const ask = async () => {
    const ok = await navigator.storage.persist();
    setPersisted(ok);
    setAsked(ok ? 'granted' : 'declined');
  };

  if (!supported) return <div className="panel">This browser does not report its storage (navigator.storage is missing): the app still works, but cannot tell how much space is left or ask to keep its data.</div>;
  return (
    <section className="panel" aria-label="Browser storage" data-testid="browser-storage">
      <h3>This browser</h3>
      {est && (
        <p>
          The workbench uses <strong data-testid="usage">{fmtBytes(est.usage)}</strong> of the <strong>{fmtBytes(est.quota)}</strong> this site may use (<Term k="quota" />).{' '}
          <meter min={0} max={est.quota || 1} value={est.usage} aria-label="Share of the quota used" />
          {est.details && Object.keys(est.details).length > 0 && (
            <span className="muted">
              {' '}
              ({Object.entries(est.details)
                .map(([k, v]) => `${k === 'indexedDB' ? 'database' : k === 'caches' ? 'model downloads' : k} ${fmtBytes(v)}`)
                .join(', ')})
            </span>
          )}
        </p>
      )}
      <div data-testid="persistence">
        {persisted ? (
          <p>
            ✓ <Term k="persistence">Persistent storage</Term> is on: the browser will not delete this data to free space; only you can (here, or in the browser's site settings).
          </p>
        ) : (
          <>
            <p>
              <strong>Not persistent yet.</strong> When the disk runs low, browsers delete the data of sites not used for a while (Chrome and Edge drop the least recently used
              sites; Safari deletes it after seven days without a visit unless the site is installed). Asking for <Term k="persistence" /> makes the browser keep it until you
              delete it. Nothing is sent anywhere.
            </p>
            <button type="button" onClick={() => void ask()}>
              Ask the browser to keep this data
            </button>
            {asked === 'declined' && (
              <p className="hint" role="status">
                The browser declined: Chrome and Edge decide from how much you use the site (bookmarking or installing it helps); Firefox asks you in a prompt. Your data is still
                here, just not guaranteed — export the workspace below to keep a copy.
              </p>
            )}
          </>
        )}
        {asked === 'granted' && <p role="status">Granted.</p>}
      </div>
    </section>
  );
}

function WorkspaceFile({ usage }: { usage: StorageUsage | null }) {
  const [includeBuiltIn, setIncludeBuiltIn] = useState(false);
  const [exporting, setExporting] = useState<ExportProgress | true | null>(null);
  const [exported, setExported] = useState<Omit<WorkspaceExport, 'file'> | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<'replace' | 'merge'>('replace');
  const [importing, setImporting] = useState<ImportProgress | true | null>(null);
  const [error, setError] = useState<{ what: string; message: string } | null>(null);
  const builtIn = usage?.items.find((i) => i.id === 'graph:default');

  const runExport = async () => {
    setError(null);
    setExported(null);
    setExporting(true);
    try {
      const out = await workspace().exportWorkspace({ includeBuiltInGraph: includeBuiltIn }, Comlink.proxy((p: ExportProgress) => setExporting(p)));
      downloadBlob(out.file, out.name);
      const { file: _f, ...rest } = out;
      setExported(rest);
    } catch (e) {
      setError({ what: 'export', message: (e as Error).message });
    } finally {
      setExporting(null);
    }
  };

  const runImport = async () => {
    if (!file) return;
    if (mode === 'replace' && !confirm(`Replace everything in this browser's workbench — graphs, questions, trajectories, runs — with the contents of ${file.name}? Export first if you want to keep a copy.`)) return;
    setError(null);
    setImporting(true);
    try {
      const r = await workspace().importWorkspace(file, mode, Comlink.proxy((p: ImportProgress) => setImporting(p)));
      const total = Object.values(r.records).reduce((a, b) => a + b, 0);
      const text =
        `Imported ${file.name}: ${fmtCount(total)} records (${summary(r.records)})` +
        (r.migrated ? `, migrated from schema version ${r.fromSchemaVersion}` : '') +
        (r.excluded.length ? `. Not in the file: ${r.excluded.join('; ')}` : '') +
        '.';
      sessionStorage.setItem(NOTICE_KEY, text);
      // every view re-reads what it shows
      location.reload();
    } catch (e) {
      setError({ what: 'import', message: (e as Error).message });
      setImporting(null);
    }
  };

  return (
    <section className="panel" aria-label="Workspace file" data-testid="workspace-file">
      <h3>
        Back up or move everything: the <Term k="workspace" />
      </h3>
      <div className="ws-row">
        <button type="button" onClick={() => void runExport()} disabled={!!exporting || !!importing}>
          Export workspace
        </button>
        <label>
          <input type="checkbox" checked={includeBuiltIn} onChange={(e) => setIncludeBuiltIn(e.target.checked)} disabled={!!exporting} /> include the built-in graph's cached copy
          {builtIn ? ` (${fmtBytes(builtIn.bytes)})` : ''} — otherwise it is rebuilt from the app files after an import
        </label>
      </div>
      {exporting && (
        <p role="status" data-testid="export-progress">
          <progress max={exporting === true ? 1 : exporting.totalRecords || 1} value={exporting === true ? undefined : exporting.records} /> Writing the workspace file
          {exporting !== true && `: ${fmtCount(exporting.records)} of ${fmtCount(exporting.totalRecords)} records, ${fmtBytes(exporting.bytes)}`}…
        </p>
      )}
      {exported && (
        <p className="notice" data-testid="export-done">
          Saved <strong>{exported.name}</strong>: {fmtCount(Object.values(exported.records).reduce((a, b) => a + b, 0))} records ({summary(exported.records)}), {fmtBytes(exported.bytes)}.
          {exported.excluded.length > 0 && ` Left out: ${exported.excluded.join('; ')}.`}
        </p>
      )}
      <div className="ws-row">
        <label>
          Workspace file <input type="file" aria-label="Workspace file" accept=".flmws,application/octet-stream" onChange={(e) => (setFile(e.target.files?.[0] ?? null), setError(null))} disabled={!!importing} />
        </label>
        <fieldset className="ws-mode" disabled={!!importing}>
          <legend className="sr-only">Import mode</legend>
          <label>
            <input type="radio" name="ws-mode" checked={mode === 'replace'} onChange={() => setMode('replace')} /> replace this workspace with the file's
          </label>
          <label>
            <input type="radio" name="ws-mode" checked={mode === 'merge'} onChange={() => setMode('merge')} /> add the file's items (same ids are overwritten)
          </label>
        </fieldset>
        <button type="button" onClick={() => void runImport()} disabled={!file || !!importing || !!exporting}>
          Import workspace
        </button>
      </div>
      <p className="hint">The import is one transaction: a damaged or cut-off file, or a full disk, leaves everything exactly as it was.</p>
      {importing && (
        <p role="status" data-testid="import-progress">
          <progress max={importing === true ? 1 : importing.totalBytes || 1} value={importing === true ? undefined : importing.bytesRead} /> Reading and checking the file
          {importing !== true && `: ${fmtBytes(importing.bytesRead)} of ${fmtBytes(importing.totalBytes)}, ${fmtCount(importing.records)} records`}…
        </p>
      )}
      {error && (
        <div className="panel error" role="alert" data-testid="workspace-error">
          <p>
            <strong>The {error.what} did not happen.</strong> {error.message}
          </p>
          <p>
            {error.what === 'import'
              ? 'Nothing in this browser was changed. Check that the file is a workspace exported by Fleming Workbench (.flmws) and that it was copied whole; export it again from the original browser if in doubt.'
              : 'Nothing was saved. If the browser is short of space, delete items below and try again.'}
          </p>
        </div>
      )}
    </section>
  );
}

function summary(records: Record<string, number>): string {
  return Object.entries(records)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${s} ${fmtCount(n)}`)
    .join(', ');
}

function Items({ usage, error, onDeleted }: { usage: StorageUsage | null; error: string | null; onDeleted(): void }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const remove = async (id: string, label: string, records: number, bytes: number, kind: string) => {
    const extra = kind === 'questions' ? ' Their trajectories are deleted too.' : kind === 'graph' && id === 'graph:default' ? ' The graph itself stays: its copy is rebuilt from the app files when next needed.' : '';
    if (!confirm(`Delete ${label}? ${fmtCount(records)} records, ${fmtBytes(bytes)}. This cannot be undone.${extra}`)) return;
    setBusy(id);
    setMessage(null);
    try {
      const r = await workspace().deleteItem(id);
      if (r.activeGraphChanged) await loadGraph();
      setMessage(`Deleted ${label}.`);
      onDeleted();
    } catch (e) {
      setMessage(`Could not delete ${label}: ${(e as Error).message}`);
    } finally {
      setBusy(null);
    }
  };
  return (
    <section className="panel" aria-label="What takes space" data-testid="storage-items">
      <h3>What takes space</h3>
      <p className="hint">
        Everything below is in this browser's <Term k="indexeddb" />; sizes are close estimates (binary columns exact, text as written).
      </p>
      {error && (
        <p className="error-text" role="alert">
          Could not read the database: {error} Reload the page; if it persists, the browser may be blocking site storage for this page.
        </p>
      )}
      {!usage && !error && <p className="muted">Reading the database…</p>}
      {usage && (
        <table className="storage-table">
          <thead>
            <tr>
              <th>item</th>
              <th className="num">records</th>
              <th className="num">size</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {usage.items.map((it) => (
              <tr key={it.id} data-item={it.id}>
                <td>{it.label}</td>
                <td className="num">{fmtCount(it.records)}</td>
                <td className="num">{fmtBytes(it.bytes)}</td>
                <td>
                  {it.deletable && (
                    <button type="button" disabled={busy !== null} onClick={() => void remove(it.id, it.label, it.records, it.bytes, it.kind)} aria-label={`Delete ${it.label}`}>
                      {busy === it.id ? 'Deleting…' : 'Delete'}
                    </button>
                  )}
                </td>
              </tr>
            ))}
            {usage.items.length === 0 && (
              <tr>
                <td colSpan={4} className="muted">
                  Nothing stored yet.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      )}
      {message && <p role="status">{message}</p>}
      {usage && (
        <details>
          <summary>Per database store</summary>
          <table className="storage-table">
            <tbody>
              {usage.stores.map((s) => (
                <tr key={s.name}>
                  <td>{s.name}</td>
                  <td className="num">{fmtCount(s.records)}</td>
                  <td className="num">{fmtBytes(s.bytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </section>
  );
}

/** Model files transformers.js downloaded (Cache Storage), with their size. */
function ModelCache() {
  const [caches_, setCaches] = useState<{ name: string; entries: number; bytes: number }[] | null>(null);
  const read = useCallback(async () => {
    if (typeof caches === 'undefined') return setCaches([]);
    const out: { name: string; entries: number; bytes: number }[] = [];
    for (const name of await caches.keys()) {
      const c = await caches.open(name);
      let bytes = 0;
      const reqs = await c.keys();
      for (const r of reqs) {
        const res = await c.match(r);
        const len = Number(res?.headers.get('content-length'));
        bytes += Number.isFinite(len) && len > 0 ? len : ((await res?.blob())?.size ?? 0);
      }
      out.push({ name, entries: reqs.length, bytes });
    }
    setCaches(out);
  }, []);
  useEffect(() => void read(), [read]);
  return (
    <section className="panel" aria-label="Model downloads" data-testid="model-cache">
      <h3>Model downloads</h3>
      {caches_ === null ? (
        <p className="muted">Reading…</p>
      ) : caches_.length === 0 ? (
        <p className="muted">None: no teacher model has been downloaded in this browser.</p>
      ) : (
        <table className="storage-table">
          <tbody>
            {caches_.map((c) => (
              <tr key={c.name}>
                <td>{c.name === 'transformers-cache' ? 'transformers.js model files' : c.name}</td>
                <td className="num">{fmtCount(c.entries)} files</td>
                <td className="num">{fmtBytes(c.bytes)}</td>
                <td>
                  <button type="button" onClick={() => confirm(`Delete the downloaded files in "${c.name}"? They are downloaded again when next used.`) && void caches.delete(c.name).then(read)}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function StorageView() {
  const [notice, setNotice] = useState<string | null>(null);
  const [usage, setUsage] = useState<StorageUsage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const dataVersion = useApp((s) => s.dataVersion);
  const bumpData = useApp((s) => s.bumpData);
  useEffect(() => {
    const n = sessionStorage.getItem(NOTICE_KEY);
    if (n) {
      sessionStorage.removeItem(NOTICE_KEY);
      setNotice(n);
    }
  }, []);
  useEffect(() => {
    let stale = false;
    setError(null);
    workspace()
      .storageUsage()
      .then((u) => !stale && setUsage(u))
      .catch((e: Error) => !stale && setError(e.message));
    return () => {
      stale = true;
    };
  }, [dataVersion]);
  return (
    <section className="storage-view">
      <h2>Storage</h2>
      {notice && (
        <p className="notice" role="status" data-testid="storage-notice">
          {notice}
        </p>
      )}
      <BrowserStorage />
      <WorkspaceFile usage={usage} />
      <Items usage={usage} error={error} onDeleted={bumpData} />
      <ModelCache />
    </section>
  );
}
