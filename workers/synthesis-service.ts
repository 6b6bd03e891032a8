/// <reference lib="webworker" />
/**
 * The synthesis service of the domain worker: runs the synthesis engine on the ACTIVE
 * graph (borrowed from the graph service, never a copy of its own) in batches — each
 * batch one IndexedDB transaction, progress after each, cancellable between batches,
 * yielding between batches so the explorer's queries are answered meanwhile — and builds
 * imports and exports off the main thread.
 */
import * as Comlink from 'comlink';
import { getQuestion, putQuestions } from '../src/storage/question-store';
import { Synthesizer } from '../src/synthesis/engine';
import { datasetCard } from '../src/synthesis/export/dataset-card';
import { toMedqaJsonl, toTrlChatJsonl } from '../src/synthesis/export/formats';
import { toVerlParquet } from '../src/synthesis/export/verl-parquet';
import { importQa } from '../src/synthesis/import';
import { LlmVerifier, summarizeVerification, verifyAll, type VerifyItemResult } from '../src/synthesis/llm-verify/verifier';
import { mixDatasets } from '../src/synthesis/mix';
import type { QuestionRecord } from '../src/synthesis/record';
import { summaryOf } from '../src/synthesis/run';
import { activeGraph } from './graph-service';
import { workerDatabase as database, yieldToEventLoop } from './worker-resources';
import type { ExportFile, SynthesisWorkerApi } from './synthesis-api';

const BATCH = 250;
let cancelRequested = false;
let verifyController: AbortController | null = null;

const encoder = new TextEncoder();

/** The α = 0 baseline of the long-tail report, run in chunks so the worker keeps answering queries. */
async function uniformRareShareChunked(s: Synthesizer, kg: ConstructorParameters<typeof Synthesizer>[0], graphLabel: string): Promise<number> {
  const u = new Synthesizer(kg, graphLabel, { ...s.settings, alpha: 0 });
  let k = 0;
  for (const _ of u.generate()) {
    if (++k % BATCH === 0) {
      await yieldToEventLoop();
      if (cancelRequested) return 0;
    }
  }
  return u.emitted ? u.rareAnswers / u.emitted : 0;
}

export const synthesisApi: SynthesisWorkerApi = {
  async generate(settings, onProgress) {
    cancelRequested = false;
    onProgress?.({ phase: 'graph', done: 0, total: settings.n, message: 'Loading the knowledge graph' });
    const active = await activeGraph();
    const kg = active.graph;
    const d = await database();
    const s = new Synthesizer(kg, active.id, settings);
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
      onProgress?.({ phase: 'generate', done: saved, total: settings.n, message: `Generated and saved ${saved} of ${settings.n} from ${active.name}`, perDifficulty: { ...perDifficulty } });
      if (cancelRequested || saved >= settings.n) break;
    }
    const cancelled = cancelRequested && saved < settings.n;
    let rareUniform = 0;
    if (!cancelled) {
      onProgress?.({ phase: 'report', done: saved, total: settings.n, message: 'Comparing with uniform sampling' });
      rareUniform = await uniformRareShareChunked(s, kg, active.id);
    }
    return { saved, alreadyStored: kept, cancelled, graph: { id: active.id, name: active.name }, summary: summaryOf(s, records, genMs / 1000, rareUniform) };
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
      const kg = records.some((r) => r.source === 'synthetic') ? (await activeGraph()).graph : null;
      file = { name: `questions-card-${stamp}.md`, mime: 'text/markdown', bytes: encoder.encode(datasetCard({ title: 'Fleming Workbench question set', records, graphDatasets: kg?.datasets ?? [], ...(note ? { filterNote: note } : {}), createdAt: stamp })) };
    }
    return Comlink.transfer(file, [file.bytes.buffer]);
  },

  async verifyQuestions(settings, onProgress) {
    verifyController?.abort();
    const ctl = new AbortController();
    verifyController = ctl;
    const verifier = new LlmVerifier({ baseUrl: settings.baseUrl, model: settings.model, k: settings.k, threshold: settings.threshold, temperature: settings.temperature, ...(settings.apiKey ? { apiKey: settings.apiKey } : {}), ...(settings.maxConcurrency ? { maxConcurrency: settings.maxConcurrency } : {}), ...(settings.timeoutMs ? { timeoutMs: settings.timeoutMs } : {}) });
    const d = await database();
    const questions = (await Promise.all(settings.questionIds.map((id) => getQuestion(d, id)))).filter((q): q is QuestionRecord => q !== undefined);
    const finished: VerifyItemResult[] = [];
    const errors: string[] = [];
    try {
      const { summary, cancelled } = await verifyAll(questions, verifier, {
        signal: ctl.signal,
        concurrency: settings.maxConcurrency ?? 4,
        async onItem(r, done, total) {
          // saved as each item finishes: a cancel or a failure later loses nothing
          if (r.verification) await putQuestions(d, [r.question]);
          finished.push(r);
          if (errors.length < 5) errors.push(...r.errors.slice(0, 5 - errors.length));
          onProgress?.({ done, total, message: `${done} of ${total} verified`, summary: summarizeVerification(finished) });
        },
      });
      return { summary, cancelled, errors };
    } finally {
      if (verifyController === ctl) verifyController = null;
    }
  },

  cancelVerify() {
    verifyController?.abort();
  },

  async bench(n, seed) {
    const active = await activeGraph();
    const s = new Synthesizer(active.graph, active.id, { n, seed, alpha: 1 });
    const t0 = performance.now();
    let k = 0;
    for (const _ of s.generate()) k++;
    const ms = performance.now() - t0;
    return { n: k, questionsPerSecond: Math.round(k / (ms / 1000)), ms: Math.round(ms) };
  },
};
