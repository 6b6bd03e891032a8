/** MedQA JSON lines: {question, options:{A..}, answer_idx, answer?, meta_info?, …}; 3 to 10 options by letter. */
import { isObject, letterIndex, objectLines, RowCollector, type ParsedRows } from './common';

export function parseMedqa(text: string): ParsedRows {
  const rows = new RowCollector();
  for (const { line, o } of objectLines(text, rows)) {
    if (!isObject(o.options)) {
      rows.problem(line, 'missing_options', '"options" must be an object of lettered options {"A": …}');
      continue;
    }
    const letters = Object.keys(o.options).map((k) => k.trim().toUpperCase()).sort();
    const expected = letters.map((_, i) => String.fromCharCode(65 + i));
    if (letters.join() !== expected.join()) {
      rows.problem(line, 'missing_options', `option keys must be consecutive letters from A, got ${Object.keys(o.options).join(', ')}`);
      continue;
    }
    const byLetter = Object.fromEntries(Object.entries(o.options).map(([k, v]) => [k.trim().toUpperCase(), v]));
    const { question, options: _o, answer_idx, answer, id, ...meta } = o;
    rows.add({
      line: line,
      source: 'medqa',
      type: 'exam',
      sourceId: typeof id === 'string' || typeof id === 'number' ? id : null,
      question,
      options: expected.map((l) => byLetter[l]),
      answerIndex: letterIndex(answer_idx),
      answerText: answer,
      meta,
    });
  }
  return rows.result();
}
