/** Shader lookup shared by the browser (Vite glob) and Node (file reads) hosts. */
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { poolBucket } from './runtime';
import { shaderSourceFromFiles } from './shader-source';
import { nodeShaderSource } from './shaders-node';

describe('shader sources', () => {
  it('Node reads every shaders/*.wgsl by its stem', () => {
    const src = nodeShaderSource();
    const files = readdirSync(resolve(import.meta.dirname, '../../shaders')).filter((f) => f.endsWith('.wgsl'));
    expect(files.length).toBeGreaterThanOrEqual(12);
    for (const f of files) expect(src(f.replace(/\.wgsl$/, ''))).toMatch(/@compute/);
  });

  it('names the missing shader and lists the ones it has', () => {
    const src = shaderSourceFromFiles({ '../../shaders/a.wgsl': 'x', '/abs/b.wgsl': 'y', 'readme.md': 'z' });
    expect(src('b')).toBe('y');
    expect(() => src('c')).toThrow('no shader named "c" (have: a, b)');
  });
});

describe('buffer pool buckets', () => {
  it('rounds up to powers of two from 256 bytes, so repeated steps reuse buffers', () => {
    expect([4, 256, 257, 4096, 4097].map(poolBucket)).toEqual([256, 256, 512, 4096, 8192]);
  });
});
