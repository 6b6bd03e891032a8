/** The curation filters, as a pure function over records (the table, bulk actions and exports share it). */
import type { QuestionRecord } from '../../../synthesis/record';

export interface QuestionFilters {
  type: string;
  difficulty: string;
  status: string;
  source: string;
  /** '' = any; otherwise the number of hops (synthetic items only) */
  hops: string;
  text: string;
}

export const NO_FILTERS: QuestionFilters = { type: '', difficulty: '', status: '', source: '', hops: '', text: '' };

export function matches(r: QuestionRecord, f: QuestionFilters): boolean {
  if (f.type && r.type !== f.type) return false;
  if (f.difficulty && r.difficulty !== f.difficulty) return false;
  if (f.status && r.status !== f.status) return false;
  if (f.source && r.source !== f.source) return false;
  if (f.hops && String(r.provenance?.hops ?? '') !== f.hops) return false;
  if (f.text) {
    const needle = f.text.toLowerCase();
    if (!r.question.toLowerCase().includes(needle) && !Object.values(r.options).some((o) => o.toLowerCase().includes(needle))) return false;
  }
  return true;
}

export function applyFilters(records: QuestionRecord[], f: QuestionFilters): QuestionRecord[] {
  return records.filter((r) => matches(r, f));
}

/** the distinct values of a field, sorted, for the filter menus */
export function valuesOf(records: QuestionRecord[], pick: (r: QuestionRecord) => string | number | undefined): string[] {
  const s = new Set<string>();
  for (const r of records) {
    const v = pick(r);
    if (v !== undefined && v !== '') s.add(String(v));
  }
  return [...s].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

export function describeFilters(f: QuestionFilters): string {
  const parts = (Object.entries(f) as [keyof QuestionFilters, string][]).filter(([, v]) => v).map(([k, v]) => `${k} = ${v}`);
  return parts.length ? parts.join(', ') : 'all questions';
}
