/**
 * Test support for the browser benchmarks: serve the built app (building it first when asked or
 * missing), open headless Chromium, run `body`, and always close both. Memory benchmarks ask for
 * cross-origin isolation and eager memory measurement (measureUserAgentSpecificMemory needs both).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser } from 'playwright';
import { preview } from 'vite';
import { chromiumLaunchOptions } from '../browser-launch.ts';

export const root = resolve(import.meta.dirname, '..');

export interface BuiltAppOptions {
  port: number;
  /** the build folder (default dist/) */
  outDir?: string;
  /** rebuild even when the folder has an index.html */
  rebuild?: boolean;
  /** cross-origin isolation + eager measureUserAgentSpecificMemory + exposed gc */
  measureMemory?: boolean;
}

export async function withBuiltApp<T>(o: BuiltAppOptions, body: (url: string, browser: Browser) => Promise<T>): Promise<T> {
  const outDir = o.outDir ?? resolve(root, 'dist');
  if (o.rebuild || !existsSync(resolve(outDir, 'index.html'))) execFileSync('npx', ['vite', 'build', '--outDir', outDir, '--emptyOutDir'], { cwd: root, stdio: 'inherit' });
  const headers = o.measureMemory ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } : undefined;
  const server = await preview({ root, logLevel: 'silent', build: { outDir }, preview: { port: o.port, strictPort: false, host: '127.0.0.1', ...(headers ? { headers } : {}) } });
  const url = server.resolvedUrls?.local[0] ?? `http://127.0.0.1:${o.port}/`;
  const launch = chromiumLaunchOptions();
  const extra = o.measureMemory ? ['--enable-blink-features=ForceEagerMeasureMemory', '--js-flags=--expose-gc'] : [];
  const browser = await chromium.launch({ ...launch, args: [...launch.args, ...extra] });
  try {
    return await body(url, browser);
  } finally {
    await browser.close();
    await new Promise<void>((r) => server.httpServer.close(() => r()));
  }
}

/** Run a benchmark's main, printing the error and exiting 1 on failure. */
export function runMain(main: () => Promise<unknown>): void {
  void main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
