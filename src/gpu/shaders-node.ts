/** Shader sources for Node (tsx CLI, benchmarks): read from shaders/ beside the package root. */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { shaderSourceFromFiles, type ShaderSource } from './shader-source';

export function nodeShaderSource(dir = resolve(import.meta.dirname, '../../shaders')): ShaderSource {
  const files: Record<string, string> = {};
  for (const f of readdirSync(dir)) if (f.endsWith('.wgsl')) files[f] = readFileSync(resolve(dir, f), 'utf8');
  return shaderSourceFromFiles(files);
}
