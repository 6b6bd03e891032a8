/// <reference lib="webworker" />
/**
 * The trajectory service of the domain worker: verifies against the ACTIVE graph
 * (borrowed from the graph service, never a copy of its own), runs pass@k with
 * refinement per question with the chosen teacher, and saves each question's
 * trajectories in one transaction as soon as it is done, so a cancelled run keeps what
 * it finished. Each saved question yields to the event loop, so the explorer's queries
 * are answered during a run.
 */
// ONNX Runtime's WASM from the app's own files, never the library's CDN default
import ortMjs from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import ortWasm from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import type { KnowledgeGraph } from '../src/graph/knowledge-graph';
import { getQuestion } from '../src/storage/question-store';
import type { QuestionRecord } from '../src/synthesis/record';
import { putTrajectories } from '../src/storage/trajectory-store';
import { KgTeacher } from '../src/trajectories/kg-teacher';
import { OpenAiTeacher } from '../src/trajectories/openai-teacher';
import { runAll, summarize, type ItemResult } from '../src/trajectories/pipeline';
import { TransformersTeacher } from '../src/trajectories/transformers-teacher';
import type { Teacher } from '../src/trajectories/types';
import { Verifier } from '../src/trajectories/verify';
import { activeGraph } from './graph-service';
import { workerDatabase as database, yieldToEventLoop } from './worker-resources';
import type { TeacherSpec, TrajectoryProgress, TrajectoryWorkerApi } from './trajectory-api';

/** the verifier's gazetteer is built once per graph */
let verifier: { graph: KnowledgeGraph; v: Verifier } | null = null;
let controller: AbortController | null = null;
let transformers: { key: string; teacher: TransformersTeacher } | null = null;

function teacherFor(spec: TeacherSpec, kg: KnowledgeGraph, onProgress?: (p: TrajectoryProgress) => void): Teacher {
  switch (spec.kind) {
    case 'kg':
      return new KgTeacher(kg);
    case 'openai':
      return new OpenAiTeacher({ baseUrl: spec.baseUrl, model: spec.model, stream: spec.stream, ...(spec.apiKey ? { apiKey: spec.apiKey } : {}), ...(spec.timeoutMs ? { timeoutMs: spec.timeoutMs } : {}), ...(spec.maxConcurrency ? { maxConcurrency: spec.maxConcurrency } : {}) });
    case 'transformers': {
      // one loaded model per worker: switching model ids disposes the old one
      const key = `${spec.modelId}|${spec.device}|${spec.dtype ?? ''}`;
      if (transformers?.key !== key) {
        void transformers?.teacher.dispose();
        transformers = {
          key,
          teacher: new TransformersTeacher({
            modelId: spec.modelId,
            device: spec.device,
            ...(spec.dtype ? { dtype: spec.dtype } : {}),
            wasmPaths: { mjs: new URL(ortMjs, self.location.href).href, wasm: new URL(ortWasm, self.location.href).href },
            onProgress: (p) => onProgress?.({ phase: 'model', done: p.loaded, total: p.total, message: p.status === 'ready' ? 'Model ready' : `Loading ${spec.modelId}${p.file ? ` (${p.file})` : ''}`, model: p }),
          }),
        };
      }
      return transformers.teacher;
    }
  }
}

export const trajectoryApi: TrajectoryWorkerApi = {
  async run(settings, onProgress) {
    controller?.abort();
    const ctl = new AbortController();
    controller = ctl;
    const total = settings.questionIds.length;
    onProgress?.({ phase: 'graph', done: 0, total, message: 'Loading the knowledge graph' });
    const active = await activeGraph();
    const kg = active.graph;
    const d = await database();
    const questions = (await Promise.all(settings.questionIds.map((id) => getQuestion(d, id)))).filter((q): q is QuestionRecord => q !== undefined);
    // the checks read the graph a question was built from: another graph would call its facts unsupported
    const elsewhere = questions.filter((q) => q.provenance && q.provenance.graph !== active.id);
    if (elsewhere.length) {
      const graphs = [...new Set(elsewhere.map((q) => q.provenance!.graph))].map((g) => (g === 'default' ? 'the built-in graph' : `"${g}"`));
      throw new Error(
        `${elsewhere.length} of the ${questions.length} questions were synthesised from ${graphs.join(', ')}, but ${active.id === 'default' ? 'the built-in graph' : `"${active.name}"`} is open; their trajectories are checked against the graph they came from. Open that graph in the Graph view, or run only the questions from the open graph. Nothing was run.`,
      );
    }
    if (verifier?.graph !== kg) verifier = { graph: kg, v: new Verifier(kg) };
    const check = verifier.v;
    const teacher = teacherFor(settings.teacher, kg, onProgress);
    if (teacher instanceof TransformersTeacher) {
      onProgress?.({ phase: 'model', done: 0, total: 0, message: `Loading ${teacher.config.modelId}` });
      await teacher.load();
    }
    let last = 0;
    const finished: ItemResult[] = [];
    const { summary, cancelled, results } = await runAll(
      questions,
      teacher,
      check,
      { k: settings.k, rounds: settings.rounds, seed: settings.seed, signal: ctl.signal },
      {
        // an endpoint serves several questions at once (within its own request limit); local teachers one at a time
        concurrency: settings.teacher.kind === 'openai' ? (settings.teacher.maxConcurrency ?? 4) : 1,
        async onItem(r, done) {
          await putTrajectories(d, r.trajectories);
          finished.push(r);
          await yieldToEventLoop();
          const now = performance.now();
          if (now - last > 150 || done === questions.length) {
            last = now;
            onProgress?.({ phase: 'run', done, total: questions.length, message: `${done} of ${questions.length} questions`, summary: summarize(finished) });
          }
        },
      },
    );
    if (controller === ctl) controller = null;
    return { summary, cancelled, errors: results.flatMap((r) => r.errors).slice(0, 5) };
  },
  cancel() {
    controller?.abort();
  },
};
