import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeGraphFile } from './decode-graph-file';
import { smallGraphFile } from './test-graph.fixture';

const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

describe('decodeGraphFile', () => {
  it('reads plain and gzip-compressed files alike', async () => {
    const g = smallGraphFile();
    expect((await decodeGraphFile(enc(g), 'g.json')).nodes.name).toEqual(g.nodes.name);
    expect((await decodeGraphFile(new Uint8Array(gzipSync(enc(g))), 'g.json.gz')).nodes.name).toEqual(g.nodes.name);
  });

  it('names the file and the cause for a truncated gzip stream', async () => {
    const gz = new Uint8Array(gzipSync(enc(smallGraphFile())));
    await expect(decodeGraphFile(gz.subarray(0, gz.length - 30), 'cut.json.gz')).rejects.toThrow(/cut\.json\.gz: gzip stream: .*truncated or corrupt/);
  });

  it('rejects text that is not JSON', async () => {
    await expect(decodeGraphFile(new TextEncoder().encode('{"format": "fleming-kg",'), 'bad.json')).rejects.toThrow(/bad\.json: JSON: not valid JSON/);
  });

  it('rejects another format or version by name', async () => {
    await expect(decodeGraphFile(enc({ ...smallGraphFile(), format: 'hetnet' }), 'x.json')).rejects.toThrow(/x\.json: format: expected "fleming-kg"/);
    await expect(decodeGraphFile(enc({ ...smallGraphFile(), version: 2 }), 'x.json')).rejects.toThrow(/version: this app reads version 1, found 2/);
  });

  it('points at the exact column entry that is wrong', async () => {
    const g = smallGraphFile();
    g.nodes.type[3] = 9;
    await expect(decodeGraphFile(enc(g), 'x.json')).rejects.toThrow(/nodes\.type\[3\]: expected an integer in \[0, 3\), found 9/);
    const h = smallGraphFile();
    h.edges[1]!.dst.pop();
    await expect(decodeGraphFile(enc(h), 'x.json')).rejects.toThrow(/edges\[1\]\.dst: expected 3 entries, found 2/);
    const k = smallGraphFile();
    k.edgeTypes[0]!.target = 'gene';
    await expect(decodeGraphFile(enc(k), 'x.json')).rejects.toThrow(/edgeTypes\[0\]\.target: unknown node type "gene"/);
  });
});
