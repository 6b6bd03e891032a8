/**
 * Checkpoints by model id from the Hugging Face hub, downloaded by the user's browser from
 * `https://huggingface.co/{id}/resolve/{revision}/{file}` (the hub serves these with CORS).
 *
 * Cache: the browser Cache API (a named cache of Request → Response), not IndexedDB. The files
 * are HTTP resources keyed by URL, which is exactly what the Cache API stores; bodies go to disk
 * as they are, without a structured-clone copy of a several-hundred-MB Blob inside a database
 * transaction; it is what transformers.js uses for the same purpose; and the user can see and
 * clear it as site data. A file enters the cache only once fully downloaded, so a cancelled or
 * broken download never leaves a truncated file to be reused. Where the Cache API is missing
 * (an insecure origin) downloads still work, uncached.
 */
import { configFromJson } from './config-json';
import { loadCheckpointFolder, type CheckpointFiles, type LoadCheckpointOptions, type LoadedCheckpoint } from './checkpoint';
import { loadLlama2cCheckpoint } from './llama2c';

export const HUB_ENDPOINT = 'https://huggingface.co';
export const HUB_CACHE_NAME = 'fleming-hf-checkpoints';

/** The part of the Cache API we use (a `Cache` from `caches.open()` is one). */
export interface HubCache {
  match(url: string): Promise<Response | undefined>;
  put(url: string, response: Response): Promise<void>;
  delete(url: string): Promise<boolean>;
  keys(): Promise<ReadonlyArray<{ url: string }>>;
}

export interface HubProgress {
  file: string;
  /** bytes of this file so far */
  loaded: number;
  /** its size when the server said (content-length), else null */
  total: number | null;
  fromCache: boolean;
  /** files finished, of the files known so far (shards become known after the index) */
  filesDone: number;
  filesKnown: number;
}

export interface HubDownloadOptions {
  /** branch, tag or commit; default "main" */
  revision?: string;
  endpoint?: string;
  /** a Hugging Face access token for private or gated models; sent, never stored */
  token?: string;
  signal?: AbortSignal;
  onProgress?: (p: HubProgress) => void;
  /** injectable for tests; default the global fetch */
  fetch?: typeof fetch;
  /** undefined: the browser Cache API when present; null: no cache */
  cache?: HubCache | null;
}

/** Hub ids: "name" or "owner/name", letters, digits, "-", "_", "." */
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)?$/;

export function hubFileUrl(modelId: string, file: string, revision = 'main', endpoint = HUB_ENDPOINT): string {
  return `${endpoint.replace(/\/+$/, '')}/${modelId}/resolve/${encodeURIComponent(revision)}/${file}`;
}

export async function openHubCache(): Promise<HubCache | null> {
  if (typeof caches === 'undefined') return null;
  try {
    return (await caches.open(HUB_CACHE_NAME)) as unknown as HubCache;
  } catch {
    return null;
  }
}

/** An error with what to do next; `status` is the HTTP status when there was one. */
export class HubError extends Error {
  constructor(
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'HubError';
  }
}

const isAbort = (e: unknown) => e instanceof Error && e.name === 'AbortError';

function httpError(res: Response, modelId: string, file: string, revision: string, authed: boolean): HubError {
  const code = res.headers.get('x-error-code');
  const at = `${modelId} (revision ${revision})`;
  if (code === 'RepoNotFound' || (res.status === 401 && !code))
    return new HubError(authed ? `model ${modelId} was not found, or your token cannot read it: check the id (owner/name, case matters)` : `model ${modelId} was not found, or it is private or gated: check the id (owner/name, case matters); for a private or gated model, give an access token`, res.status);
  if (code === 'GatedRepo' || res.status === 403)
    return new HubError(`${modelId} is gated: accept its licence on https://huggingface.co/${modelId} with your account, then give an access token with read access`, res.status);
  if (code === 'RevisionNotFound') return new HubError(`revision "${revision}" does not exist in ${modelId}`, res.status);
  if (res.status === 404) return new HubError(`${file} is not in ${at}`, 404);
  if (res.status === 429) return new HubError(`the hub is rate-limiting downloads (HTTP 429) while fetching ${file}: wait a minute and retry; finished files are cached`, 429);
  return new HubError(`downloading ${file} of ${at} failed: HTTP ${res.status} ${res.statusText}`.trim(), res.status);
}

interface HubSession {
  id: string;
  revision: string;
  /** a file, or null for an optional one the repo does not have (404 EntryNotFound) */
  get(file: string, optional: boolean): Promise<Blob | null>;
  /** files known so far, for progress */
  known: number;
}

