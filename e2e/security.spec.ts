/**
 * Security of the built app (SPEC §5–6, issue 12 part 5):
 * - the Content-Security-Policy is in the page (and sent as a header by `vite preview`,
 *   so workers run under it too), it really blocks inline script and eval, and a tour of
 *   every view — the GPU self-test and the benchmark's kernels in workers, the layout
 *   worker, question synthesis, the KG teacher, a micro model warmed up and sampled in the
 *   training worker, an xz (WebAssembly) import — raises zero violations;
 * - with no teacher configured, every request of that tour goes to the app's own origin;
 * - the transformers.js teacher (ONNX Runtime, WebAssembly) runs in its worker under the
 *   policy, a tiny real model served as if from the Hugging Face hub;
 * - names holding HTML and script (in a graph, imported questions, a teacher's output)
 *   show as text in the explorer, the question table and detail, the inspector and the
 *   exports, and never run (chart text: src/ui/components/train/chart-text.browser.test.ts);
 * - a failed import (graph or questions: bad encoding, truncated, damaged, oversized)
 *   leaves every IndexedDB store exactly as it was; UTF-16 files import.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page, type Worker } from '@playwright/test';
import { tinyTeacherModel } from '../src/trajectories/tiny-model/tiny-teacher-model';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);

// ---------------------------------------------------------------- watching for violations

interface Watch {
  /** every CSP violation seen so far, in the page or any worker, and "Refused to …" console errors */
  violations(): Promise<string[]>;
  /** page errors (uncaught exceptions) */
  errors: string[];
}

const CSP_TEXT = /Content Security Policy|Refused to (load|execute|evaluate|create|connect|apply|frame)/i;

async function watchSecurity(page: Page): Promise<Watch> {
  const seen: string[] = [];
  const errors: string[] = [];
  const workers: Worker[] = [];
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`page: ${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`));
  });
  page.on('console', (m) => CSP_TEXT.test(m.text()) && seen.push(`page console: ${m.text()}`));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('worker', (w) => {
    workers.push(w);
    w.on('console', (m) => CSP_TEXT.test(m.text()) && seen.push(`worker ${w.url()}: ${m.text()}`));
    // a worker's own violations fire on its global scope, not on the page's document
    void w
      .evaluate(() => {
        const g = self as unknown as { __csp: string[] };
        g.__csp = [];
        self.addEventListener('securitypolicyviolation', (e) => g.__csp.push(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'}`));
      })
      .catch(() => {});
  });
  return {
    errors,
    async violations() {
      const out = [...seen];
      out.push(...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp).catch(() => [] as string[])));
      for (const w of workers) out.push(...(await w.evaluate(() => (self as unknown as { __csp?: string[] }).__csp ?? []).catch(() => [] as string[])).map((v) => `worker ${w.url()}: ${v}`));
      return out;
    },
  };
}

/**
 * Every request the page and its workers make that leaves the app's origin is recorded and
 * refused (`foreign`); `all` lists every request seen, so a test can show that requests made
 * inside workers are seen too.
 */
async function recordForeignRequests(page: Page, allowed: (url: URL) => boolean = () => false): Promise<{ foreign: string[]; all: string[] }> {
  const foreign: string[] = [];
  const all: string[] = [];
  const origin = new URL(test.info().project.use.baseURL!).origin;
  await page.context().route(
    (url) => url.origin !== origin && (url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'ws:' || url.protocol === 'wss:') && !allowed(url),
    async (route) => {
      if (!foreign.includes(route.request().url())) foreign.push(route.request().url());
      await route.abort('blockedbyclient');
    },
  );
  page.context().on('request', (r) => {
    all.push(r.url());
    const u = new URL(r.url());
    if (u.origin !== origin && !['data:', 'blob:'].includes(u.protocol) && !allowed(u) && !foreign.includes(r.url())) foreign.push(r.url());
  });
  return { foreign, all };
}

// ---------------------------------------------------------------- IndexedDB snapshots

