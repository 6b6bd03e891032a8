/**
 * The hub loader with the browser's real Cache API (Chromium): the first load stores every file,
 * a reload with the network gone loads from the cache alone, clearing forgets the model.
 * The "hub" is a fetch stand-in serving a folder we exported; nothing leaves the machine.
 */
import { describe, expect, it } from 'vitest';
import { exportCheckpointFolder } from './checkpoint';
import { HUB_CACHE_NAME, cachedHubModels, clearHubCache, loadHubCheckpoint } from './hub';
import { randomWeights, tinyConfig, tinyTokenizer } from './test-helpers';

describe('hub cache in the browser', () => {
  it('downloads once, then loads offline from the Cache API', async () => {
    const tok = tinyTokenizer();
    const config = tinyConfig(tok.vocabSize);
    const weights = randomWeights(config);
    const folder = exportCheckpointFolder(weights, config, tok);
    const endpoint = 'https://hub.test';
    await caches.delete(HUB_CACHE_NAME);
    let calls = 0;
    const fakeHub = (async (input: RequestInfo | URL) => {
      calls++;
      const file = String(input).split('/').pop()!;
      const body = folder.get(file);
      return body ? new Response(body as BodyInit, { headers: { 'content-length': String(body.length) } }) : new Response('Entry not found', { status: 404, headers: { 'x-error-code': 'EntryNotFound' } });
    }) as typeof fetch;
    const first = await loadHubCheckpoint('tests/tiny', { endpoint, fetch: fakeHub });
    expect(first.weights.get('model.norm.weight')).toEqual(weights.get('model.norm.weight'));
    expect(calls).toBe(5);

    const offline = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    const second = await loadHubCheckpoint('tests/tiny', { endpoint, fetch: offline });
    for (const [n, w] of weights) expect(second.weights.get(n)).toEqual(w);
    const listed = await cachedHubModels(undefined, endpoint);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ modelId: 'tests/tiny', revision: 'main' });
    expect(listed[0]!.files.sort()).toEqual([...folder.keys()].sort());

    expect(await clearHubCache('tests/tiny', undefined, endpoint)).toBe(5);
    await expect(loadHubCheckpoint('tests/tiny', { endpoint, fetch: offline })).rejects.toThrow(/could not reach hub.test for config.json/);
    await caches.delete(HUB_CACHE_NAME);
  });
});
