/**
 * MMLU-style CSV: question, option A, B, C, D (or more), answer letter; no header in
 * the original files (a header row "question,A,B,C,D,answer" is recognised and
 * skipped). Quoted fields may hold commas, quotes and line breaks (RFC 4180, parsed by
 * papaparse); rows are reported by the line they start on.
 */
import Papa from 'papaparse';
import { letterIndex, RowCollector, stripBom, type ParsedRows } from './common';

export function parseMmlu(text: string, subject?: string): ParsedRows {
  const rows = new RowCollector();
  const body = stripBom(text);
  const lineStarts: number[] = [];
  let cursor = 0;
  // papaparse reports a byte cursor after each row: turn it into the row's first line
  const lineAt = lineCounter(body);
  Papa.parse<string[]>(body, {
    skipEmptyLines: 'greedy',
    step: (res) => {
      const start = cursor;
      cursor = res.meta.cursor;
      const line = lineAt(skipNewlines(body, start));
      lineStarts.push(line);
      // texts are kept exactly as in the file; only the header test and the answer letter ignore spaces
      const fields = res.data;
      const err = res.errors[0];
      if (err) return rows.problem(line, 'invalid_csv', `${err.message}${err.code ? ` (${err.code})` : ''}`);
      if (lineStarts.length === 1 && /^\s*answer\s*$/i.test(fields[fields.length - 1] ?? '') && /^\s*question\s*$/i.test(fields[0] ?? '')) return; // header row
      if (fields.length < 4) return rows.problem(line, 'too_few_options', `expected question, options and answer letter; got ${fields.length} fields`);
      const [question, ...rest] = fields;
      const answer = rest.pop();
      rows.add({
        line,
        source: 'mmlu',
        type: 'exam',
        question,
        options: rest,
        answerIndex: letterIndex(answer),
        ...(subject ? { meta: { subject } } : {}),
      });
    },
  });
  return rows.result();
}

function skipNewlines(s: string, i: number): number {
  while (i < s.length && (s[i] === '\n' || s[i] === '\r')) i++;
  return i;
}

/** offset → 1-based line, for increasing offsets, in O(total length) */
function lineCounter(s: string): (offset: number) => number {
  let pos = 0;
  let line = 1;
  return (offset) => {
    for (; pos < offset && pos < s.length; pos++) if (s[pos] === '\n') line++;
    return line;
  };
}
