/**
 * The transformers.js teacher's own logic (progress, prompt shape, streaming, abort,
 * output parsing) with the library injected, so it runs in Node. A real ONNX model
 * (a tiny one built in memory) runs in transformers-teacher.browser.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { QuestionRecord } from '../synthesis/record';
import { completionText, TransformersTeacher, type LoadProgress, type TransformersLib } from './transformers-teacher';

const q: QuestionRecord = {
  id: 'q1',
  question: 'Which drug is indicated for the treatment of hypertension?',
  options: { A: 'iloprost', B: 'telmisartan', C: 'pramipexole' },
  answer_idx: 'B',
  answer: 'telmisartan',
  difficulty: 'easy',
  type: 'treatment',
  source: 'synthetic',
  status: 'pending',
};

function fakeLib(opts: { chatTemplate: boolean; hang?: boolean }) {
  const calls: { task: string; model: string; options: Record<string, unknown> }[] = [];
  const inputs: unknown[] = [];
  let interrupted = false;
  const lib: TransformersLib = {
    env: { allowRemoteModels: true, allowLocalModels: false, localModelPath: '/models/' },
    async pipeline(task, model, options) {
      calls.push({ task, model, options });
      const cb = options.progress_callback as (p: object) => void;
      cb({ status: 'initiate', file: 'onnx/model.onnx' });
      cb({ status: 'progress', file: 'onnx/model.onnx', loaded: 50, total: 100 });
      cb({ status: 'progress', file: 'tokenizer.json', loaded: 10, total: 10 });
      cb({ status: 'done', file: 'onnx/model.onnx' });
      cb({ status: 'ready', task, model });
      const gen = async (input: unknown, o: Record<string, unknown>) => {
        inputs.push(input);
        const stop = (o.stopping_criteria as { interrupted?: boolean }[])[0]!;
        if (opts.hang) await new Promise<void>((r) => (stop as unknown as { onInterrupt: () => void }).onInterrupt = r);
        const text = '<think>Telmisartan treats hypertension.</think><answer>B</answer>';
        (o.streamer as { cb?: (s: string) => void } | undefined)?.cb?.(text);
        return opts.chatTemplate ? [{ generated_text: [...(input as object[]), { role: 'assistant', content: text }] }] : [{ generated_text: text }];
      };
      return Object.assign(gen, { tokenizer: opts.chatTemplate ? { chat_template: '{{ messages }}' } : {} });
    },
    TextStreamer: class {
      cb?: (s: string) => void;
      constructor(_t: never, o: { callback_function?: (s: string) => void }) {
        if (o.callback_function) this.cb = o.callback_function;
      }
    },
    InterruptableStoppingCriteria: class {
      onInterrupt?: () => void;
      interrupt() {
        interrupted = true;
        this.onInterrupt?.();
      }
      reset() {}
    },
  };
  return { lib, calls, inputs, interrupted: () => interrupted };
}

describe('transformers.js teacher', () => {
  it('loads the model by id on the chosen device once, reporting byte progress over all files', async () => {
    const f = fakeLib({ chatTemplate: true });
    const progress: LoadProgress[] = [];
    const t = new TransformersTeacher({ modelId: 'local/tiny', device: 'wasm', dtype: 'q8', localModelPath: '/models/', allowRemote: false, onProgress: (p) => progress.push(p) }, async () => f.lib);
    await t.load();
    await t.load();
    expect(f.calls).toHaveLength(1);
    expect(f.calls[0]).toMatchObject({ task: 'text-generation', model: 'local/tiny', options: { device: 'wasm', dtype: 'q8' } });
    expect(f.lib.env).toMatchObject({ allowRemoteModels: false, allowLocalModels: true, localModelPath: '/models/' });
    expect(progress.map((p) => [p.loaded, p.total, p.status])).toEqual([
      [50, 100, 'loading'],
      [60, 110, 'loading'],
      [110, 110, 'loading'],
      [110, 110, 'ready'],
    ]);
    expect(progress.at(-1)!.fraction).toBe(1);
    expect(t.id).toBe('transformers:local/tiny');
    expect(t.device).toBe('wasm');
  });

  it('sends chat messages with the gold answer when the tokenizer has a chat template, plain text otherwise, and streams', async () => {
    const chat = fakeLib({ chatTemplate: true });
    const tokens: string[] = [];
    const text = await new TransformersTeacher({ modelId: 'm', device: 'wasm' }, async () => chat.lib).generate({ question: q, round: 0, candidate: 0, seed: 1, onToken: (s) => tokens.push(s) });
    expect(text).toBe('<think>Telmisartan treats hypertension.</think><answer>B</answer>');
    expect(tokens.join('')).toBe(text);
    const msgs = chat.inputs[0] as { role: string; content: string }[];
    expect(msgs[1]!.content).toContain('Correct answer: B. telmisartan');
    const plain = fakeLib({ chatTemplate: false });
    await new TransformersTeacher({ modelId: 'm', device: 'wasm' }, async () => plain.lib).generate({ question: q, round: 0, candidate: 0, seed: 1 });
    expect(plain.inputs[0]).toMatch(/^SYSTEM: [\s\S]*Correct answer: B\. telmisartan[\s\S]*ASSISTANT: $/);
  });

  it('interrupts generation when the signal aborts', async () => {
    const f = fakeLib({ chatTemplate: true, hang: true });
    const ctl = new AbortController();
    const p = new TransformersTeacher({ modelId: 'm', device: 'wasm' }, async () => f.lib).generate({ question: q, round: 0, candidate: 0, seed: 1, signal: ctl.signal });
    setTimeout(() => ctl.abort(), 20);
    await expect(p).rejects.toThrow(/abort/i);
    expect(f.interrupted()).toBe(true);
  });

  it('reads plain and chat outputs and rejects others', () => {
    expect(completionText([{ generated_text: 'x' }])).toBe('x');
    expect(completionText([{ generated_text: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'y' }] }])).toBe('y');
    expect(() => completionText([{}])).toThrow(/no generated_text/);
    expect(() => new TransformersTeacher({ modelId: ' ' })).toThrow(/model id is empty/);
  });
  it('a failed download is an error that says what to do next, and the next load tries again', async () => {
    let tries = 0;
    const lib = { env: { allowRemoteModels: true, allowLocalModels: false, localModelPath: '/' }, async pipeline() { tries++; throw new TypeError('Failed to fetch'); } } as unknown as TransformersLib;
    const t = new TransformersTeacher({ modelId: 'onnx-community/missing', device: 'wasm' }, async () => lib);
    await expect(t.load()).rejects.toThrow(/Could not load the model "onnx-community\/missing" \(wasm\): Failed to fetch\. .*check the network connection/);
    await expect(t.generate({ question: q, round: 0, candidate: 0, seed: 1 })).rejects.toThrow(/Could not load the model/);
    expect(tries).toBe(2);
  });
  it('a library chunk that fails to load says to reload the page', async () => {
    const t = new TransformersTeacher({ modelId: 'onnx-community/x', device: 'wasm' }, async () => {
      throw new TypeError('Failed to fetch dynamically imported module: http://x/assets/transformers.web-abc.js');
    });
    await expect(t.load()).rejects.toThrow(/Could not load the transformers.js library: Failed to fetch dynamically imported module.*Reload the page/);
  });
});
