/**
 * The graph cache in a real IndexedDB: whole records round-trip, a damaged or
 * outdated record is detected (never returned), and the default-graph loader
 * rebuilds from the app files in that case.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../graph/hash';
import { packGraph } from '../graph/packed-graph';
import { smallGraphFile } from '../graph/test-graph.fixture';
import { loadDefaultGraph } from '../../workers/load-default-graph';
import { deleteGraph, getActiveGraphId, listGraphs, loadGraph, saveGraph } from './graph-cache';
import { importIntoLibrary, listLibrary, openActive, removeFromLibrary } from '../../workers/graph-library';
import { openWorkbenchDb, type WorkbenchDatabase } from './open-db';
import { DB_VERSION } from './schema';

async function gzip(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

let dbs: WorkbenchDatabase[] = [];
let n = 0;
async function freshDb(): Promise<WorkbenchDatabase> {
  const name = `test-${Date.now()}-${n++}`;
  const db = await openWorkbenchDb(name);
  dbs.push(db);
  return db;
}
afterEach(async () => {
  for (const db of dbs) {
    db.close();
    indexedDB.deleteDatabase(db.name);
  }
  dbs = [];
});

const meta = (packed: ReturnType<typeof packGraph>) => ({ id: 'g1', name: 'test graph', origin: 'import' as const, savedAt: '2026-11-22T00:00:00Z', header: packed.header });

describe('graph cache', () => {
  it('creates the current schema version', async () => {
    const db = await freshDb();
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames]).toEqual(expect.arrayContaining(['graphData', 'graphs', 'settings']));
  });

  it('round-trips a packed graph with its typed arrays intact', async () => {
    const db = await freshDb();
    const packed = packGraph(smallGraphFile(), 'abc', 'g');
    await saveGraph(db, meta(packed), packed);
    const got = await loadGraph(db, 'g1', 'abc');
    expect(got.status).toBe('hit');
    if (got.status !== 'hit') return;
    expect(got.packed.types).toBeInstanceOf(Uint16Array);
    expect(Array.from(got.packed.edges[1]!.dst)).toEqual([0, 0, 6]);
    expect((await listGraphs(db)).map((g) => g.id)).toEqual(['g1']);
  });

  it('reports a record built from another file as stale', async () => {
    const db = await freshDb();
    const packed = packGraph(smallGraphFile(), 'old', 'g');
    await saveGraph(db, meta(packed), packed);
    expect(await loadGraph(db, 'g1', 'new')).toMatchObject({ status: 'stale' });
  });

  it('detects a damaged record instead of returning it', async () => {
    const db = await freshDb();
    const packed = packGraph(smallGraphFile(), 'h', 'g');
    await saveGraph(db, meta(packed), packed);
    const rec = (await db.get('graphData', 'g1'))!;
    rec.packed.edges[0]!.dst[0] = 3;
    await db.put('graphData', rec);
    expect(await loadGraph(db, 'g1', 'h')).toMatchObject({ status: 'corrupt', reason: expect.stringMatching(/checksum/) });
    await db.delete('graphData', 'g1');
    expect(await loadGraph(db, 'g1', 'h')).toMatchObject({ status: 'corrupt', reason: expect.stringMatching(/incomplete/) });
    await deleteGraph(db, 'g1');
    expect(await loadGraph(db, 'g1')).toMatchObject({ status: 'miss' });
  });
});

describe('graph cache: atomic saves', () => {
  it('a graph that cannot be stored leaves no meta record behind', async () => {
    const db = await freshDb();
    const packed = packGraph(smallGraphFile(), 'h', 'g');
    const bad = { ...packed, header: { ...packed.header, datasets: [{ ...packed.header.datasets[0]!, url: (() => 0) as unknown as string }] } };
    await expect(saveGraph(db, meta(packed), bad)).rejects.toThrow(/Could not save graph "test graph"/);
    expect(await listGraphs(db)).toEqual([]);
    expect(await loadGraph(db, 'g1')).toMatchObject({ status: 'miss' });
  });
});

describe('graph cache: large graphs split into parts', () => {
  it('writes big edge groups as slices and reads them back whole; a missing slice is detected', async () => {
    const db = await freshDb();
    const packed = packGraph(smallGraphFile(), 'abc', 'g');
    // 24 bytes per part: two edges per slice, so the 4-edge and 3-edge groups are split
    await saveGraph(db, meta(packed), packed, 24);
    const main = (await db.get('graphData', 'g1'))!;
    expect(main.packed.edges[0]!.parts).toHaveLength(2);
    expect(main.packed.edges[0]!.src).toHaveLength(0);
    const got = await loadGraph(db, 'g1', 'abc');
    expect(got.status).toBe('hit');
    if (got.status !== 'hit') return;
    expect(got.packed.edges.map((e) => Array.from(e.dst))).toEqual(packed.edges.map((e) => Array.from(e.dst)));
    // re-saving unsplit leaves no stray parts; deleting removes everything
    await saveGraph(db, meta(packed), packed, 24);
    await db.delete('graphData', main.packed.edges[1]!.parts![1]!);
    expect(await loadGraph(db, 'g1', 'abc')).toMatchObject({ status: 'corrupt', reason: expect.stringMatching(/edge part is missing/) });
    await saveGraph(db, meta(packed), packed);
    expect(await db.getAllKeys('graphData')).toEqual(['g1']);
    await saveGraph(db, meta(packed), packed, 24);
    await deleteGraph(db, 'g1');
    expect(await db.getAllKeys('graphData')).toEqual([]);
  });
});

describe('default graph loader', () => {
  async function fakeSite() {
    const json = JSON.stringify(smallGraphFile());
    const bytes = await gzip(json);
    const manifest = { file: 'default-graph.json.gz', contentSha256: await sha256Hex(new TextEncoder().encode(json)), bytes: bytes.length, nodes: 7, edges: 8 };
    const requests: string[] = [];
    const fetchImpl = (async (url: string) => {
      requests.push(new URL(url).pathname);
      if (url.endsWith('/kg/manifest.json')) return new Response(JSON.stringify(manifest));
      if (url.endsWith('/kg/default-graph.json.gz')) return new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'content-length': String(bytes.length) } });
      return new Response('not found', { status: 404 });
    }) as typeof fetch;
    return { fetchImpl, requests, manifest };
  }

  it('loads from the app files first, from the cache the second time', async () => {
    const db = await freshDb();
    const site = await fakeSite();
    const stages: string[] = [];
    const first = await loadDefaultGraph({ baseUrl: 'http://app.test/', db, fetchImpl: site.fetchImpl }, (p) => stages.push(p.stage));
    expect(first.result.source).toBe('network');
    expect(first.result.stats).toMatchObject({ nodes: 7, edges: 8 });
    expect(stages).toEqual(expect.arrayContaining(['manifest', 'cache', 'download', 'decode', 'pack', 'index', 'save', 'ready']));
    site.requests.length = 0;
    const second = await loadDefaultGraph({ baseUrl: 'http://app.test/', db, fetchImpl: site.fetchImpl });
    expect(second.result.source).toBe('cache');
    expect(site.requests).toEqual(['/kg/manifest.json']);
    expect(second.graph.search('asthma')[0]!.name).toBe('asthma');
  });

  it('rebuilds a corrupted cache from the app files and says why', async () => {
    const db = await freshDb();
    const site = await fakeSite();
    await loadDefaultGraph({ baseUrl: 'http://app.test/', db, fetchImpl: site.fetchImpl });
    const rec = (await db.get('graphData', 'default'))!;
    rec.packed.names = { ...rec.packed.names, text: rec.packed.names.text.slice(0, 10) };
    await db.put('graphData', rec);
    const again = await loadDefaultGraph({ baseUrl: 'http://app.test/', db, fetchImpl: site.fetchImpl });
    expect(again.result.source).toBe('network');
    expect(again.result.cacheNote).toMatch(/checksum/);
    expect(again.graph.nodeName(0)).toBe('asthma');
    // and the rebuilt record is whole again
    expect((await loadDefaultGraph({ baseUrl: 'http://app.test/', db, fetchImpl: site.fetchImpl })).result.source).toBe('cache');
  });

  it('rebuilds an outdated cache when the shipped file changes', async () => {
    const db = await freshDb();
    const site = await fakeSite();
    await loadDefaultGraph({ baseUrl: 'http://app.test/', db, fetchImpl: site.fetchImpl });
    const g2 = smallGraphFile();
    g2.nodes.name[0] = 'asthma (updated)';
    const json2 = JSON.stringify(g2);
    const bytes2 = await gzip(json2);
    const manifest2 = { ...site.manifest, contentSha256: await sha256Hex(new TextEncoder().encode(json2)), bytes: bytes2.length };
    const fetch2 = (async (url: string) =>
      url.endsWith('manifest.json') ? new Response(JSON.stringify(manifest2)) : new Response(bytes2 as Uint8Array<ArrayBuffer>)) as typeof fetch;
    const r = await loadDefaultGraph({ baseUrl: 'http://app.test/', db, fetchImpl: fetch2 });
    expect(r.result).toMatchObject({ source: 'network', cacheNote: expect.stringMatching(/older graph file/) });
    expect(r.graph.nodeName(0)).toBe('asthma (updated)');
  });

  it('refuses a file that does not match its manifest, writing nothing', async () => {
    const db = await freshDb();
    const site = await fakeSite();
    const bad = (async (url: string) => {
      const res = await site.fetchImpl(url);
      if (!url.endsWith('.gz')) return res;
      // a server that undid the gzip layer, serving a file cut short
      const text = await new Response(new Blob([await res.arrayBuffer()]).stream().pipeThrough(new DecompressionStream('gzip'))).text();
      return new Response(text.slice(0, -40));
    }) as typeof fetch;
    await expect(loadDefaultGraph({ baseUrl: 'http://app.test/', db, fetchImpl: bad })).rejects.toThrow(/kg\/default-graph\.json\.gz: content does not match kg\/manifest\.json/);
    expect(await listGraphs(db)).toEqual([]);
  });

  it('accepts the file whether or not the server undid its gzip layer', async () => {
    const db = await freshDb();
    const site = await fakeSite();
    const decoding = (async (url: string) => {
      const res = await site.fetchImpl(url);
      if (!url.endsWith('.gz')) return res;
      return new Response(new Blob([await res.arrayBuffer()]).stream().pipeThrough(new DecompressionStream('gzip')));
    }) as typeof fetch;
    const r = await loadDefaultGraph({ baseUrl: 'http://app.test/', db, fetchImpl: decoding });
    expect(r.result).toMatchObject({ source: 'network', stats: { nodes: 7, edges: 8 } });
  });

  it('still opens the cached graph when offline', async () => {
    const db = await freshDb();
    const site = await fakeSite();
    await loadDefaultGraph({ baseUrl: 'http://app.test/', db, fetchImpl: site.fetchImpl });
    const offline = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    expect((await loadDefaultGraph({ baseUrl: 'http://app.test/', db, fetchImpl: offline })).result.source).toBe('cache');
    const empty = await freshDb();
    await expect(loadDefaultGraph({ baseUrl: 'http://app.test/', db: empty, fetchImpl: offline })).rejects.toThrow(/manifest\.json unavailable .*no usable cached copy/);
  });
});

describe('graph library (imports)', () => {
  const tsv = 'head\thead_type\trelation\ttail\ttail_type\nDB1\tdrug\ttreats\tD1\tdisease\n';
  const base = { baseUrl: 'http://app.test/', fetchImpl: (async () => new Response('offline', { status: 503 })) as typeof fetch };

  it('stores an import as a new named graph, makes it active, reopens it, and deletes it', async () => {
    const db = await freshDb();
    const out = await importIntoLibrary(db, new Blob([tsv]), 'tiny.tsv', 'triples', 'Tiny', new AbortController().signal, () => {});
    expect(out.result).toMatchObject({ name: 'Tiny', stats: { nodes: 2, edges: 1 } });
    expect(await getActiveGraphId(db)).toBe(out.id);
    expect((await listLibrary(db)).map((g) => [g.name, g.origin])).toEqual([['Default medical graph', 'default'], ['Tiny', 'import']]);
    const reopened = await openActive({ ...base, db }, () => {});
    expect(reopened.result).toMatchObject({ id: out.id, name: 'Tiny', source: 'cache' });
    expect(reopened.graph.search('DB1')[0]!.id).toBe('DB1');
    await removeFromLibrary(db, out.id);
    expect(await getActiveGraphId(db)).toBe('default');
    expect(await listGraphs(db)).toEqual([]);
  });

  it('writes nothing when the file is bad or the import is cancelled', async () => {
    const db = await freshDb();
    await expect(importIntoLibrary(db, new Blob(['head\trelation\ttail\nA\tr\n']), 'bad.tsv', 'triples', 'Bad', new AbortController().signal, () => {})).rejects.toThrow(
      'bad.tsv: line 1 (header): missing columns head_type, tail_type',
    );
    const ac = new AbortController();
    ac.abort();
    await expect(importIntoLibrary(db, new Blob([tsv]), 'tiny.tsv', 'triples', 'Tiny', ac.signal, () => {})).rejects.toThrow(/import cancelled/);
    expect(await listGraphs(db)).toEqual([]);
    expect(await getActiveGraphId(db)).toBeNull();
  });
});
