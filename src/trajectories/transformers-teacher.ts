/**
 * A teacher run in the browser with @huggingface/transformers (ONNX Runtime Web):
 * WebGPU when the browser has an adapter, WASM otherwise; chosen by model id (a hub id
 * such as "onnx-community/Qwen2.5-0.5B-Instruct", or a folder under `localModelPath`).
 * Loading reports per-file and total download progress; generation streams tokens and
 * stops when the caller's AbortSignal fires. The library is imported on first use so
 * the app's main bundle and the Node tools never load ONNX Runtime.
 */
import { buildMessages, flattenMessages } from './prompt';
import type { Teacher, TeacherRequest } from './types';

export type TransformersDevice = 'webgpu' | 'wasm';

export interface LoadProgress {
  /** 0..1 over every file seen so far (bytes) */
  fraction: number;
  loaded: number;
  total: number;
  file?: string;
  status: 'loading' | 'ready';
}

export interface TransformersTeacherConfig {
  modelId: string;
  /** default: WebGPU if an adapter is available, else WASM */
  device?: TransformersDevice | 'auto';
  /** weights precision, e.g. "q4", "q8", "fp16", "fp32" (default: the library's choice for the device) */
  dtype?: string;
  maxNewTokens?: number;
  temperature?: number;
  /** serve models from this URL path instead of the hub (offline use, tests) */
  localModelPath?: string;
  /** false: never download; only `localModelPath` is used */
  allowRemote?: boolean;
  /**
   * where ONNX Runtime's WASM files are served from (the library's default is a CDN);
   * the app passes its own bundled copies so nothing but the model is fetched
   */
  wasmPaths?: { mjs: string; wasm: string };
  onProgress?: (p: LoadProgress) => void;
}

/** what this module needs of a text-generation pipeline (the library's type is much wider) */
export interface TextGenerator {
  (input: string | { role: string; content: string }[], options: Record<string, unknown>): Promise<unknown>;
  tokenizer: { chat_template?: unknown } & object;
  dispose?: () => Promise<void>;
}

export interface TransformersLib {
  pipeline: (task: 'text-generation', model: string, options: Record<string, unknown>) => Promise<unknown>;
  env: { allowRemoteModels: boolean; allowLocalModels: boolean; localModelPath: string; useBrowserCache?: boolean; backends?: { onnx?: { wasm?: { wasmPaths?: unknown } } } };
  TextStreamer: new (tokenizer: never, options: { skip_prompt?: boolean; skip_special_tokens?: boolean; callback_function?: (s: string) => void }) => unknown;
  InterruptableStoppingCriteria: new () => { interrupt(): void; reset(): void };
}

export async function pickDevice(): Promise<TransformersDevice> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return 'wasm';
  try {
    return (await gpu.requestAdapter()) ? 'webgpu' : 'wasm';
  } catch {
    return 'wasm';
  }
}

export class TransformersTeacher implements Teacher {
  readonly id: string;
  private loading: Promise<TextGenerator> | null = null;
  device: TransformersDevice | null = null;

  constructor(
    readonly config: TransformersTeacherConfig,
    /** the library; tests and the worker may inject it, otherwise it is imported on first use */
    private readonly lib?: () => Promise<TransformersLib>,
  ) {
    if (!config.modelId.trim()) throw new Error('transformers.js teacher: the model id is empty');
    this.id = `transformers:${config.modelId}`;
  }

  private library(): Promise<TransformersLib> {
    return this.lib ? this.lib() : (import('@huggingface/transformers') as unknown as Promise<TransformersLib>);
  }

