/**
 * The importers in the browser, as the app runs them: a File read as a stream, gzip
 * through DecompressionStream, bzip2 and xz through their libraries (as bundled by Vite).
 */
import { describe, expect, it } from 'vitest';
import plainUrl from './fixtures/mini-hetionet.json?url';
import gzUrl from './fixtures/mini-hetionet.json.gz?url';
import bz2Url from './fixtures/mini-hetionet.json.bz2?url';
import xzUrl from './fixtures/mini-hetionet.json.xz?url';
import { importGraph, packedStats } from './import-graph';

async function file(url: string, name: string): Promise<File> {
  const bytes = await (await fetch(url)).arrayBuffer();
  return new File([bytes], name);
}

describe('Hetionet import in the browser', () => {
  for (const [url, name] of [
    [plainUrl, 'hetionet.json'],
    [gzUrl, 'hetionet.json.gz'],
    [bz2Url, 'hetionet.json.bz2'],
    [xzUrl, 'hetionet.json.xz'],
  ] as const) {
    it(`reads ${name} from a File`, async () => {
      const f = await file(url, name);
      const p = await importGraph({ name: f.name, blob: f }, 'hetionet');
      expect(packedStats(p)).toMatchObject({ nodes: 8, edges: 7, edgeTypes: { treats: 2 } });
    });
  }

  it('names a truncated .xz file', async () => {
    const f = await file(xzUrl, 'cut.json.xz');
    const cut = new File([f.slice(0, f.size - 80)], 'cut.json.xz');
    await expect(importGraph({ name: cut.name, blob: cut }, 'hetionet')).rejects.toThrow(/cut\.json\.xz: xz stream: cannot decompress/);
  });
});
