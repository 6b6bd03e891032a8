/**
 * MedMCQA JSON lines: {id, question, opa, opb, opc, opd, cop, choice_type, exp,
 * subject_name, topic_name}. `cop` is 0-based (0 = opa) as in the Hugging Face release;
 * the original GitHub dump numbers from 1, which `copBase: 1` reads.
 */
import { letterIndex, objectLines, RowCollector, type ParsedRows } from './common';

export interface MedmcqaOptions {
  copBase?: 0 | 1;
}

const OPTION_KEYS = ['opa', 'opb', 'opc', 'opd', 'ope'];

export function parseMedmcqa(text: string, opts: MedmcqaOptions = {}): ParsedRows {
  const base = opts.copBase ?? 0;
  const rows = new RowCollector();
  for (const { line, o } of objectLines(text, rows)) {
    const present = OPTION_KEYS.filter((k) => k in o);
    if (present.length === 0) {
      rows.problem(line, 'missing_options', 'no opa…opd fields');
      continue;
    }
    const options = OPTION_KEYS.slice(0, Math.max(4, present.length)).filter((k, i) => i < 4 || k in o).map((k) => o[k]);
    let answerIndex: number | null = null;
    const cop = o.cop;
    if (typeof cop === 'number' && Number.isInteger(cop)) answerIndex = cop - base;
    else if (typeof cop === 'string' && /^\s*\d+\s*$/.test(cop)) answerIndex = Number(cop) - base;
    else answerIndex = letterIndex(cop);
    const { question, id, cop: _c, opa: _a, opb: _b, opc: _cc, opd: _d, ope: _e, ...meta } = o;
    rows.add({
      line: line,
      source: 'medmcqa',
      type: typeof o.choice_type === 'string' && o.choice_type === 'multi' ? 'exam_multi' : 'exam',
      sourceId: typeof id === 'string' || typeof id === 'number' ? id : null,
      question,
      options,
      answerIndex,
      meta,
    });
  }
  return rows.result();
}
