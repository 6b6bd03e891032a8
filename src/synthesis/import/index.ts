/**
 * Public-QA import: one entry point over the four formats. A file with bad rows imports
 * nothing unless the caller agrees to skip them (`skipBad`), so a half-imported file is
 * never possible; the report names each bad row by line and reason.
 */
import type { QuestionRecord } from '../record';
import { QA_FORMATS, type ImportProblem, type ProblemReason, type QaFormat } from './common';
import { parseMedmcqa } from './medmcqa';
import { parseMedqa } from './medqa';
import { parseMmlu } from './mmlu';
import { parsePubmedqa } from './pubmedqa';

export { QA_FORMATS, type ImportProblem, type QaFormat };

export interface ImportOptions {
  /** import the good rows and skip the bad ones (the user agreed); default false: all or nothing */
  skipBad?: boolean;
  /** MedMCQA: 0 when cop counts from 0 (default), 1 for the original 1-based dump */
  copBase?: 0 | 1;
  /** MMLU: subject stored with each item (e.g. the file name "anatomy") */
  subject?: string;
}

export interface ImportResult {
  /** false when bad rows were found and skipBad was not given: `records` is then empty */
  ok: boolean;
  records: QuestionRecord[];
  problems: ImportProblem[];
  skipped: Partial<Record<ProblemReason, number>>;
  /** rows read, good and bad */
  rows: number;
}

export function isQaFormat(x: string): x is QaFormat {
  return (QA_FORMATS as readonly string[]).includes(x);
}

export function importQa(format: QaFormat, text: string, opts: ImportOptions = {}): ImportResult {
  const parsed =
    format === 'medqa' ? parseMedqa(text) : format === 'medmcqa' ? parseMedmcqa(text, { copBase: opts.copBase ?? 0 }) : format === 'pubmedqa' ? parsePubmedqa(text) : parseMmlu(text, opts.subject);
  const skipped: Partial<Record<ProblemReason, number>> = {};
  for (const p of parsed.problems) skipped[p.reason] = (skipped[p.reason] ?? 0) + 1;
  parsed.problems.sort((a, b) => a.line - b.line);
  const rows = parsed.records.length + parsed.problems.length;
  if (rows === 0) {
    return { ok: false, records: [], problems: [{ line: 1, reason: 'missing_question', message: `no ${format} rows found in the file` }], skipped: { missing_question: 1 }, rows };
  }
  const ok = parsed.problems.length === 0 || opts.skipBad === true;
  return { ok, records: ok ? parsed.records : [], problems: parsed.problems, skipped, rows };
}

export function formatProblems(file: string, problems: ImportProblem[], limit = 50): string {
  const lines = problems.slice(0, limit).map((p) => `${file}:${p.line}: ${p.reason}: ${p.message}`);
  if (problems.length > limit) lines.push(`… and ${problems.length - limit} more`);
  return lines.join('\n');
}
