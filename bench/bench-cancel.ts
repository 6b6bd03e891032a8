/**
 * `npx tsx bench/bench-cancel.ts`: how long the Bench view's Cancel takes to act, measured
 * in headless Chromium against the built app: Cancel is pressed while a case is running
 * (quick run: the first training-shape matmul; full run: the 2,048-token logits matmul,
 * the longest GPU call of the suite) and the time until the partial results show is read
 * from the page. Writes bench/results/bench-cancel.json.
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import type { Page } from 'playwright';
import { root, runMain, withBuiltApp } from './built-app';

async function cancelDuring(page: Page, url: string, quick: boolean, caseName: RegExp): Promise<{ case: string; cancelToResultsMs: number; reportedMs: number | null; keptCases: number }> {
  await page.goto(`${url}#/bench`);
  const box = page.getByRole('checkbox', { name: /^quick: small shapes/ });
  if ((await box.isChecked()) !== quick) await box.click();
  await page.getByRole('button', { name: 'Run benchmark' }).click();
  const progress = page.getByTestId('bench-progress');
  await progress.filter({ hasText: caseName }).waitFor({ timeout: 900_000 });
  const running = (await progress.innerText()).replace(/^.*running /s, '').trim();
  // let the case get into its timing loop
  await page.waitForTimeout(quick ? 300 : 2000);
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Cancel' }).click();
  const cancelled = page.getByTestId('bench-cancelled');
  await cancelled.waitFor({ timeout: 600_000 });
  const wall = Date.now() - t0;
  const reported = await cancelled.getAttribute('data-cancel-ms');
  const keptCases = await page.getByTestId('bench-results').locator('tbody tr').count();
  return { case: running, cancelToResultsMs: wall, reportedMs: reported ? Number(reported) : null, keptCases };
}

async function main() {
  await withBuiltApp({ port: 4183 }, async (url, browser) => {
    const page = await (await browser.newContext()).newPage();
    const quick = await cancelDuring(page, url, true, /running matmul qkv/);
    const full = await cancelDuring(page, url, false, /running matmul logits 2048/);
    const out = {
      benchmark: 'bench-view-cancel-latency',
      date: new Date().toISOString(),
      machine: { cpu: cpus()[0]?.model.trim(), cores: cpus().length, adapter: 'SwiftShader (headless Chromium)' },
      method: 'Cancel pressed while the named case runs; time from the click to the partial results on screen (wall clock from Playwright, and as the page measured it)',
      before: 'about 11 s in the report that opened issue 12 (quick run still used 2,048-token shapes; cancel was checked only between repetitions)',
      quick,
      full,
    };
    writeFileSync(resolve(root, 'bench/results/bench-cancel.json'), JSON.stringify(out, null, 2) + '\n');
    console.log(JSON.stringify(out, null, 2));
  });
}

runMain(main);