  /** loads the model once; progress goes to config.onProgress */
  load(): Promise<TextGenerator> {
    this.loading ??= (async () => {
      let lib: TransformersLib;
      try {
        lib = await this.library();
      } catch (e) {
        // the library is a separate chunk of the app: a failed import is usually an app updated since the page was opened
        throw new Error(`Could not load the transformers.js library: ${(e as Error).message ?? String(e)}. Reload the page (the app may have been updated since it was opened) and run again.`);
      }
      if (this.config.localModelPath !== undefined) {
        lib.env.localModelPath = this.config.localModelPath;
        lib.env.allowLocalModels = true;
      }
      if (this.config.allowRemote === false) lib.env.allowRemoteModels = false;
      const wasm = lib.env.backends?.onnx?.wasm;
      if (this.config.wasmPaths && wasm) wasm.wasmPaths = { ...this.config.wasmPaths };
      const device = this.config.device && this.config.device !== 'auto' ? this.config.device : await pickDevice();
      this.device = device;
      const files = new Map<string, { loaded: number; total: number }>();
      const report = (file: string | undefined, status: LoadProgress['status']) => {
        let loaded = 0;
        let total = 0;
        for (const f of files.values()) {
          loaded += f.loaded;
          total += f.total;
        }
        this.config.onProgress?.({ fraction: total ? loaded / total : status === 'ready' ? 1 : 0, loaded, total, ...(file ? { file } : {}), status });
      };
      const progress_callback = (p: { status: string; file?: string; loaded?: number; total?: number }) => {
        if (p.status === 'progress' && p.file) {
          files.set(p.file, { loaded: p.loaded ?? 0, total: p.total ?? 0 });
          report(p.file, 'loading');
        } else if (p.status === 'done' && p.file) {
          const f = files.get(p.file);
          if (f) f.loaded = f.total;
          report(p.file, 'loading');
        } else if (p.status === 'ready') report(undefined, 'ready');
      };
      try {
        return (await lib.pipeline('text-generation', this.config.modelId, {
          device,
          ...(this.config.dtype ? { dtype: this.config.dtype } : {}),
          progress_callback,
        })) as TextGenerator;
      } catch (e) {
        throw new Error(loadAdvice(this.config.modelId, device, (e as Error).message ?? String(e)));
      }
    })();
    this.loading.catch(() => (this.loading = null));
    return this.loading;
  }

  async generate(req: TeacherRequest): Promise<string> {
    if (req.signal?.aborted) throw req.signal.reason ?? new DOMException('aborted', 'AbortError');
    const gen = await this.load();
    const lib = await this.library();
    const messages = buildMessages(req.question, req.refinement);
    const input = gen.tokenizer.chat_template ? messages : flattenMessages(messages);
    const stop = new lib.InterruptableStoppingCriteria();
    const onAbort = () => stop.interrupt();
    req.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const streamer = req.onToken ? new lib.TextStreamer(gen.tokenizer as never, { skip_prompt: true, skip_special_tokens: true, callback_function: req.onToken }) : undefined;
      const out = await gen(input, {
        max_new_tokens: this.config.maxNewTokens ?? 512,
        do_sample: (this.config.temperature ?? 0.7) > 0,
        temperature: this.config.temperature ?? 0.7,
        return_full_text: false,
        stopping_criteria: [stop],
        ...(streamer ? { streamer } : {}),
      });
      if (req.signal?.aborted) throw req.signal.reason ?? new DOMException('aborted', 'AbortError');
      return completionText(out);
    } finally {
      req.signal?.removeEventListener('abort', onAbort);
    }
  }

  async dispose(): Promise<void> {
    const g = await this.loading?.catch(() => null);
    await g?.dispose?.();
    this.loading = null;
  }
}

/** a failed model load, in words, with what to do next ("Failed to fetch" alone tells a user nothing) */
export function loadAdvice(modelId: string, device: TransformersDevice, message: string): string {
  const what = `Could not load the model "${modelId}" (${device}): ${message}.`;
  if (/Failed to fetch|NetworkError|fetch failed|Load failed|ERR_/i.test(message))
    return `${what} Its files are downloaded from the Hugging Face hub on first use: check the network connection (and any proxy or ad blocker), then run again; a model already downloaded once loads from the browser cache.`;
  if (/\b(401|403|404)\b|not found|Could not locate/i.test(message))
    return `${what} Check the model id: it must be a public hub repository with ONNX weights for transformers.js (e.g. onnx-community/Qwen2.5-0.5B-Instruct).`;
  if (/webgpu|adapter|GPUDevice/i.test(message) && device === 'webgpu') return `${what} WebGPU failed here: choose the WASM device and run again.`;
  if (/memory|OOM|allocation/i.test(message)) return `${what} The model does not fit in memory here: pick a smaller model or a lower precision (dtype q4).`;
  return `${what} Try another model id, or the WASM device.`;
}

/** the generated text of a text-generation pipeline's output, chat or plain */
export function completionText(out: unknown): string {
  const first = Array.isArray(out) ? (Array.isArray(out[0]) ? out[0][0] : out[0]) : out;
  const g = (first as { generated_text?: unknown } | undefined)?.generated_text;
  if (typeof g === 'string') return g;
  if (Array.isArray(g)) {
    const last = g[g.length - 1] as { role?: string; content?: unknown } | undefined;
    if (last && typeof last.content === 'string') return last.content;
  }
  throw new Error('transformers.js: unexpected text-generation output (no generated_text)');
}