/** per store: record count and a digest of every key and value (structured-cloned to JSON-ish text) */
async function snapshotDb(page: Page): Promise<Record<string, string>> {
  return page.evaluate(
    () =>
      new Promise<Record<string, string>>((resolve, reject) => {
        const open = indexedDB.open('fleming-workbench');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const names = [...db.objectStoreNames];
          const out: Record<string, string> = {};
          if (!names.length) {
            db.close();
            return resolve(out);
          }
          const tx = db.transaction(names, 'readonly');
          const text = (v: unknown): string =>
            JSON.stringify(v, (_k, x) => (ArrayBuffer.isView(x) ? `${x.constructor.name}(${(x as Uint8Array).length}):${Array.prototype.slice.call(x as Uint8Array, 0, 64).join(',')}` : x instanceof Blob ? `Blob(${x.size})` : x));
          for (const n of names) {
            const keys = tx.objectStore(n).getAllKeys();
            const vals = tx.objectStore(n).getAll();
            vals.onsuccess = () => {
              let h = 0;
              const s = text(keys.result) + text(vals.result);
              for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
              out[n] = `${keys.result.length} records, digest ${h >>> 0}`;
            };
          }
          tx.oncomplete = () => {
            db.close();
            resolve(out);
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
}

/**
 * A tiny real ONNX model (src/trajectories/tiny-model) that answers every prompt with `chain`,
 * served where transformers.js looks for it on the hub (as fleming/tiny-teacher). Returns the
 * paths the library asked for.
 */
async function serveTinyModel(page: Page, chain: string): Promise<string[]> {
  const model = tinyTeacherModel(chain);
  const hub: string[] = [];
  await page.context().route('https://huggingface.co/**', async (route) => {
    const m = /\/fleming\/tiny-teacher\/resolve\/[^/]+\/(.+)$/.exec(new URL(route.request().url()).pathname);
    hub.push(new URL(route.request().url()).pathname);
    // WASM asks for the 8-bit weights (onnx/model_quantized.onnx) by default: the tiny fp32 graph stands in for any variant
    const file = m ? decodeURIComponent(m[1]!).replace(/^onnx\/model_[a-z0-9]+\.onnx$/, 'onnx/model.onnx') : '';
    const body = m ? model.files[file] : undefined;
    if (!body) return route.fulfill({ status: 404, body: 'not found' });
    await route.fulfill({ status: 200, body: Buffer.from(body), headers: { 'content-type': 'application/octet-stream', 'content-length': String(body.length), 'access-control-allow-origin': '*' } });
  });
  return hub;
}

// ---------------------------------------------------------------- hostile content

const XSS_IMG = '<img src=x onerror=window.__xss=1>';
const XSS_SCRIPT = '<script>window.__xss=1</script>';
const XSS_SVG = '"><svg onload=window.__xss=1>';

/** a small medical-shaped graph whose names carry markup (and names of Object.prototype members) */
function hostileGraphTsv(): string {
  const P = [XSS_IMG, XSS_SCRIPT, XSS_SVG, 'constructor', '__proto__'];
  const rows = ['head\thead_type\trelation\ttail\ttail_type\thead_name\ttail_name'];
  const dn = (i: number) => (i < P.length ? `Disease ${P[i]}` : `disease number ${i}`);
  const sn = (i: number) => (i % 3 === 0 ? `Symptom ${P[i % P.length]}` : `symptom ${i}`);
  const rn = (i: number) => (i % 2 === 0 ? `Drug ${P[(i + 1) % P.length]}` : `drug ${i}`);
  for (let d = 0; d < 12; d++) {
    for (let k = 0; k < 4; k++) rows.push(`D${d}\tdisease\tpresents\tS${(d * 2 + k * 3) % 16}\tsymptom\t${dn(d)}\t${sn((d * 2 + k * 3) % 16)}`);
    for (let k = 0; k < 2; k++) rows.push(`C${(d + k * 5) % 9}\tdrug\ttreats\tD${d}\tdisease\t${rn((d + k * 5) % 9)}\t${dn(d)}`);
  }
  rows.push(`D0\tdisease\t${XSS_IMG}\tT1\t${XSS_SCRIPT}\t\tTarget ${XSS_SVG}`);
  return rows.join('\n') + '\n';
}

const medqaLine = (question: string, options: Record<string, string>, answer_idx: string) => JSON.stringify({ question, options, answer_idx, answer: options[answer_idx] });

function hostileMedqa(): string {
  return [
    medqaLine(`Which is correct? ${XSS_IMG}`, { A: XSS_SCRIPT, B: 'plain option', C: XSS_SVG, D: '**bold** | pipe' }, 'A'),
    medqaLine(`${XSS_SCRIPT} second item`, { A: 'one', B: XSS_IMG, C: 'three' }, 'B'),
  ].join('\n');
}

async function expectNoXss(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
  // no element the payloads would create exists anywhere in the document
  expect(await page.locator('img[src="x"], svg[onload], script:not([src])').count()).toBe(0);
}

// ================================================================ tests

test('the built page carries the policy, and the policy really blocks inline script and eval, in the page and in workers', async ({ page, request }) => {
  const watch = await watchSecurity(page);
  await page.goto('/');
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(meta).toBeTruthy();
  const script = meta!.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src '))!;
  expect(script).toBeTruthy();
  expect(script).not.toMatch(/'unsafe-inline'|'unsafe-eval'|\*|https?:|data:/);
  expect(meta).toMatch(/default-src 'self'/);
  expect(meta).toMatch(/object-src 'none'/);
  expect(meta).toMatch(/base-uri 'none'/);
  // the meta comes before every script: a <meta> policy only governs what follows it
  const html = await (await request.get('/')).text();
  expect(html.indexOf('http-equiv="Content-Security-Policy"')).toBeLessThan(html.indexOf('<script'));
  // preview sends it as a header as well, with what a <meta> cannot say
  expect((await request.get('/')).headers()['content-security-policy']).toContain("frame-ancestors 'none'");

  // an injected inline script and string-to-code (a string timer: eval by another name) do not run, and are reported.
  // (Playwright's own evaluate is exempt from the policy, so the code under test runs from a timer the page schedules.)
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = 1';
    document.head.append(s);
    (setTimeout as unknown as (code: string, ms: number) => number)('window.__evalRan = 1', 0);
  });
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => [(window as unknown as { __inlineRan?: number }).__inlineRan, (window as unknown as { __evalRan?: number }).__evalRan])).toEqual([undefined, undefined]);
  await expect.poll(async () => (await watch.violations()).join('\n')).toMatch(/script-src-elem blocked \(inline\)|script-src.*inline/);
  await expect.poll(async () => (await watch.violations()).join('\n')).toMatch(/script-src blocked eval/);

  // the app's workers run under the policy too (sent with the worker's script)
  await expect(page.getByTestId('gpu-ok')).toContainText('kernel self-test passed', { timeout: 90_000 });
  const worker = page.workers().find((w) => /gpu\.worker/.test(w.url()));
  expect(worker, 'the GPU worker is running').toBeTruthy();
  await worker!.evaluate(() => (setTimeout as unknown as (code: string, ms: number) => number)('self.__evalRan = 1', 0));
  await page.waitForTimeout(300);
  expect(await worker!.evaluate(() => (self as unknown as { __evalRan?: number }).__evalRan)).toBeUndefined();
});

