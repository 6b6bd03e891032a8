/**
 * The dev server pre-bundles dependencies by crawling DEP_SCAN_ENTRIES (vite.config.ts).
 * A Web Worker is an entry the crawler does not reach from index.html, so a worker file
 * outside those globs would have its dependencies discovered on first use — and the dev
 * server would reload the page mid-run (e2e/dev-server.spec.ts shows that end to end).
 * This keeps every `new Worker(new URL(…))` in the source inside the globs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEP_SCAN_ENTRIES } from '../../vite.config';

const root = resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sourceFiles(p);
    return /\.(ts|tsx)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

/** glob → RegExp for the patterns used there: `**` any directories, `*` within a name */
function globRegExp(glob: string): RegExp {
  const re = glob
    .split('/')
    .map((part) => (part === '**' ? '(?:.*/)?' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*') + '/'))
    .join('')
    .replace(/\/$/, '')
    .replace(/\(\?:\.\*\/\)\?\//g, '(?:.*/)?');
  return new RegExp(`^${re}$`);
}

describe('dev-server dependency scan', () => {
  it('covers every Web Worker entry in the source', () => {
    const patterns = DEP_SCAN_ENTRIES.map(globRegExp);
    const workers: string[] = [];
    for (const file of [...sourceFiles(join(root, 'src')), ...sourceFiles(join(root, 'workers'))]) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/new\s+(?:Shared)?Worker\(\s*new URL\(\s*['"]([^'"]+)['"]/g)) {
        workers.push(relative(root, resolve(dirname(file), m[1]!)).split('\\').join('/'));
      }
    }
    expect(workers.length).toBeGreaterThanOrEqual(4); // domain, gpu, gpu-bench, graph-layout at least
    const uncovered = workers.filter((w) => !patterns.some((p) => p.test(w)));
    expect(uncovered).toEqual([]);
  });

  it('the glob reading is right', () => {
    expect(globRegExp('workers/*.worker.ts').test('workers/domain.worker.ts')).toBe(true);
    expect(globRegExp('workers/*.worker.ts').test('workers/training/x.worker.ts')).toBe(false);
    expect(globRegExp('src/**/*.worker.ts').test('src/a/b/x.worker.ts')).toBe(true);
    expect(globRegExp('src/**/*.worker.ts').test('src/x.worker.ts')).toBe(true);
  });
});
