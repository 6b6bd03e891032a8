/** Minimal TSV reading: gzip by magic bytes, optional "quoted" fields, header row. */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export function readText(path: string): string {
  const buf = readFileSync(path);
  const raw = buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b ? gunzipSync(buf) : buf;
  return raw.toString('utf8');
}

/** Strip one level of surrounding double quotes ("" inside becomes "). */
export function unquote(field: string): string {
  const f = field.trim();
  if (f.length >= 2 && f.startsWith('"') && f.endsWith('"')) return f.slice(1, -1).replace(/""/g, '"');
  return f;
}

/** Parse TSV text: one record per line (fields never contain tabs/newlines in our sources). */
export function parseTsv(text: string): Record<string, string>[] {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split('\t').map((h) => unquote(h).replace(/^\?/, ''));
  const out: Record<string, string>[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const cells = line.split('\t');
    const row: Record<string, string> = {};
    header.forEach((h, j) => {
      row[h] = unquote(cells[j] ?? '');
    });
    out.push(row);
  }
  return out;
}

export function readTsv(path: string): Record<string, string>[] {
  return parseTsv(readText(path));
}

/** Get a required column value ('' when missing). */
export function col(row: Record<string, string>, name: string): string {
  return row[name] ?? '';
}
