import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import { chromiumLaunchOptions } from './browser-launch.ts';

export default defineConfig({
  worker: { format: 'es' },
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.ts', 'workers/**/*.test.ts'],
          exclude: ['**/*.browser.test.ts', 'node_modules/**'],
          testTimeout: 120_000,
        },
      },
      {
        worker: { format: 'es' },
        // pre-bundled up front: a mid-run optimisation would reload the test page
        optimizeDeps: { include: ['idb', 'comlink', 'papaparse', 'eventsource-parser', 'hyparquet-writer', 'xz-decompress', 'unbzip2-stream/lib/bzip2.js', 'unbzip2-stream/lib/bit_iterator.js', '@huggingface/transformers', '@tensorflow/tfjs-core', '@tensorflow/tfjs-core/dist/register_all_gradients', '@tensorflow/tfjs-backend-webgpu'] },
        test: {
          name: 'browser',
          include: ['src/**/*.browser.test.ts', 'workers/**/*.browser.test.ts'],
          testTimeout: 120_000,
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({ launchOptions: chromiumLaunchOptions() }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