function hubSession(modelId: string, opts: HubDownloadOptions, cache: HubCache | null, done: () => number): HubSession {
  const id = modelId.trim();
  if (!MODEL_ID.test(id)) throw new HubError(`"${modelId}" is not a Hugging Face model id (expected owner/name, e.g. HuggingFaceTB/SmolLM2-135M-Instruct)`);
  const revision = opts.revision ?? 'main';
  const endpoint = opts.endpoint ?? HUB_ENDPOINT;
  const doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const headers: Record<string, string> = opts.token ? { Authorization: `Bearer ${opts.token}` } : {};
  const session: HubSession = { id, revision, known: 0, get: async () => null };
  const report = (p: Omit<HubProgress, 'filesDone' | 'filesKnown'>) => opts.onProgress?.({ ...p, filesDone: done(), filesKnown: session.known });

  session.get = async (file: string, optional: boolean): Promise<Blob | null> => {
    opts.signal?.throwIfAborted();
    const url = hubFileUrl(id, file, revision, endpoint);
    const hit = cache ? await cache.match(url).catch(() => undefined) : undefined;
    if (hit) {
      const blob = await hit.blob();
      report({ file, loaded: blob.size, total: blob.size, fromCache: true });
      return blob;
    }
    let res: Response;
    try {
      res = await doFetch(url, { headers, signal: opts.signal ?? null });
    } catch (e) {
      if (isAbort(e) || opts.signal?.aborted) throw e;
      const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
      throw new HubError(
        offline
          ? `you are offline: ${file} of ${id} could not be downloaded. Reconnect and retry; files already downloaded are cached`
          : `could not reach ${new URL(endpoint).host} for ${file} of ${id}: a network error, or the request was blocked (CORS, a firewall or an extension). Check the connection and retry; or download the folder and pick it from disk`,
      );
    }
    if (res.status === 404 && optional && (res.headers.get('x-error-code') ?? 'EntryNotFound') === 'EntryNotFound') return null;
    if (!res.ok) throw httpError(res, id, file, revision, Boolean(opts.token));
    const lenHeader = res.headers.get('content-length');
    const total = lenHeader !== null && /^\d+$/.test(lenHeader) ? Number(lenHeader) : null;
    const chunks: Uint8Array[] = [];
    let loaded = 0;
    if (res.body) {
      const reader = res.body.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          chunks.push(value);
          loaded += value.byteLength;
          report({ file, loaded, total, fromCache: false });
        }
      } catch (e) {
        if (isAbort(e) || opts.signal?.aborted) throw opts.signal?.reason ?? e;
        throw new HubError(`the download of ${file} broke off after ${loaded} bytes (${(e as Error).message}): retry; finished files are cached`);
      }
    }
    if (total !== null && loaded < total) throw new HubError(`the download of ${file} ended after ${loaded} of ${total} bytes: retry; finished files are cached`);
    const blob = new Blob(chunks as BlobPart[]);
    if (cache) {
      try {
        await cache.put(url, new Response(blob, { headers: { 'content-type': res.headers.get('content-type') ?? 'application/octet-stream', 'content-length': String(blob.size) } }));
      } catch {
        // quota exceeded or storage unavailable: keep going without caching this file
      }
    }
    report({ file, loaded, total: total ?? loaded, fromCache: false });
    return blob;
  };
  return session;
}

/** Download some files of a hub repository by path (e.g. a llama2.c model and its tokenizer), cached like the rest. */
export async function downloadHubFiles(modelId: string, paths: readonly string[], opts: HubDownloadOptions = {}): Promise<Map<string, Blob>> {
  const cache = opts.cache === undefined ? await openHubCache() : opts.cache;
  const out = new Map<string, Blob>();
  const session = hubSession(modelId, opts, cache, () => out.size);
  session.known = paths.length;
  for (const p of paths) out.set(p, (await session.get(p, false))!);
  return out;
}

/**
 * Download a checkpoint folder (config.json, tokenizer files, model.safetensors or its shards).
 * config.json is checked first, so a model we cannot run is refused before its weights download.
 */
