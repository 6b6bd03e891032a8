/** Shader sources for Vite builds (app, workers, Vitest browser mode): bundled at build time. */
import { shaderSourceFromFiles, type ShaderSource } from './shader-source';

const files = import.meta.glob('../../shaders/*.wgsl', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export const viteShaderSource: ShaderSource = shaderSourceFromFiles(files);
