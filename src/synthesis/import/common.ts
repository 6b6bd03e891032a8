/**
 * What every public-QA importer shares: the problem report (by line), and turning one
 * parsed row into a question record. A public benchmark row is checked only for broken
 * input (a missing question, no or empty options, an answer that is not one of the
 * options, two options with exactly the same text); the filters for machine-written
 * text (placeholder words, duplicate options after folding punctuation) are not applied:
 * "null hypothesis" is real text, and "↓ ↓ ↓" vs "↓ ↑ ↑" are different options. The
 * question and option texts are stored exactly as the file has them.
 */
import { heuristicTier } from '../difficulty';
import { optionLetters, type QuestionRecord } from '../record';
import { hash64 } from '../text';

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
  | 'duplicate_id'
  | 'too_long';

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
/**
 * Longest question or option text imported. Real items are far shorter (a MedQA vignette
 * ~5,000 characters, a PubMedQA stem with its abstract ~20,000); a longer field is a
 * damaged row, and one of many megabytes would freeze every view that shows it.
 */
export const MAX_FIELD_CHARS = 100_000;

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
    const question = row.question;
    if (row.options.length === 0) return p('missing_options', 'no options');
    const options = row.options.map((o) => (typeof o === 'number' ? String(o) : o));
    const emptyAt = options.findIndex((o) => typeof o !== 'string' || o.trim() === '');
    if (emptyAt >= 0) return p('missing_options', `option ${optionLetters(MAX_OPTIONS)[emptyAt] ?? emptyAt + 1} is empty`);
    const texts = options as string[];
    if (texts.length < MIN_OPTIONS) return p('too_few_options', `${texts.length} option; at least ${MIN_OPTIONS} are needed`);
    if (texts.length > MAX_OPTIONS) return p('too_many_options', `${texts.length} options; at most ${MAX_OPTIONS} are supported`);
    const letters = optionLetters(texts.length);
    const long = [question, ...texts].findIndex((t) => t.length > MAX_FIELD_CHARS);
    if (long >= 0) {
      const what = long === 0 ? 'the question' : `option ${letters[long - 1]}`;
      return p('too_long', `${what} is ${[question, ...texts][long]!.length.toLocaleString('en')} characters long; at most ${MAX_FIELD_CHARS.toLocaleString('en')} are imported (the row is damaged, or not a question)`);
    }
    const dup = firstDuplicate(texts);
    if (dup) return p('duplicate_options', `options ${letters[dup[0]]} and ${letters[dup[1]]} have the same text ("${texts[dup[0]]!.trim().slice(0, 60)}")`);
    if (row.answerIndex === null || !Number.isInteger(row.answerIndex) || row.answerIndex < 0 || row.answerIndex >= texts.length) {
      return p('bad_answer', `the correct option is missing or not one of the ${texts.length} options`);
    }
    const answer = texts[row.answerIndex]!;
    // case is not compared here: the letter decides, the stated text only has to name the same option
    if (row.answerText !== undefined && row.answerText !== null && sameText(String(row.answerText)).toLowerCase() !== sameText(answer).toLowerCase()) {
      return p('answer_mismatch', `answer "${String(row.answerText).slice(0, 60)}" is not option ${letters[row.answerIndex]} ("${answer.slice(0, 60)}")`);
    }
    const ownId = row.sourceId !== undefined && row.sourceId !== null && String(row.sourceId).trim() !== '' ? String(row.sourceId).trim() : null;
    let id = `${row.source}-${ownId ?? hash64(`${question}|${texts.join('|')}`)}`;
    if (this.ids.has(id)) {
      // the source's own id repeated is a broken file; a row repeated word for word (no id) is still a row of the file
      if (ownId !== null) return p('duplicate_id', `id ${ownId} appears earlier in the file`);
      id = `${id}-l${row.line}`;
    }
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

/**
 * The form in which two texts count as the same: Unicode-normalised (NFC), surrounding
 * and repeated whitespace ignored, nothing else folded — symbols, case and punctuation
 * all count ("↓ ↓ ↓" ≠ "↓ ↑ ↑", "Na+" ≠ "Na-").
 */
export function sameText(s: string): string {
  return s.normalize('NFC').trim().replace(/\s+/g, ' ');
}

/** the first pair of options with the same text (by `sameText`), or null */
function firstDuplicate(texts: string[]): [number, number] | null {
  const seen = new Map<string, number>();
  for (let i = 0; i < texts.length; i++) {
    const k = sameText(texts[i]!);
    const j = seen.get(k);
    if (j !== undefined) return [j, i];
    seen.set(k, i);
  }
  return null;
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
