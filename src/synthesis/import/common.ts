/**
 * What every public-QA importer shares: the problem report (by line), and turning one
 * parsed row into a question record after the same format checks the synthetic items
 * pass (enough options, no duplicates, an answer that is one of them, clean text).
 */
import { heuristicTier } from '../difficulty';
import { optionLetters, type QuestionRecord } from '../record';
import { hash64, malformation, normalizeText } from '../text';

export const QA_FORMATS = ['medqa', 'medmcqa', 'pubmedqa', 'mmlu'] as const;
export type QaFormat = (typeof QA_FORMATS)[number];

export type ProblemReason =
  | 'invalid_json'
  | 'invalid_csv'
  | 'not_an_object'
  | 'missing_question'
  | 'missing_options'
  | 'too_few_options'
  | 'too_many_options'
  | 'bad_answer'
  | 'answer_mismatch'
  | 'duplicate_options'
  | 'malformed_text'
  | 'duplicate_id';

export interface ImportProblem {
  /** 1-based line of the file where the bad row starts */
  line: number;
  reason: ProblemReason;
  message: string;
}

export interface ParsedRows {
  records: QuestionRecord[];
  problems: ImportProblem[];
}

export interface RowInput {
  line: number;
  source: QuestionRecord['source'];
  type: string;
  /** the source's own id, when it has one */
  sourceId?: string | number | null;
  question: unknown;
  options: unknown[];
  /** 0-based index of the correct option */
  answerIndex: number | null;
  /** the answer text the row states, if it states one (checked against the option) */
  answerText?: unknown;
  meta?: Record<string, unknown>;
}

export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 10;

export class RowCollector {
  readonly records: QuestionRecord[] = [];
  readonly problems: ImportProblem[] = [];
  private readonly ids = new Set<string>();

  problem(line: number, reason: ProblemReason, message: string): void {
    this.problems.push({ line, reason, message });
  }

  add(row: RowInput): void {
    const p = (reason: ProblemReason, message: string) => this.problem(row.line, reason, message);
    if (typeof row.question !== 'string' || row.question.trim() === '') return p('missing_question', 'no question text');
    const question = row.question.trim();
    if (row.options.length === 0) return p('missing_options', 'no options');
    const options = row.options.map((o) => (typeof o === 'number' ? String(o) : o));
    const emptyAt = options.findIndex((o) => typeof o !== 'string' || o.trim() === '');
    if (emptyAt >= 0) return p('missing_options', `option ${optionLetters(MAX_OPTIONS)[emptyAt] ?? emptyAt + 1} is empty`);
    const texts = (options as string[]).map((o) => o.trim());
    if (texts.length < MIN_OPTIONS) return p('too_few_options', `${texts.length} option; at least ${MIN_OPTIONS} are needed`);
    if (texts.length > MAX_OPTIONS) return p('too_many_options', `${texts.length} options; at most ${MAX_OPTIONS} are supported`);
    const bad = [question, ...texts].map(malformation).find((m) => m !== null);
    if (bad) return p('malformed_text', bad);
    if (new Set(texts.map(normalizeText)).size !== texts.length) return p('duplicate_options', 'two options have the same text');
    if (row.answerIndex === null || !Number.isInteger(row.answerIndex) || row.answerIndex < 0 || row.answerIndex >= texts.length) {
      return p('bad_answer', `the correct option is missing or not one of the ${texts.length} options`);
    }
    const letters = optionLetters(texts.length);
    const answer = texts[row.answerIndex]!;
    if (row.answerText !== undefined && row.answerText !== null && normalizeText(String(row.answerText)) !== normalizeText(answer)) {
      return p('answer_mismatch', `answer "${String(row.answerText).slice(0, 60)}" is not option ${letters[row.answerIndex]} ("${answer.slice(0, 60)}")`);
    }
    const idPart = row.sourceId !== undefined && row.sourceId !== null && String(row.sourceId).trim() !== '' ? String(row.sourceId).trim() : hash64(`${question}|${texts.join('|')}`);
    const id = `${row.source}-${idPart}`;
    if (this.ids.has(id)) return p('duplicate_id', `id ${idPart} appears earlier in the file`);
    this.ids.add(id);
    const optionsRecord: Record<string, string> = {};
    letters.forEach((l, i) => (optionsRecord[l] = texts[i]!));
    this.records.push({
      id,
      question,
      options: optionsRecord,
      answer_idx: letters[row.answerIndex]!,
      answer,
      difficulty: heuristicTier(question, texts.length),
      type: row.type,
      source: row.source,
      status: 'pending',
      ...(row.meta && Object.keys(row.meta).length ? { meta: row.meta } : {}),
    });
  }

  result(): ParsedRows {
    return { records: this.records, problems: this.problems };
  }
}

/** Split a JSON-lines text into (line number, parsed value | error) pairs, skipping blank lines. */
export function* jsonLines(text: string): Generator<{ line: number; value: unknown } | { line: number; error: string }> {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '') continue;
    try {
      yield { line: i + 1, value: JSON.parse(raw) };
    } catch (e) {
      yield { line: i + 1, error: (e as Error).message };
    }
  }
}

/** The objects of a JSON-lines file with their line numbers; lines that are not JSON objects are reported to `rows`. */
export function* objectLines(text: string, rows: RowCollector): Generator<{ line: number; o: Record<string, unknown> }> {
  for (const item of jsonLines(stripBom(text))) {
    if ('error' in item) rows.problem(item.line, 'invalid_json', `not valid JSON (${item.error})`);
    else if (!isObject(item.value)) rows.problem(item.line, 'not_an_object', 'expected one JSON object per line');
    else yield { line: item.line, o: item.value };
  }
}

export const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** "B" → 1; also accepts lower case; null when not a letter A–J */
export function letterIndex(x: unknown): number | null {
  if (typeof x !== 'string') return null;
  const s = x.trim().toUpperCase();
  return s.length === 1 && s >= 'A' && s <= 'J' ? s.charCodeAt(0) - 65 : null;
}

/** strip a UTF-8 byte-order mark */
export const stripBom = (s: string) => (s.charCodeAt(0) === 0xfeff ? s.slice(1) : s);
