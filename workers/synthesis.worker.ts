/// <reference lib="webworker" />
/**
 * Synthesis worker: holds its own copy of the graph (from the IndexedDB cache the graph
 * worker fills), runs the synthesis engine in batches — each batch one IndexedDB
 * transaction, progress after each, cancellable between batches — and builds imports
 * and exports off the main thread.
 */
import * as Comlink from 'comlink';
import type { KnowledgeGraph } from '../src/graph/knowledge-graph';
import { getQuestion, putQuestions } from '../src/storage/question-store';
import { Synthesizer } from '../src/synthesis/engine';
import { datasetCard } from '../src/synthesis/export/dataset-card';
import { toMedqaJsonl, toTrlChatJsonl } from '../src/synthesis/export/formats';
import { toVerlParquet } from '../src/synthesis/export/verl-parquet';
import { importQa } from '../src/synthesis/import';
import { mixDatasets } from '../src/synthesis/mix';
import type { QuestionRecord } from '../src/synthesis/record';
import { summaryOf, uniformRareShare } from '../src/synthesis/run';
import { defaultGraphOnce as loadGraphOnce, workerDatabase as database } from './worker-resources';
import type { ExportFile, SynthesisWorkerApi } from './synthesis-api';

const BATCH = 250;
let cancelRequested = false;

const encoder = new TextEncoder();

const api: SynthesisWorkerApi = {
  async generate(settings, onProgress) {
    cancelRequested = false;
    onProgress?.({ phase: 'graph', done: 0, total: settings.n, message: 'Loading the knowledge graph' });
    const kg = await loadGraphOnce();
    const d = await database();
    const s = new Synthesizer(kg, 'default', settings);
    const records: QuestionRecord[] = [];
    const perDifficulty = { easy: 0, moderate: 0, difficult: 0 };
    const it = s.generate();
    let saved = 0;
    let kept = 0;
    let genMs = 0;
    for (;;) {
      const batch: QuestionRecord[] = [];
      const t0 = performance.now();
      for (let r = it.next(); ; r = it.next()) {
        if (r.done) break;
        batch.push(r.value);
        perDifficulty[r.value.difficulty]++;
        if (batch.length === BATCH) break;
      }
      genMs += performance.now() - t0;
      if (batch.length === 0) break;
      kept += batch.length - (await putQuestions(d, batch, { keepExisting: true }));
      saved += batch.length;
      records.push(...batch);
      onProgress?.({ phase: 'generate', done: saved, total: settings.n, message: `Generated and saved ${saved} of ${settings.n}`, perDifficulty: { ...perDifficulty } });
      if (cancelRequested || saved >= settings.n) break;
    }
    const cancelled = cancelRequested && saved < settings.n;
    let rareUniform = 0;
    if (!cancelled) {
      onProgress?.({ phase: 'report', done: saved, total: settings.n, message: 'Comparing with uniform sampling' });
      rareUniform = uniformRareShare(kg, 'default', s.settings);
    }
    return { saved, alreadyStored: kept, cancelled, summary: summaryOf(s, records, genMs / 1000, rareUniform) };
  },

  cancel() {
    cancelRequested = true;
  },

  async importQa(format, text, opts) {
    const result = importQa(format, text, opts);
    if (result.ok) await putQuestions(await database(), result.records);
    return { ok: result.ok, saved: result.ok ? result.records.length : 0, rows: result.rows, problems: result.problems, skipped: result.skipped as Record<string, number> };
  },

  async exportQuestions(ids, format, note, mix) {
    const d = await database();
    let records = (await Promise.all(ids.map((id) => getQuestion(d, id)))).filter((r): r is QuestionRecord => r !== undefined);
    if (mix) {
      const m = mixDatasets(
        records.filter((r) => r.source === 'synthetic'),
        records.filter((r) => r.source !== 'synthetic'),
        mix,
      );
      records = m.records;
      note = `${note ?? 'selection'}; mixed at ${Math.round(m.report.importedShare * 100)}% imported, stratified by difficulty (seed ${mix.seed})`;
    }
    if (records.length === 0) throw new Error(mix ? 'The mix is empty: the filtered set needs both synthetic and imported items in some difficulty tier at this share' : 'Nothing to export');
    const stamp = new Date().toISOString().slice(0, 10);
    let file: ExportFile;
    if (format === 'medqa') file = { name: `questions-medqa-${stamp}.jsonl`, mime: 'application/x-ndjson', bytes: encoder.encode(toMedqaJsonl(records)) };
    else if (format === 'trl') file = { name: `questions-trl-chat-${stamp}.jsonl`, mime: 'application/x-ndjson', bytes: encoder.encode(toTrlChatJsonl(records)) };
    else if (format === 'verl') file = { name: `questions-verl-${stamp}.parquet`, mime: 'application/vnd.apache.parquet', bytes: new Uint8Array(toVerlParquet(records)) };
    else {
      const kg = records.some((r) => r.source === 'synthetic') ? await loadGraphOnce() : null;
      file = { name: `questions-card-${stamp}.md`, mime: 'text/markdown', bytes: encoder.encode(datasetCard({ title: 'Fleming Workbench question set', records, graphDatasets: kg?.datasets ?? [], ...(note ? { filterNote: note } : {}), createdAt: stamp })) };
    }
    return Comlink.transfer(file, [file.bytes.buffer]);
  },

  async bench(n, seed) {
    const kg = await loadGraphOnce();
    const s = new Synthesizer(kg, 'default', { n, seed, alpha: 1 });
    const t0 = performance.now();
    let k = 0;
    for (const _ of s.generate()) k++;
    const ms = performance.now() - t0;
    return { n: k, questionsPerSecond: Math.round(k / (ms / 1000)), ms: Math.round(ms) };
  },
};

Comlink.expose(api);