test('a tour of every view under the policy: zero violations, and with no teacher configured nothing leaves the origin', async ({ page }) => {
  test.setTimeout(600_000);
  const watch = await watchSecurity(page);
  const { foreign, all } = await recordForeignRequests(page);

  await page.goto('/#/graph');
  // the recorder itself: a request to another site is seen (and refused) …
  await page.evaluate(() => fetch('https://telemetry.example/collect').catch(() => null));
  expect(foreign).toEqual(['https://telemetry.example/collect']);
  foreign.length = 0;
  await expect(page.getByTestId('gpu-ok')).toContainText('kernel self-test passed', { timeout: 90_000 }); // WGSL kernels in a worker
  await expect(page.getByTestId('graph-ready')).toBeVisible({ timeout: 90_000 });
  await page.getByRole('searchbox', { name: 'Search entities' }).fill('asthma');
  await page.getByTestId('search-results').getByRole('button').first().click();
  await page.getByTestId('neighbour-groups').getByRole('button', { name: /^Expand is treated by/ }).click();
  await expect(page.getByTestId('explorer-canvas')).toHaveAttribute('data-layout', 'done', { timeout: 60_000 }); // layout worker

  await page.goto('/#/questions');
  const gen = page.getByTestId('generate-panel');
  await gen.getByLabel('Questions', { exact: true }).fill('12');
  await gen.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByTestId('generate-summary')).toContainText('12 questions saved', { timeout: 240_000 });
  await page.getByTestId('question-row').first().click();
  await expect(page.getByTestId('provenance-graph').locator('canvas').first()).toBeAttached();
  const [card] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /dataset card/i }).click()]);
  expect(readFileSync((await card.path())!, 'utf8')).toContain('multiple-choice questions');

  await page.goto('/#/trajectories');
  const run = page.getByTestId('run-panel');
  await run.getByLabel('Candidates (k)').fill('1');
  await run.getByRole('button', { name: /^Run on \d+ questions$/ }).click();
  await expect(page.getByTestId('run-summary')).toContainText('Done: 12 questions', { timeout: 180_000 });

  await page.goto('/#/train');
  await expect(page.getByRole('heading', { name: 'Train' })).toBeVisible();

  await page.goto('/#/learn');
  await expect(page.getByTestId('learn-view')).toBeVisible();
  // a micro model warmed up by a few SFT steps: training kernels on WebGPU in the training worker
  await page.getByLabel('Warm-up steps').fill('8');
  await page.getByRole('button', { name: 'Warm up and open' }).click();
  const sample = page.getByRole('button', { name: /^Sample \d+ completions$/ });
  await expect(sample).toBeEnabled({ timeout: 240_000 });
  await sample.click();
  await expect(page.getByTestId('completions')).toBeVisible({ timeout: 120_000 });

  await page.goto('/#/bench');
  await page.getByRole('button', { name: 'Run benchmark' }).click();
  await expect(page.getByTestId('bench-progress')).toContainText(/[1-9]\d*\/\d+/, { timeout: 180_000 }); // our kernels and tfjs-webgpu
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('bench-results')).toContainText('Cancelled', { timeout: 120_000 });

  await page.goto('/#/storage');
  await expect(page.getByRole('heading', { name: /Storage/ }).first()).toBeVisible();
  await page.goto('/#/about');
  await expect(page.getByTestId('network-statement')).toBeVisible();

  // a compressed import: xz is decoded by WebAssembly in the domain worker
  await page.goto('/#/graph');
  await expect(page.getByTestId('graph-ready')).toBeVisible({ timeout: 90_000 });
  await page.getByText(/^Graphs in this browser/).click();
  await page.getByLabel('Graph file').setInputFiles(fixture('mini-hetionet.json.xz'));
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByTestId('import-notice')).toContainText('8 nodes, 7 edges', { timeout: 60_000 });

  expect(await watch.violations()).toEqual([]);
  expect(watch.errors).toEqual([]);
  // … and so are requests made inside workers (the default graph is fetched by the domain worker)
  expect(all.some((u) => u.endsWith('/kg/default-graph.json.gz'))).toBe(true);
  expect(foreign, 'requests that left the origin').toEqual([]);
});

