/**
 * A streaming splitter for one large JSON object whose big members are arrays of small
 * records (Hetionet: {"nodes": [...], "edges": [...]}): it finds where each record
 * begins and ends — tracking strings and bracket depth, nothing more — and hands its
 * text to JSON.parse. Parsing each small record natively is about ten times faster
 * than a token-by-token streaming parser, and the line each record starts on is known
 * for messages. Malformed records are caught by JSON.parse; malformed structure here.
 */
export interface JsonElementHandlers {
  /** an element of one of the split arrays, with the line it starts on */
  element(key: string, text: string, line: number): void;
  /** any other top-level member, whole */
  member(key: string, text: string, line: number): void;
  fail(line: number, cause: string): never;
}

type State = 'start' | 'key' | 'colon' | 'value' | 'afterValue' | 'arrayStart' | 'element' | 'afterElement' | 'done';

export class JsonElementStream {
  private buf = '';
  private pos = 0;
  private lineNo = 1;
  private state: State = 'start';
  private key = '';

  constructor(
    private readonly arrayKeys: ReadonlySet<string>,
    private readonly h: JsonElementHandlers,
    private readonly maxRecordChars: number,
  ) {}

  get line(): number {
    return this.lineNo;
  }

  push(text: string): void {
    this.buf = this.pos < this.buf.length ? this.buf.slice(this.pos) + text : text;
    this.pos = 0;
    this.run();
  }

  end(): void {
    this.run();
    this.skipWs();
    if (this.state !== 'done') this.h.fail(this.lineNo, 'the JSON ends before its closing brackets: the file is truncated');
  }

  private skipWs(): void {
    const s = this.buf;
    let p = this.pos;
    for (; p < s.length; p++) {
      const c = s.charCodeAt(p);
      if (c === 10) this.lineNo++;
      else if (c !== 32 && c !== 9 && c !== 13) break;
    }
    this.pos = p;
  }

  private consume(to: number): void {
    const s = this.buf;
    for (let i = s.indexOf('\n', this.pos); i >= 0 && i < to; i = s.indexOf('\n', i + 1)) this.lineNo++;
    this.pos = to;
  }

  private unexpected(what: string): never {
    const found = this.buf.slice(this.pos, this.pos + 20);
    return this.h.fail(this.lineNo, `not valid JSON (expected ${what}, found ${JSON.stringify(found)})`);
  }

  /** End of the value starting at pos, or -1 when the buffer ends first (and it is not too long). */
  private valueEnd(): number {
    const end = valueEnd(this.buf, this.pos);
    if (end < 0 && this.buf.length - this.pos > this.maxRecordChars) {
      const size = this.maxRecordChars >= 1 << 20 ? `${this.maxRecordChars >> 20} MiB` : `${this.maxRecordChars} characters`;
      this.h.fail(this.lineNo, `no complete node or edge object within ${size}: a record this large is not Hetionet data (or the file is damaged)`);
    }
    return end;
  }

  private run(): void {
    for (;;) {
      this.skipWs();
      if (this.pos >= this.buf.length) return;
      const c = this.buf[this.pos]!;
      switch (this.state) {
        case 'start':
          if (c !== '{') this.h.fail(this.lineNo, `expected a JSON object with "nodes" and "edges", found ${JSON.stringify(c)}`);
          this.pos++;
          this.state = 'key';
          break;
        case 'key': {
          if (c === '}') {
            this.pos++;
            this.state = 'done';
            break;
          }
          if (c !== '"') this.unexpected('a member name');
          const end = stringEnd(this.buf, this.pos);
          if (end < 0) return;
          this.key = JSON.parse(this.buf.slice(this.pos, end)) as string;
          this.consume(end);
          this.state = 'colon';
          break;
        }
        case 'colon':
          if (c !== ':') this.unexpected('":"');
          this.pos++;
          this.state = 'value';
          break;
        case 'value': {
          if (c === '[' && this.arrayKeys.has(this.key)) {
            this.pos++;
            this.state = 'arrayStart';
            break;
          }
          const end = this.valueEnd();
          if (end < 0) return;
          const line = this.lineNo;
          const text = this.buf.slice(this.pos, end);
          this.consume(end);
          this.h.member(this.key, text, line);
          this.state = 'afterValue';
          break;
        }
        case 'afterValue':
          if (c === ',') this.state = 'key';
          else if (c === '}') this.state = 'done';
          else this.unexpected('"," or "}"');
          this.pos++;
          break;
        case 'arrayStart':
          if (c === ']') {
            this.pos++;
            this.state = 'afterValue';
          } else this.state = 'element';
          break;
        case 'element': {
          const end = this.valueEnd();
          if (end < 0) return;
          const line = this.lineNo;
          const text = this.buf.slice(this.pos, end);
          this.consume(end);
          this.h.element(this.key, text, line);
          this.state = 'afterElement';
          break;
        }
        case 'afterElement':
          if (c === ',') this.state = 'element';
          else if (c === ']') this.state = 'afterValue';
          else this.unexpected('"," or "]"');
          this.pos++;
          break;
        case 'done':
          this.unexpected('nothing after the closing "}"');
      }
    }
  }
}

/** Index just past the string starting at i (s[i] is '"'), or -1 if it is not closed yet. */
function stringEnd(s: string, i: number): number {
  let j = i + 1;
  for (;;) {
    const q = s.indexOf('"', j);
    if (q < 0) return -1;
    let k = q - 1;
    while (s.charCodeAt(k) === 92) k--; // backslashes before the quote
    if ((q - 1 - k) % 2 === 0) return q + 1;
    j = q + 1;
  }
}

/** Index just past the JSON value starting at i, or -1 if the text ends first. */
function valueEnd(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === 34) return stringEnd(s, i);
  if (c === 123 || c === 91) {
    let depth = 0;
    for (let j = i; j < s.length; j++) {
      const d = s.charCodeAt(j);
      if (d === 34) {
        const e = stringEnd(s, j);
        if (e < 0) return -1;
        j = e - 1;
      } else if (d === 123 || d === 91) depth++;
      else if (d === 125 || d === 93) {
        if (--depth === 0) return j + 1;
      }
    }
    return -1;
  }
  // a number, true, false or null: up to the next delimiter
  for (let j = i; j < s.length; j++) {
    const d = s.charCodeAt(j);
    if (d === 44 || d === 125 || d === 93 || d === 32 || d === 10 || d === 13 || d === 9) return j;
  }
  return -1;
}
