/**
 * The hub loader against a local server: a real HTTP server on 127.0.0.1 serving a checkpoint
 * folder we wrote (with the hub's URL layout and error headers), the global fetch, and an
 * in-memory stand-in for the browser Cache API. Nothing is downloaded from the internet.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCheckpointFolder } from './checkpoint';
import { cachedHubModels, clearHubCache, downloadHubCheckpoint, hubFileUrl, loadHubCheckpoint, loadHubLlama2c, type HubCache, type HubProgress } from './hub';
import { LLAMA2C_HUB_MODELS } from './llama2c';
import { l2cModel, randomWeights, spVocab, tinyConfig, tinyTokenizer, writeL2c, writeTokBin } from './test-helpers';

class MemoryCache implements HubCache {
  readonly store = new Map<string, { body: ArrayBuffer; headers: [string, string][] }>();
  async match(url: string) {
    const e = this.store.get(url);
    return e ? new Response(e.body.slice(0), { headers: e.headers }) : undefined;
  }
  async put(url: string, r: Response) {
    this.store.set(url, { body: await r.arrayBuffer(), headers: [...r.headers] });
  }
  async delete(url: string) {
    return this.store.delete(url);
  }
  async keys() {
    return [...this.store.keys()].map((url) => ({ url }));
  }
}

const tok = tinyTokenizer();
const config = tinyConfig(tok.vocabSize);
const weights = randomWeights(config, 5);
const repos = new Map<string, Map<string, Uint8Array>>([
  ['tests/tiny-llama', exportCheckpointFolder(weights, config, tok)],
  ['tests/tiny-sharded', exportCheckpointFolder(weights, config, tok, { maxShardBytes: 50_000 })],
  ['tests/not-llama', new Map([['config.json', new TextEncoder().encode(JSON.stringify({ model_type: 'gpt2', architectures: ['GPT2LMHeadModel'] }))]])],
]);
// a stand-in for karpathy/tinyllamas: llama2.c files in a sub-folder, no config.json
const sp = spVocab(['once upon a time there was a little dog', 'the dog was happy'], 40);
const l2c = l2cModel({ dim: 16, hidden: 32, layers: 1, heads: 2, kv: 2, vocab: sp.raw.length, seq: 32, shared: true });
repos.set('karpathy/tinyllamas', new Map([['stories260K/stories260K.bin', writeL2c(l2c, 0)], ['stories260K/tok512.bin', writeTokBin(sp.raw, sp.scores)]]));
const requests: string[] = [];
let server: Server;
let endpoint = '';
/** behaviour switches for one test */
const mode = { truncate: '', gated: '', requireToken: '' };

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = decodeURIComponent(req.url ?? '');
    requests.push(url);
    const m = /^\/(.+?)\/resolve\/([^/]+)\/(.+)$/.exec(url);
    const repo = m && repos.get(m[1]!);
    if (!m || !repo) return res.writeHead(401, { 'x-error-code': 'RepoNotFound' }).end('Repository not found');
    if (mode.gated === m[1]) return res.writeHead(403, { 'x-error-code': 'GatedRepo' }).end('gated');
    if (mode.requireToken === m[1] && req.headers.authorization !== 'Bearer hf_secret') return res.writeHead(401, { 'x-error-code': 'RepoNotFound' }).end();
    if (m[2] !== 'main') return res.writeHead(404, { 'x-error-code': 'RevisionNotFound' }).end();
    const body = repo.get(m[3]!);
    if (!body) return res.writeHead(404, { 'x-error-code': 'EntryNotFound' }).end('Entry not found');
    res.writeHead(200, { 'content-length': String(body.length), 'content-type': 'application/octet-stream' });
    if (mode.truncate === m[3]) {
      // headers and half the body arrive, then the connection drops
      res.flushHeaders();
      setTimeout(() => res.write(body.subarray(0, body.length >> 1), () => setTimeout(() => res.destroy(), 20)), 20);
      return;
    }
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('hub loader (local server)', () => {
  it('downloads with progress, loads identical weights, and a second load comes from the cache', async () => {
    const cache = new MemoryCache();
    const progress: HubProgress[] = [];
    requests.length = 0;
    const loaded = await loadHubCheckpoint('tests/tiny-llama', { endpoint, cache, onProgress: (p) => progress.push(p) });
    for (const [n, w] of weights) expect(loaded.weights.get(n)).toEqual(w);
    expect(loaded.tokenizer.encode('type 2 diabetes')).toEqual(tok.encode('type 2 diabetes'));
    expect(requests.map((u) => u.split('/').pop())).toEqual(['config.json', 'tokenizer.json', 'tokenizer_config.json', 'generation_config.json', 'model.safetensors']);
    const st = progress.filter((p) => p.file === 'model.safetensors');
    expect(st.at(-1)).toMatchObject({ loaded: st.at(-1)!.total, fromCache: false });
    expect(cache.store.size).toBe(5);

    requests.length = 0;
    const again = await loadHubCheckpoint('tests/tiny-llama', { endpoint, cache });
    expect(requests).toEqual([]);
    expect(again.weights.get('lm_head.weight')).toEqual(weights.get('lm_head.weight'));
    expect(await cachedHubModels(cache, endpoint)).toEqual([{ modelId: 'tests/tiny-llama', revision: 'main', files: ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'generation_config.json', 'model.safetensors'], bytes: [...repos.get('tests/tiny-llama')!.values()].reduce((a, b) => a + b.length, 0) }]);
    expect(await clearHubCache('tests/tiny-llama', cache, endpoint)).toBe(5);
    expect(cache.store.size).toBe(0);
  });

  it('follows model.safetensors.index.json to the shards when there is no single file', async () => {
    const files = await downloadHubCheckpoint('tests/tiny-sharded', { endpoint, cache: null });
    const shards = [...files.keys()].filter((f) => f.startsWith('model-'));
    expect(shards.length).toBeGreaterThan(1);
    expect(files.has('model.safetensors.index.json')).toBe(true);
  });

  it('refuses a non-Llama model after config.json, before any weights', async () => {
    requests.length = 0;
    await expect(downloadHubCheckpoint('tests/not-llama', { endpoint, cache: null })).rejects.toThrow(/config.json of tests\/not-llama cannot be used:\n- model_type is "gpt2"/);
    expect(requests).toEqual(['/tests/not-llama/resolve/main/config.json']);
  });

  it('explains unknown, private, gated, wrong-revision and malformed ids', async () => {
    await expect(downloadHubCheckpoint('tests/nope', { endpoint, cache: null })).rejects.toThrow(/model tests\/nope was not found, or it is private or gated/);
    await expect(downloadHubCheckpoint('tests/tiny-llama', { endpoint, cache: null, revision: 'v9' })).rejects.toThrow(/revision "v9" does not exist in tests\/tiny-llama/);
    await expect(downloadHubCheckpoint('not a model id!', { endpoint })).rejects.toThrow(/is not a Hugging Face model id/);
    mode.gated = 'tests/tiny-llama';
    try {
      await expect(downloadHubCheckpoint('tests/tiny-llama', { endpoint, cache: null })).rejects.toThrow(/is gated: accept its licence/);
    } finally {
      mode.gated = '';
    }
    mode.requireToken = 'tests/tiny-llama';
    try {
      await expect(downloadHubCheckpoint('tests/tiny-llama', { endpoint, cache: null })).rejects.toThrow(/private or gated/);
      await expect(downloadHubCheckpoint('tests/tiny-llama', { endpoint, cache: null, token: 'hf_wrong' })).rejects.toThrow(/your token cannot read it/);
      expect((await downloadHubCheckpoint('tests/tiny-llama', { endpoint, cache: null, token: 'hf_secret' })).size).toBe(5);
    } finally {
      mode.requireToken = '';
    }
  });

  it('a broken download is reported and never cached; finished files stay cached', async () => {
    const cache = new MemoryCache();
    mode.truncate = 'model.safetensors';
    try {
      await expect(downloadHubCheckpoint('tests/tiny-llama', { endpoint, cache })).rejects.toThrow(/the download of model.safetensors (broke off|ended) after \d+/);
    } finally {
      mode.truncate = '';
    }
    expect([...cache.store.keys()].map((u) => u.split('/').pop())).toEqual(['config.json', 'tokenizer.json', 'tokenizer_config.json', 'generation_config.json']);
  });

  it('network failure and cancellation', async () => {
    const failing = (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    await expect(downloadHubCheckpoint('tests/tiny-llama', { endpoint, cache: null, fetch: failing })).rejects.toThrow(/could not reach 127.0.0.1:\d+ for config.json of tests\/tiny-llama: a network error, or the request was blocked \(CORS/);
    const ac = new AbortController();
    const p = downloadHubCheckpoint('tests/tiny-llama', { endpoint, cache: null, signal: ac.signal, onProgress: (x) => x.file === 'tokenizer.json' && ac.abort() });
    await expect(p).rejects.toThrow(/abort/i);
  });

  it('loads a llama2.c checkpoint (model .bin + tokenizer .bin) by file paths', async () => {
    const entry = LLAMA2C_HUB_MODELS[0];
    const ck = await loadHubLlama2c(entry.modelId, entry.model, entry.tokenizer, { endpoint, cache: new MemoryCache() });
    expect(ck.weights.get('model.embed_tokens.weight')).toEqual(l2c.emb);
    expect(ck.tokenizer.decode(ck.tokenizer.encode('the little dog'))).toBe('the little dog');
  });

  it('builds resolve URLs with the revision encoded', () => {
    expect(hubFileUrl('HuggingFaceTB/SmolLM2-135M-Instruct', 'config.json')).toBe('https://huggingface.co/HuggingFaceTB/SmolLM2-135M-Instruct/resolve/main/config.json');
    expect(hubFileUrl('a/b', 'model.safetensors', 'refs/pr/3')).toBe('https://huggingface.co/a/b/resolve/refs%2Fpr%2F3/model.safetensors');
  });
});
