import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import type { QuestionRecord } from '../synthesis/record';
import { openWorkbenchDb } from './open-db';
import { allQuestions, applyEdit, editQuestions, getQuestion, putQuestions, setStatus } from './question-store';

const q = (i: number): QuestionRecord => ({
  id: `q${i}`,
  question: `Question ${i}?`,
  options: { A: 'one', B: 'two', C: 'three' },
  answer_idx: 'A',
  answer: 'one',
  difficulty: 'easy',
  type: 'diagnosis',
  source: 'synthetic',
  status: 'pending',
});

let n = 0;
const freshName = () => `qs-test-${Date.now()}-${n++}`;

describe('question store (IndexedDB)', () => {
  it('upgrades a v1 database without losing its graphs, then stores and indexes questions', async () => {
    const name = freshName();
    const v1 = await openDB(name, 1, { upgrade: (db) => (db.createObjectStore('graphs', { keyPath: 'id' }), db.createObjectStore('graphData', { keyPath: 'id' }), db.createObjectStore('settings')) });
    await v1.put('graphs', { id: 'g', name: 'kept' });
    v1.close();
    const db = await openWorkbenchDb(name);
    expect((await db.get('graphs', 'g'))?.name).toBe('kept');
    await putQuestions(db, [q(1), q(2), { ...q(3), difficulty: 'difficult' }]);
    expect(await db.countFromIndex('questions', 'difficulty', 'difficult')).toBe(1);
    expect((await allQuestions(db)).map((r) => r.id).sort()).toEqual(['q1', 'q2', 'q3']);
    db.close();
  });

  it('keeps the history of edits and status changes across reopening', async () => {
    const name = freshName();
    let db = await openWorkbenchDb(name);
    await putQuestions(db, [q(1), q(2)]);
    await editQuestions(db, ['q1'], { question: 'Edited?', options: { A: 'one', B: 'two', C: 'four' }, answer_idx: 'C' });
    await setStatus(db, ['q1', 'q2'], 'rejected');
    db.close();
    db = await openWorkbenchDb(name);
    const r = (await getQuestion(db, 'q1'))!;
    expect(r).toMatchObject({ question: 'Edited?', answer_idx: 'C', answer: 'four', status: 'rejected' });
    expect(r.history!.map((h) => h.before)).toEqual([{ question: 'Question 1?', options: { A: 'one', B: 'two', C: 'three' }, answer_idx: 'A', answer: 'one' }, { status: 'pending' }]);
    expect((await getQuestion(db, 'q2'))!.history).toHaveLength(1);
    db.close();
  });

  it('an invalid edit in a batch writes nothing of the batch', async () => {
    const db = await openWorkbenchDb(freshName());
    await putQuestions(db, [q(1), q(2)]);
    await expect(editQuestions(db, ['q1', 'q2'], (r) => (r.id === 'q1' ? { status: 'accepted' } : { answer_idx: 'Z' }))).rejects.toThrow(/answer Z is not one of the options/);
    expect((await getQuestion(db, 'q1'))!.status).toBe('pending');
    expect((await getQuestion(db, 'q1'))!.history).toBeUndefined();
    db.close();
  });

  it('an edit that changes nothing adds no history entry; duplicate options are refused', () => {
    const r = q(1);
    expect(applyEdit(r, { status: 'pending' }, 't')).toBe(r);
    expect(() => applyEdit(r, { options: { A: 'one', B: 'One', C: 'x' } }, 't')).toThrow(/same text/);
  });
});

describe('regenerating', () => {
  it('keeps curated items when the same ids are saved again with keepExisting', async () => {
    const db = await openWorkbenchDb(freshName());
    await putQuestions(db, [q(1)]);
    await setStatus(db, ['q1'], 'accepted');
    expect(await putQuestions(db, [q(1), q(2)], { keepExisting: true })).toBe(1);
    expect((await getQuestion(db, 'q1'))!.status).toBe('accepted');
    expect((await getQuestion(db, 'q2'))!.status).toBe('pending');
    db.close();
  });

  it('a batch with one record that cannot be stored writes none of it', async () => {
    const db = await openWorkbenchDb(freshName());
    const bad = { ...q(3), extra: () => 0 } as unknown as QuestionRecord; // functions cannot be cloned
    await expect(putQuestions(db, [q(1), q(2), bad])).rejects.toThrow(/save 3 question/);
    expect(await allQuestions(db)).toEqual([]);
    db.close();
  });
});
