/**
 * The transformers.js teacher on a real ONNX model, in Chromium with ONNX Runtime Web
 * (WASM): a tiny bigram model built in memory (tiny-model/), served to the library by
 * a fetch hook, so nothing is downloaded. Its greedy completion is a fixed chain, which
 * then goes through the same verification as any teacher's output.
 */
import { env } from '@huggingface/transformers';
import ortMjs from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import ortWasm from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QuestionRecord } from '../synthesis/record';
import { parseChain } from './text';
import { tinyTeacherModel } from './tiny-model/tiny-teacher-model';
import { TransformersTeacher, type LoadProgress, type TransformersLib } from './transformers-teacher';

const chain = '<think> Hypertension is commonly treated with telmisartan , making option two the correct pick here . </think> <answer> B </answer>';
const model = tinyTeacherModel(chain);
const PREFIX = '/tiny-models/';
const MODEL_ID = 'fleming/tiny-teacher';
const served: string[] = [];
const realFetch = env.fetch;

const q: QuestionRecord = {
  id: 'q-tiny',
  question: 'Which drug is indicated for the treatment of hypertension?',
  options: { A: 'iloprost', B: 'telmisartan', C: 'pramipexole' },
  answer_idx: 'B',
  answer: 'telmisartan',
  difficulty: 'easy',
  type: 'treatment',
  source: 'synthetic',
  status: 'pending',
};

beforeAll(() => {
  // serve the model folder from memory; everything else (ORT's WASM) goes to the test server
  (env as unknown as { fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response> }).fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const path = new URL(url, location.href).pathname;
    if (path.startsWith(`${PREFIX}${MODEL_ID}/`)) {
      const file = path.slice(`${PREFIX}${MODEL_ID}/`.length);
      served.push(file);
      const body = model.files[file];
      return body ? new Response(new Blob([body as Uint8Array<ArrayBuffer>]), { status: 200, headers: { 'content-length': String(body.length) } }) : new Response('not found', { status: 404 });
    }
    return (realFetch as (i: RequestInfo | URL, init?: RequestInit) => Promise<Response>)(input, init);
  };
  env.useBrowserCache = false;
});

afterAll(() => {
  (env as unknown as { fetch: typeof realFetch }).fetch = realFetch;
});

describe('transformers.js teacher (real ONNX model, WASM)', () => {
  it('loads a local model with progress and generates the chain it was built to produce', async () => {
    const progress: LoadProgress[] = [];
    const teacher = new TransformersTeacher(
      { modelId: MODEL_ID, device: 'wasm', dtype: 'fp32', localModelPath: PREFIX, allowRemote: false, maxNewTokens: 40, temperature: 0, wasmPaths: { mjs: ortMjs, wasm: ortWasm }, onProgress: (p) => progress.push(p) },
      async () => (await import('@huggingface/transformers')) as unknown as TransformersLib,
    );
    const tokens: string[] = [];
    const text = await teacher.generate({ question: q, round: 0, candidate: 0, seed: 1, onToken: (t) => tokens.push(t) });
    expect(served).toContain('onnx/model.onnx');
    expect(served).toContain('tokenizer.json');
    expect(progress.at(-1)?.status).toBe('ready');
    expect(teacher.device).toBe('wasm');
    expect(text.replace(/\s+/g, ' ').trim()).toBe(model.completion);
    expect(tokens.join('').replace(/\s+/g, ' ').trim()).toBe(model.completion);
    const parsed = parseChain(text);
    expect(parsed.problem).toBeNull();
    expect(parsed.answer).toBe('B');
    await teacher.dispose();
  });
});
