/**
 * Streaming CSV/TSV records (RFC 4180 quoting: quoted fields may hold the delimiter,
 * doubled quotes and newlines). Text arrives in arbitrary pieces; each complete record
 * is handed on with the line it starts on, so errors can name it. A record longer than
 * maxRecordChars is refused instead of buffered: a file with no line breaks (or an
 * unclosed quote) must not eat memory.
 */
import { GraphFileError } from '../graph-file-error';
import type { TextChunkSink } from './read-text';

export type RecordHandler = (fields: string[], line: number) => void;

export const MAX_RECORD_CHARS = 1 << 20;

/** The first fields of a record, each cut short, for a message: a message must never carry a whole (possibly huge) line. */
export function fieldsForMessage(fields: readonly string[], maxFields = 20, maxChars = 40): string {
  const shown = fields.slice(0, maxFields).map((f) => (f.length > maxChars ? `${f.slice(0, maxChars)}…` : f));
  return shown.join(', ') + (fields.length > maxFields ? `, … (${fields.length} fields)` : '');
}

export class DelimitedReader implements TextChunkSink {
  private pending = '';
  private lineNo = 1;
  private records = 0;
  private delimiter: string | null;

  constructor(
    private readonly file: string,
    private readonly onRecord: RecordHandler,
    delimiter: ',' | '\t' | 'auto' = 'auto',
    private readonly maxRecordChars = MAX_RECORD_CHARS,
  ) {
    this.delimiter = delimiter === 'auto' ? null : delimiter;
  }

  get line(): number {
    return this.lineNo;
  }

  get rows(): number {
    return this.records;
  }

  /** The delimiter in use (decided from the first line when 'auto'). */
  get separator(): string | null {
    return this.delimiter;
  }

  push(text: string): void {
    this.pending = this.pending.length === 0 ? text : this.pending + text;
    let start = 0;
    const s = this.pending;
    // next quote at or after `start` (searched once per quote, not once per line)
    let quote = -2;
    for (;;) {
      const nl = s.indexOf('\n', start);
      if (nl < 0) break;
      const lineEnd = nl > start && s.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      if (this.delimiter === null) this.delimiter = s.slice(start, lineEnd).includes('\t') ? '\t' : ',';
      if (quote !== -1 && quote < start) quote = s.indexOf('"', start);
      if (quote < 0 || quote > nl) {
        // fast path: no quotes on this line
        if (lineEnd - start > this.maxRecordChars) this.tooLong(lineEnd - start);
        this.emit(s.slice(start, lineEnd).split(this.delimiter), this.lineNo);
        this.lineNo++;
        start = nl + 1;
        continue;
      }
      const parsed = this.parseQuoted(s, start, false);
      if (!parsed) break; // the quoted record continues past the text we have
      if (parsed.next - start > this.maxRecordChars) this.tooLong(parsed.next - start);
      this.emit(parsed.fields, this.lineNo);
      this.lineNo += parsed.lines;
      start = parsed.next;
    }
    this.pending = start === 0 ? s : s.slice(start);
    if (this.pending.length > this.maxRecordChars) {
      throw new GraphFileError(
        this.file,
        `line ${this.lineNo}`,
        `a single record longer than ${Math.round(this.maxRecordChars / 1024)} KiB without a line end: not a line-oriented CSV/TSV file, or a quote is never closed`,
      );
    }
  }

  /** A complete record over the limit: refused whatever the slicing, so the limit does not depend on chunk sizes. */
  private tooLong(chars: number): never {
    throw new GraphFileError(this.file, `line ${this.lineNo}`, `a single record longer than ${Math.round(this.maxRecordChars / 1024)} KiB (${(chars / 1048576).toFixed(1)} MiB): a field this long is not graph data`);
  }

  end(): void {
    const s = this.pending;
    this.pending = '';
    if (s.length === 0 || /^[\r\n]*$/.test(s)) return;
    if (this.delimiter === null) this.delimiter = s.includes('\t') ? '\t' : ',';
    const parsed = this.parseQuoted(s + '\n', 0, true);
    if (!parsed) throw new GraphFileError(this.file, `line ${this.lineNo}`, 'the file ends inside a quoted field: it is truncated');
    this.emit(parsed.fields, this.lineNo);
  }

  private emit(fields: string[], line: number): void {
    // a blank line carries no record
    if (fields.length === 1 && fields[0]!.trim() === '') return;
    this.records++;
    this.onRecord(fields, line);
  }

  /** One record starting at `start`, quotes honoured; null when it needs more text. */
  private parseQuoted(s: string, start: number, atEnd: boolean): { fields: string[]; next: number; lines: number } | null {
    const d = this.delimiter!;
    const fields: string[] = [];
    let field = '';
    let i = start;
    let lines = 1;
    let quoted = false;
    while (i < s.length) {
      const c = s[i]!;
      if (quoted) {
        if (c === '"') {
          if (s[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          if (i + 1 >= s.length && !atEnd) return null;
          quoted = false;
          i++;
          continue;
        }
        if (c === '\n') lines++;
        field += c;
        i++;
        continue;
      }
      if (c === '"' && field.length === 0) {
        quoted = true;
        i++;
      } else if (c === d) {
        fields.push(field);
        field = '';
        i++;
      } else if (c === '\n') {
        if (field.endsWith('\r')) field = field.slice(0, -1);
        fields.push(field);
        return { fields, next: i + 1, lines };
      } else {
        field += c;
        i++;
      }
    }
    return null;
  }
}