test('the transformers.js teacher (ONNX Runtime WebAssembly, in a worker) runs under the policy; only the hub is contacted', async ({ page }) => {
  test.setTimeout(300_000);
  const watch = await watchSecurity(page);
  const hub = await serveTinyModel(page, '<think> Axillary nerve supplies deltoid , so option one is right . </think> <answer> A </answer>');
  const { foreign } = await recordForeignRequests(page, (u) => u.hostname === 'huggingface.co');

  await page.goto('/#/questions');
  const imp = page.getByTestId('import-panel');
  await imp.locator('summary').click();
  await imp.getByLabel('Import format').selectOption('medqa');
  await imp.getByLabel('QA file').setInputFiles({ name: 'two.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(medqaLine('Which nerve supplies the deltoid?', { A: 'Axillary', B: 'Radial', C: 'Ulnar' }, 'A') + '\n' + medqaLine('Which nerve supplies the biceps?', { A: 'Musculocutaneous', B: 'Radial', C: 'Ulnar' }, 'A')) });
  await imp.getByRole('button', { name: 'Import' }).click();
  await expect(imp.getByRole('status')).toContainText('Imported 2 question(s)');

  await page.goto('/#/trajectories');
  const run = page.getByTestId('run-panel');
  await run.getByLabel('Teacher').selectOption('transformers');
  await run.getByLabel('Model id').fill('fleming/tiny-teacher');
  await run.getByLabel('Device').selectOption('wasm');
  await run.getByLabel('Candidates (k)').fill('1');
  await run.getByLabel('Refinement rounds').fill('0');
  await run.getByRole('button', { name: /^Run on \d+ questions?$/ }).click();
  await expect(page.getByTestId('run-summary').or(page.getByTestId('run-error'))).toBeVisible({ timeout: 240_000 });
  await expect(page.getByTestId('run-summary'), 'the run ended without an error').toContainText('Done: 2 questions', { timeout: 1000 });
  await expect(page.getByTestId('run-summary')).not.toContainText('failed teacher calls');
  expect(hub.some((p) => /onnx\/model(_[a-z0-9]+)?\.onnx$/.test(p)), hub.join(', ')).toBe(true);

  expect(await watch.violations()).toEqual([]);
  expect(foreign).toEqual([]);
});

test('names holding HTML and script show as text in the explorer, tables, inspector and exports, and never run', async ({ page }) => {
  test.setTimeout(300_000);
  const watch = await watchSecurity(page);
  await page.goto('/#/graph');
  await expect(page.getByTestId('graph-ready')).toBeVisible({ timeout: 90_000 });

  // a graph with hostile names, types and relations
  await page.getByText(/^Graphs in this browser/).click();
  await page.getByLabel('Graph file').setInputFiles({ name: 'hostile.tsv', mimeType: 'text/tab-separated-values', buffer: Buffer.from(hostileGraphTsv()) });
  await page.getByLabel('Format').selectOption('triples');
  await page.getByLabel('Graph name').fill(`Graph ${XSS_IMG}`);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByTestId('graph-name')).toHaveText(`Graph ${XSS_IMG}`, { timeout: 60_000 });
  await expect(page.getByTestId('graph-list')).toContainText(`Graph ${XSS_IMG}`);

  // search results and details show the names literally
  const search = page.getByRole('searchbox', { name: 'Search entities' });
  await search.fill('Disease');
  const results = page.getByTestId('search-results');
  await expect(results).toContainText(`Disease ${XSS_IMG}`);
  await expect(results).toContainText(`Disease ${XSS_SCRIPT}`);
  await results.getByRole('button', { name: new RegExp(`Disease ${XSS_IMG.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }).first().click();
  const details = page.getByTestId('node-details');
  await expect(details.getByRole('heading')).toContainText(`Disease ${XSS_IMG}`);
  await expect(details).toContainText(XSS_SCRIPT); // the relation and the target type
  // a relation named with markup is listed as text (relation ids show "_" as spaces)
  await expect(page.getByTestId('neighbour-groups')).toContainText('<img src=x onerror=window.');
  // the canvas list of nodes (cytoscape draws labels on a canvas; the accessible list is HTML)
  await expect(page.getByTestId('canvas-nodes')).toContainText(`Disease ${XSS_IMG}`);
  await expectNoXss(page);

  // questions from that graph, and imported questions with hostile text
  await page.goto('/#/questions');
  const gen = page.getByTestId('generate-panel');
  await gen.getByLabel('Questions', { exact: true }).fill('6');
  await gen.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByTestId('generate-summary')).toContainText('saved', { timeout: 180_000 });
  const imp = page.getByTestId('import-panel');
  await imp.locator('summary').click();
  await imp.getByLabel('Import format').selectOption('medqa');
  await imp.getByLabel('QA file').setInputFiles({ name: `evil ${XSS_IMG}.jsonl`, mimeType: 'application/jsonl', buffer: Buffer.from(hostileMedqa()) });
  await imp.getByRole('button', { name: 'Import' }).click();
  await expect(imp.getByRole('status')).toContainText('Imported 2 question(s)');
  await page.getByLabel('Filter text').fill('second item');
  const row = page.getByTestId('question-row').first();
  await expect(row).toContainText(`${XSS_SCRIPT} second item`);
  await row.click();
  await expect(page.getByTestId('detail-question')).toHaveText(`${XSS_SCRIPT} second item`);
  await expect(page.getByTestId('question-detail')).toContainText(XSS_IMG);
  await page.getByLabel('Filter text').fill('');
  await expectNoXss(page);

  // the dataset card keeps the text literal (escaped Markdown), the JSONL exactly as stored
  const [jsonl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'MedQA JSONL' }).click()]);
  const lines = readFileSync((await jsonl.path())!, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  expect(lines.map((l) => l.question)).toEqual(expect.arrayContaining([`Which is correct? ${XSS_IMG}`, `${XSS_SCRIPT} second item`]));
  const [card] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /dataset card/i }).click()]);
  const md = readFileSync((await card.path())!, 'utf8');
  expect(md).not.toMatch(/(^|[^\\])<(img|script|svg)\b/i);

  // trajectories: a teacher's output is untrusted text too. The transformers.js teacher (a tiny model served as
  // if from the hub) writes markup into its chain; the inspector shows it, and the hostile stem, as text.
  await serveTinyModel(page, '<think> Because <img src=x onerror=window.__xss=1> and <script>window.__xss=1</script> , pick first . </think> <answer> A </answer>');
  await page.goto('/#/trajectories');
  const run = page.getByTestId('run-panel');
  await run.getByLabel('Teacher').selectOption('transformers');
  await run.getByLabel('Model id').fill('fleming/tiny-teacher');
  await run.getByLabel('Device').selectOption('wasm');
  await run.getByLabel('Candidates (k)').fill('1');
  await run.getByLabel('Refinement rounds').fill('0');
  await run.getByRole('button', { name: /^Run on \d+ questions?$/ }).click();
  await expect(page.getByTestId('run-summary').or(page.getByTestId('run-error'))).toBeVisible({ timeout: 240_000 });
  await expect(page.getByTestId('run-summary')).toContainText('Done:', { timeout: 1000 });
  const inspector = page.getByTestId('inspector-row');
  await inspector.filter({ hasText: `${XSS_SCRIPT} second item` }).first().click();
  await expect(page.getByTestId('inspector-question')).toHaveText(`${XSS_SCRIPT} second item`);
  await expect(page.getByTestId('trajectory-text').first()).toContainText(`Because ${XSS_IMG} and ${XSS_SCRIPT}`);
  await expectNoXss(page);

  // and back in the explorer after a reload, the stored graph still shows text
  await page.goto('/#/graph');
  await page.reload();
  await expect(page.getByTestId('graph-name')).toHaveText(`Graph ${XSS_IMG}`, { timeout: 90_000 });
  await expectNoXss(page);
  expect(await watch.violations()).toEqual([]);
});

test('a failed import — graph or questions, bad encoding, truncated, damaged — leaves every store unchanged', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/#/graph');
  await expect(page.getByTestId('graph-ready')).toBeVisible({ timeout: 90_000 });
  // something in the stores first, so "unchanged" is not "empty"
  await page.goto('/#/questions');
  const imp = page.getByTestId('import-panel');
  await imp.locator('summary').click();
  await imp.getByLabel('Import format').selectOption('medqa');
  await imp.getByLabel('QA file').setInputFiles({ name: 'one.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(medqaLine('Which nerve supplies the deltoid?', { A: 'Axillary', B: 'Radial', C: 'Ulnar' }, 'A')) });
  await imp.getByRole('button', { name: 'Import' }).click();
  await expect(imp.getByRole('status')).toContainText('Imported 1 question(s)');
  const before = await snapshotDb(page);
  expect(Object.keys(before).length).toBeGreaterThan(2);

  // questions: Latin-1 (refused by encoding), a truncated file (bad last row), a file with one bad row among good ones
  const latin = Buffer.from(medqaLine('Quelle est la réponse ?', { A: 'première', B: 'deuxième' }, 'A'), 'latin1');
  await imp.getByLabel('QA file').setInputFiles({ name: 'latin1.jsonl', mimeType: 'application/jsonl', buffer: latin });
  await imp.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByTestId('qa-import-error')).toContainText('latin1.jsonl: line 1: bytes that are not UTF-8 text');
  await expect(page.getByTestId('qa-import-error')).toContainText('Latin-1');
  const good = medqaLine('Which nerve supplies the biceps?', { A: 'Musculocutaneous', B: 'Radial' }, 'A');
  await imp.getByLabel('QA file').setInputFiles({ name: 'cut.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(`${good}\n${good.slice(0, 40)}`) });
  await imp.getByRole('button', { name: 'Import' }).click();
  await expect(imp.getByRole('alert')).toContainText('line 2: invalid json');
  await expect(imp.getByRole('alert')).toContainText('nothing was imported');
  expect(await snapshotDb(page)).toEqual(before);

  // a UTF-16 file (Excel's "Unicode text") imports
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${good}\n`, 'utf16le')]);
  await imp.getByLabel('QA file').setInputFiles({ name: 'excel-utf16.jsonl', mimeType: 'application/jsonl', buffer: utf16 });
  await imp.getByRole('button', { name: 'Import' }).click();
  await expect(imp.getByRole('status')).toContainText('Imported 1 question(s)');
  const withUtf16 = await snapshotDb(page);
  expect(withUtf16.questions).not.toEqual(before.questions);

  // graphs: truncated gzip, a PrimeKG file cut mid-row, Latin-1 triples, a 2 MB field
  await page.goto('/#/graph');
  await expect(page.getByTestId('graph-ready')).toBeVisible({ timeout: 90_000 });
  await page.getByText(/^Graphs in this browser/).click();
  const bad: Array<{ name: string; format: string; buffer: Buffer; message: RegExp }> = [
    { name: 'cut.json.xz', format: 'hetionet', buffer: readFileSync(fixture('mini-hetionet.json.xz')).subarray(0, 300), message: /^cut\.json\.xz: xz stream: cannot decompress/ },
    { name: 'kg.csv', format: 'primekg', buffer: Buffer.from(readFileSync(fixture('mini-primekg.csv'), 'utf8').slice(0, 400)), message: /^kg\.csv: line \d+: / },
    { name: 'latin.tsv', format: 'triples', buffer: Buffer.from('head\trelation\ttail\nMénière\tpresents\tvertige\n', 'latin1'), message: /^latin\.tsv: line 2: bytes that are not UTF-8 text.*Latin-1/ },
    { name: 'wide.tsv', format: 'triples', buffer: Buffer.from(`a\tr\t${'x'.repeat(2_000_000)}\n`), message: /^wide\.tsv: line 1: a single record longer than 1024 KiB/ },
  ];
  for (const b of bad) {
    await page.getByLabel('Graph file').setInputFiles({ name: b.name, mimeType: 'application/octet-stream', buffer: b.buffer });
    await page.getByLabel('Format').selectOption(b.format);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(page.getByTestId('import-error')).toHaveText(b.message, { timeout: 60_000 });
  }
  expect(await snapshotDb(page)).toEqual(withUtf16);

  // and a PrimeKG file saved as UTF-16 (with a BOM) is recognised as PrimeKG and imports whole
  const primekg16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(readFileSync(fixture('mini-primekg.csv'), 'utf8'), 'utf16le')]);
  await page.getByLabel('Graph file').setInputFiles({ name: 'excel-export.csv', mimeType: 'text/csv', buffer: primekg16 });
  await expect(page.getByLabel('Format')).toHaveValue('primekg');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByTestId('node-count')).toHaveText('7', { timeout: 60_000 });
});
