/**
 * Questions in IndexedDB. A batch (a generation chunk, an import, a bulk action) is
 * written in ONE transaction, so a failure or a full disk leaves the store as it was.
 * Edits keep the values they replaced in the record's history, oldest first.
 */
import type { EditEntry, QuestionRecord, QuestionStatus } from '../synthesis/record';
import { describeStorageError, type WorkbenchDatabase } from './open-db';

/**
 * Save a batch in one transaction. With `keepExisting`, records whose id is already
 * stored are left alone (regenerating with the same seed must not reset curation);
 * returns how many were written.
 */
export async function putQuestions(db: WorkbenchDatabase, records: QuestionRecord[], opts: { keepExisting?: boolean } = {}): Promise<number> {
  if (records.length === 0) return 0;
  try {
    const tx = db.transaction('questions', 'readwrite');
    let written = 0;
    const writes = records.map(async (r) => {
      if (opts.keepExisting && (await tx.store.getKey(r.id)) !== undefined) return;
      written++;
      await tx.store.put(r);
    });
    try {
      await Promise.all(writes);
    } catch (e) {
      // A put that throws (e.g. an uncloneable value) does not abort the transaction by
      // itself: abort it, so none of the batch is committed.
      tx.abort();
      await tx.done.catch(() => {});
      throw e;
    }
    await tx.done;
    return written;
  } catch (e) {
    throw describeStorageError(e, `save ${records.length} question(s)`);
  }
}

export async function allQuestions(db: WorkbenchDatabase): Promise<QuestionRecord[]> {
  return db.getAll('questions');
}

export async function countQuestions(db: WorkbenchDatabase): Promise<number> {
  return db.count('questions');
}

export async function getQuestion(db: WorkbenchDatabase, id: string): Promise<QuestionRecord | undefined> {
  return db.get('questions', id);
}

export type QuestionEdit = Partial<Pick<QuestionRecord, 'question' | 'options' | 'answer_idx' | 'status' | 'difficulty'>>;

/** Apply an edit to a record (pure): the changed fields' old values go to history; the answer text follows answer_idx. */
export function applyEdit(r: QuestionRecord, edit: QuestionEdit, at: string, note?: string): QuestionRecord {
  const next: QuestionRecord = { ...r, ...edit };
  if (edit.options || edit.answer_idx) {
    const text = next.options[next.answer_idx];
    if (text === undefined || text.trim() === '') throw new Error(`answer ${next.answer_idx} is not one of the options ${Object.keys(next.options).join(', ')}`);
    const texts = Object.values(next.options).map((o) => o.trim().toLowerCase());
    if (texts.some((t) => t === '')) throw new Error('an option is empty');
    if (new Set(texts).size !== texts.length) throw new Error('two options have the same text');
    next.answer = text;
  }
  if (edit.question !== undefined && edit.question.trim() === '') throw new Error('the question text is empty');
  const before: EditEntry['before'] = {};
  for (const k of Object.keys(edit) as (keyof QuestionEdit)[]) {
    if (JSON.stringify(r[k]) !== JSON.stringify(next[k])) (before as Record<string, unknown>)[k] = r[k];
  }
  if ('options' in before || 'answer_idx' in before) before.answer = r.answer;
  if (Object.keys(before).length === 0) return r;
  next.history = [...(r.history ?? []), { at, before, ...(note ? { note } : {}) }];
  return next;
}

/** Edit several questions in one transaction; returns the updated records. */
export async function editQuestions(db: WorkbenchDatabase, ids: string[], edit: QuestionEdit | ((r: QuestionRecord) => QuestionEdit), note?: string): Promise<QuestionRecord[]> {
  const at = new Date().toISOString();
  try {
    const tx = db.transaction('questions', 'readwrite');
    const out: QuestionRecord[] = [];
    try {
      for (const id of ids) {
        const r = await tx.store.get(id);
        if (!r) continue;
        const next = applyEdit(r, typeof edit === 'function' ? edit(r) : edit, at, note);
        if (next !== r) {
          void tx.store.put(next);
          out.push(next);
        }
      }
    } catch (e) {
      tx.abort(); // an invalid edit of one item writes none of the batch
      await tx.done.catch(() => {});
      throw e;
    }
    await tx.done;
    return out;
  } catch (e) {
    if (e instanceof Error && !(e instanceof DOMException)) throw e;
    throw describeStorageError(e, 'save the edit');
  }
}

export async function setStatus(db: WorkbenchDatabase, ids: string[], status: QuestionStatus): Promise<QuestionRecord[]> {
  return editQuestions(db, ids, { status });
}

export async function deleteQuestions(db: WorkbenchDatabase, ids: string[]): Promise<void> {
  const tx = db.transaction('questions', 'readwrite');
  await Promise.all([...ids.map((id) => tx.store.delete(id)), tx.done]);
}

export async function clearQuestions(db: WorkbenchDatabase): Promise<void> {
  await db.clear('questions');
}
