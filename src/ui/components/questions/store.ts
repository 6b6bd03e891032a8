/**
 * Curation state (zustand): the questions loaded from IndexedDB, the active filters and
 * the selected item. Writes go through storage/question-store (one transaction per
 * batch) and then update this in-memory copy, so the table never waits on a re-read.
 */
import { create } from 'zustand';
import { openWorkbenchDb, type WorkbenchDatabase } from '../../../storage/open-db';
import { allQuestions, editQuestions, type QuestionEdit } from '../../../storage/question-store';
import type { QuestionRecord } from '../../../synthesis/record';
import { NO_FILTERS, type QuestionFilters } from './filters';

let db: Promise<WorkbenchDatabase> | null = null;
const database = () => (db ??= openWorkbenchDb());

interface QuestionsState {
  phase: 'idle' | 'loading' | 'ready' | 'error';
  error?: string;
  records: QuestionRecord[];
  filters: QuestionFilters;
  selectedId: string | null;
  load(): Promise<void>;
  setFilters(f: Partial<QuestionFilters>): void;
  select(id: string | null): void;
  edit(ids: string[], edit: QuestionEdit | ((r: QuestionRecord) => QuestionEdit)): Promise<void>;
}

export const useQuestions = create<QuestionsState>((set, get) => ({
  phase: 'idle',
  records: [],
  filters: NO_FILTERS,
  selectedId: null,
  async load() {
    set({ phase: 'loading' });
    try {
      const records = await allQuestions(await database());
      set({ phase: 'ready', records, error: undefined });
    } catch (e) {
      set({ phase: 'error', error: (e as Error).message });
    }
  },
  setFilters: (f) => set({ filters: { ...get().filters, ...f } }),
  select: (id) => set({ selectedId: id }),
  async edit(ids, edit) {
    const updated = await editQuestions(await database(), ids, edit);
    if (updated.length === 0) return;
    const byId = new Map(updated.map((r) => [r.id, r]));
    set({ records: get().records.map((r) => byId.get(r.id) ?? r) });
  },
}));
