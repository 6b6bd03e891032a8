/**
 * `npm run bench:charts`: do the Train view's charts keep up with a live run? Ten charts (the
 * same ChartHub / uPlot code), 10,000 points per series, then 10 updates a second for 10 s, in
 * headless Chromium; writes the per-update cost and the frame rate to bench/results/train-charts.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { chromium } from 'playwright';
import { createServer } from 'vite';
import { chromiumLaunchOptions } from '../browser-launch.ts';
import type { ChartBenchOptions, ChartBenchResult } from './train-charts-page';

const root = resolve(import.meta.dirname, '..');
const server = await createServer({ root, logLevel: 'warn', server: { port: 4183, strictPort: false, host: '127.0.0.1', hmr: false, watch: null } });
await server.listen();
const url = `${server.resolvedUrls?.local[0] ?? 'http://127.0.0.1:4183/'}bench/train-charts.html`;
const browser = await chromium.launch(chromiumLaunchOptions());
const runs: Array<{ viewport: string; options: ChartBenchOptions; result: ChartBenchResult }> = [];
try {
  // a laptop screen (about six of the ten charts on screen, the rest redrawn when scrolled to) and a
  // screen tall enough that all ten are visible and redrawn on every update
  for (const viewport of [
    { width: 1440, height: 1000 },
    { width: 1440, height: 2600 },
  ]) {
    const page = await browser.newPage({ viewport });
    page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
    await page.goto(url);
    await page.waitForFunction(() => typeof window.__chartBench === 'function', undefined, { timeout: 120_000 });
    for (const options of [
      { points: 10_000, rate: 10, seconds: 10, rowsPerUpdate: 1, smoothing: 0.6 },
      { points: 10_000, rate: 10, seconds: 10, rowsPerUpdate: 1, smoothing: 0 },
    ] satisfies ChartBenchOptions[]) {
      const result = await page.evaluate((o) => window.__chartBench!(o), options);
      runs.push({ viewport: `${viewport.width}x${viewport.height}`, options, result });
      console.error(JSON.stringify({ viewport, options, result }));
    }
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
const doc = {
  benchmark: 'train-view-charts',
  date: new Date().toISOString(),
  note: 'updateMs: one update = append the row, extend smoothing, min/max-decimate to the plot width, setData + redraw of every chart on screen (charts off screen are brought up to date when scrolled into view), forced through layout. Keeping up with 10 updates/s means each update well under 100 ms and the page still painting (fps, maxFrameGapMs). Headless Chromium, software rasterisation, 2 shared cores.',
  machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGB: Math.round(totalmem() / 2 ** 30) },
  browser: browser.version(),
  runs,
};
mkdirSync(resolve(root, 'bench/results'), { recursive: true });
writeFileSync(resolve(root, 'bench/results/train-charts.json'), JSON.stringify(doc, null, 2) + '\n');
console.log(JSON.stringify(runs.map((r) => ({ viewport: r.viewport, smoothing: r.options.smoothing, points: r.result.points, updateMs: r.result.updateMs, fps: r.result.fps })), null, 1));
