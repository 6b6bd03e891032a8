/// <reference lib="webworker" />
/**
 * Trajectory worker: holds its own copy of the graph (from the IndexedDB cache the graph
 * worker fills) and the verifier, runs pass@k with refinement per question with the
 * chosen teacher, and saves each question's trajectories in one transaction as soon as
 * it is done, so a cancelled run keeps what it finished.
 */
import * as Comlink from 'comlink';
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
import { defaultGraphOnce as loadGraphOnce, workerDatabase as database } from './worker-resources';
import type { TeacherSpec, TrajectoryProgress, TrajectoryWorkerApi } from './trajectory-api';

let verifier: Verifier | null = null;
let controller: AbortController | null = null;
let transformers: { key: string; teacher: TransformersTeacher } | null = null;

function teacherFor(spec: TeacherSpec, kg: KnowledgeGraph, onProgress?: (p: TrajectoryProgress) => void): Teacher {
  switch (spec.kind) {
    case 'kg':
      return new KgTeacher(kg.header.edgeTypes);
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

const api: TrajectoryWorkerApi = {
  async run(settings, onProgress) {
    controller?.abort();
    const ctl = new AbortController();
    controller = ctl;
    const total = settings.questionIds.length;
    onProgress?.({ phase: 'graph', done: 0, total, message: 'Loading the knowledge graph' });
    const kg = await loadGraphOnce();
    verifier ??= new Verifier(kg);
    const d = await database();
    const teacher = teacherFor(settings.teacher, kg, onProgress);
    if (teacher instanceof TransformersTeacher) {
      onProgress?.({ phase: 'model', done: 0, total: 0, message: `Loading ${teacher.config.modelId}` });
      await teacher.load();
    }
    const questions = (await Promise.all(settings.questionIds.map((id) => getQuestion(d, id)))).filter((q): q is QuestionRecord => q !== undefined);
    let last = 0;
    const finished: ItemResult[] = [];
    const { summary, cancelled, results } = await runAll(
      questions,
      teacher,
      verifier,
      { k: settings.k, rounds: settings.rounds, seed: settings.seed, signal: ctl.signal },
      {
        // an endpoint serves several questions at once (within its own request limit); local teachers one at a time
        concurrency: settings.teacher.kind === 'openai' ? (settings.teacher.maxConcurrency ?? 4) : 1,
        async onItem(r, done) {
          await putTrajectories(d, r.trajectories);
          finished.push(r);
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

Comlink.expose(api);
