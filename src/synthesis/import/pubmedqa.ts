/**
 * PubMedQA: the expert-labelled file is ONE JSON object keyed by PMID, each value
 * {QUESTION, CONTEXTS[], LABELS, MESHES, YEAR, final_decision, LONG_ANSWER}; the
 * Hugging Face layout is JSON lines {pubid, question, context{contexts}, long_answer,
 * final_decision}. Both become a 3-option item (yes / no / maybe) with the abstract's
 * context in the stem, since the question cannot be answered without it.
 */
import { isObject, jsonLines, RowCollector, stripBom, type ParsedRows } from './common';

const DECISIONS = ['yes', 'no', 'maybe'];

export function parsePubmedqa(text: string): ParsedRows {
  const rows = new RowCollector();
  const body = stripBom(text);
  const trimmed = body.trimStart();
  let whole: unknown = undefined;
  if (trimmed.startsWith('{')) {
    try {
      whole = JSON.parse(body);
    } catch {
      whole = undefined; // maybe JSON lines
    }
  }
  if (isObject(whole) && !('question' in whole) && !('QUESTION' in whole)) {
    const lineOf = keyLines(body);
    // integer-like keys (PMIDs) come out of Object.entries in numeric order: restore the file's order
    const entries = Object.entries(whole).sort((a, b) => (lineOf.get(a[0]) ?? 0) - (lineOf.get(b[0]) ?? 0));
    for (const [pmid, v] of entries) addRow(rows, lineOf.get(pmid) ?? 1, pmid, v);
    return rows.result();
  }
  for (const item of jsonLines(body)) {
    if ('error' in item) {
      rows.problem(item.line, 'invalid_json', `not valid JSON (${item.error})`);
      continue;
    }
    const v = item.value;
    addRow(rows, item.line, isObject(v) ? (v.pubid ?? v.PMID ?? null) : null, v);
  }
  return rows.result();
}

function addRow(rows: RowCollector, line: number, pmid: unknown, v: unknown) {
  if (!isObject(v)) return rows.problem(line, 'not_an_object', `entry ${String(pmid)} is not an object`);
  const q = v.QUESTION ?? v.question;
  const ctx = v.CONTEXTS ?? (isObject(v.context) ? v.context.contexts : v.context);
  const contexts = Array.isArray(ctx) ? ctx.filter((c): c is string => typeof c === 'string') : typeof ctx === 'string' ? [ctx] : [];
  const decision = typeof v.final_decision === 'string' ? v.final_decision.trim().toLowerCase() : null;
  const answerIndex = decision === null ? null : DECISIONS.indexOf(decision);
  if (answerIndex === -1) return rows.problem(line, 'bad_answer', `final_decision "${String(v.final_decision)}" is not yes, no or maybe`);
  // the abstract's text and the question are kept exactly; only the two labels are added
  const question = typeof q === 'string' && q.trim() ? (contexts.length ? `Context: ${contexts.join(' ')}\nQuestion: ${q}` : q) : q;
  rows.add({
    line,
    source: 'pubmedqa',
    type: 'research_abstract',
    sourceId: typeof pmid === 'string' || typeof pmid === 'number' ? pmid : null,
    question,
    options: ['yes', 'no', 'maybe'],
    answerIndex,
    meta: {
      ...(typeof q === 'string' ? { question_only: q } : {}),
      ...(v.LONG_ANSWER ?? v.long_answer ? { long_answer: v.LONG_ANSWER ?? v.long_answer } : {}),
      ...(v.MESHES ? { meshes: v.MESHES } : {}),
      ...(v.YEAR ? { year: v.YEAR } : {}),
    },
  });
}

/** line of each top-level key in a pretty-printed or single-line JSON object */
function keyLines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  let line = 1;
  let depth = 0;
  let inString = false;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') {
        inString = false;
        if (depth === 1) {
          const key = text.slice(start + 1, i);
          let j = i + 1;
          while (j < text.length && /\s/.test(text[j]!)) j++;
          if (text[j] === ':' && !out.has(key)) out.set(key, line);
        }
      } else if (c === '\n') line++;
      continue;
    }
    if (c === '\n') line++;
    else if (c === '"') {
      inString = true;
      start = i;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return out;
}