export async function downloadHubCheckpoint(modelId: string, opts: HubDownloadOptions = {}): Promise<CheckpointFiles> {
  const cache = opts.cache === undefined ? await openHubCache() : opts.cache;
  const files: CheckpointFiles = new Map();
  const session = hubSession(modelId, opts, cache, () => files.size);
  const { id, revision } = session;
  session.known = 5;
  const get = session.get;
  const need = async (file: string) => (await get(file, false))!;

  const config = await need('config.json');
  files.set('config.json', config);
  configFromJson(await config.text(), `config.json of ${id}`); // refuse early, before the weights
  files.set('tokenizer.json', await need('tokenizer.json'));
  for (const f of ['tokenizer_config.json', 'generation_config.json']) {
    const b = await get(f, true);
    if (b) files.set(f, b);
    else session.known--;
  }
  const single = await get('model.safetensors', true);
  if (single) files.set('model.safetensors', single);
  else {
    const index = await get('model.safetensors.index.json', true);
    if (!index) throw new HubError(`${id} (revision ${revision}) has no model.safetensors nor model.safetensors.index.json: only safetensors weights can be loaded (pytorch_model.bin is a pickle). Look for a safetensors revision of the model`);
    files.set('model.safetensors.index.json', index);
    let shards: string[];
    try {
      const wm = (JSON.parse(await index.text()) as { weight_map: Record<string, string> }).weight_map;
      shards = [...new Set(Object.values(wm))];
    } catch {
      throw new HubError(`model.safetensors.index.json of ${id} has no readable weight_map`);
    }
    session.known += shards.length;
    for (const s of shards) {
      if (!/^[\w.-]+\.safetensors$/.test(s)) throw new HubError(`model.safetensors.index.json of ${id} names an unexpected shard file ${JSON.stringify(s)}`);
      files.set(s, await need(s));
    }
  }
  return files;
}

/** Download (or take from the cache) and load: the checkpoint, checked, with float32 weights. */
export async function loadHubCheckpoint(modelId: string, opts: HubDownloadOptions & { onLoadProgress?: LoadCheckpointOptions['onProgress'] } = {}): Promise<LoadedCheckpoint> {
  const files = await downloadHubCheckpoint(modelId, opts);
  return loadCheckpointFolder(files, opts.onLoadProgress ? { onProgress: opts.onLoadProgress } : {});
}

/**
 * A llama2.c checkpoint from the hub by file paths, e.g. ('karpathy/tinyllamas',
 * 'stories260K/stories260K.bin', 'stories260K/tok512.bin') — see LLAMA2C_HUB_MODELS.
 */
export async function loadHubLlama2c(modelId: string, modelPath: string, tokenizerPath: string, opts: HubDownloadOptions = {}): Promise<LoadedCheckpoint> {
  const f = await downloadHubFiles(modelId, [modelPath, tokenizerPath], opts);
  return loadLlama2cCheckpoint(f.get(modelPath)!, f.get(tokenizerPath)!, { model: modelPath, tokenizer: tokenizerPath });
}

export interface CachedHubModel {
  modelId: string;
  revision: string;
  files: string[];
  bytes: number;
}

/** What the cache holds, per model and revision (for a "downloaded models" list). */
export async function cachedHubModels(cache?: HubCache | null, endpoint = HUB_ENDPOINT): Promise<CachedHubModel[]> {
  const c = cache === undefined ? await openHubCache() : cache;
  if (!c) return [];
  const out = new Map<string, CachedHubModel>();
  const prefix = endpoint.replace(/\/+$/, '') + '/';
  for (const req of await c.keys()) {
    if (!req.url.startsWith(prefix)) continue;
    const m = /^(.+)\/resolve\/([^/]+)\/(.+)$/.exec(req.url.slice(prefix.length));
    if (!m) continue;
    const [, modelId, rev, file] = m as unknown as [string, string, string, string];
    const key = `${modelId}@${rev}`;
    const e = out.get(key) ?? { modelId, revision: decodeURIComponent(rev), files: [], bytes: 0 };
    const res = await c.match(req.url);
    e.files.push(file);
    e.bytes += Number(res?.headers.get('content-length') ?? 0);
    out.set(key, e);
  }
  return [...out.values()];
}

/** Forget the cached files of one model (every revision), or of all models. Returns how many files went. */
export async function clearHubCache(modelId?: string, cache?: HubCache | null, endpoint = HUB_ENDPOINT): Promise<number> {
  const c = cache === undefined ? await openHubCache() : cache;
  if (!c) return 0;
  const prefix = endpoint.replace(/\/+$/, '') + '/' + (modelId ? `${modelId}/resolve/` : '');
  let n = 0;
  for (const req of await c.keys()) if (req.url.startsWith(prefix) && (await c.delete(req.url))) n++;
  return n;
}
