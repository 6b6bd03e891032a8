import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { CONTENT_SECURITY_POLICY_HEADER, contentSecurityPolicy } from './scripts/content-security-policy.ts';

/**
 * Where the dev server's dependency scanner starts. By default it crawls index.html
 * only, which misses every dependency first imported by a Web Worker (workers are
 * separate entries reached through `new Worker(new URL(…))`, which the scanner does not
 * follow). Each such dependency was then found on first use — the first entity open
 * (layout worker: cytoscape-fcose), the first trajectory run (onnxruntime-web,
 * transformers.js) — and the dev server re-optimised and reloaded the page, losing the
 * run. Every worker entry is listed here (a unit test checks that each `new Worker` in
 * the source is covered), so one optimisation at start-up covers the whole app.
 */
export const DEP_SCAN_ENTRIES = ['index.html', 'workers/*.worker.ts', 'src/**/*.worker.ts'];

/**
 * Deep imports and CommonJS packages the scanner cannot always see through; listing them
 * costs nothing when it does.
 */
export const PREBUNDLED = [
  'react',
  'react-dom/client',
  'react/jsx-dev-runtime',
  'zustand',
  'idb',
  'comlink',
  'cytoscape',
  'cytoscape-fcose',
  'papaparse',
  'eventsource-parser',
  'hyparquet-writer',
  'xz-decompress',
  'unbzip2-stream/lib/bzip2.js',
  'unbzip2-stream/lib/bit_iterator.js',
  '@huggingface/transformers',
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-core/dist/register_all_gradients',
  '@tensorflow/tfjs-backend-webgpu',
];

export default defineConfig({
  // the built app carries a strict Content-Security-Policy (scripts/content-security-policy.ts); dev runs without it
  plugins: [react(), contentSecurityPolicy()],
  worker: { format: 'es' },
  optimizeDeps: { entries: DEP_SCAN_ENTRIES, include: PREBUNDLED },
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 2000 },
  server: { port: 5173 },
  // preview (and the e2e tests) also send the policy as a header on every file, as a host that can should:
  // workers get their policy from their own response, not from the page's <meta>
  preview: { port: 4173, strictPort: true, headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY_HEADER } },
});
