import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import type { Trajectory } from '../trajectories/types';
import { openWorkbenchDb } from './open-db';
import { putQuestions } from './question-store';
import { allTrajectories, putTrajectories, setReview, trajectoriesOf } from './trajectory-store';

const t = (questionId: string, round: number, candidate: number, extra: Partial<Trajectory> = {}): Trajectory => ({
  id: `${questionId}-${round}-${candidate}`,
  questionId,
  text: '<think>x</think><answer>A</answer>',
  teacher: 'kg',
  round,
  candidate,
  strategy: round === 0 ? 'initial' : 'backtracking',
  checks: [{ name: 'format', passed: true, applicable: true, detail: 'well formed' }],
  claims: [],
  unsupportedClaims: 0,
  mentions: [{ start: 0, end: 1, ids: ['DOID:1'] }],
  passed: true,
  selected: candidate === 0,
  createdAt: '2026-01-01T00:00:00.000Z',
  ...extra,
});

let n = 0;
const freshName = () => `traj-test-${Date.now()}-${n++}`;

describe('trajectory store (IndexedDB)', () => {
  it('upgrades a v2 database without losing its questions, then lists trajectories per question in round order', async () => {
    const name = freshName();
    const v2 = await openDB(name, 2, {
      upgrade(db) {
        db.createObjectStore('graphs', { keyPath: 'id' });
        db.createObjectStore('graphData', { keyPath: 'id' });
        db.createObjectStore('settings');
        db.createObjectStore('questions', { keyPath: 'id' });
      },
    });
    await v2.put('questions', { id: 'q1', question: 'kept?' });
    v2.close();
    const db = await openWorkbenchDb(name);
    expect((await db.get('questions', 'q1'))?.question).toBe('kept?');
    await putTrajectories(db, [t('q1', 1, 0), t('q1', 0, 1), t('q1', 0, 0), t('q2', 0, 0)]);
    expect((await trajectoriesOf(db, 'q1')).map((x) => x.id)).toEqual(['q1-0-0', 'q1-0-1', 'q1-1-0']);
    expect((await allTrajectories(db)).length).toBe(4);
    db.close();
  });

  it('keeps a review across a re-run that rewrites the trajectory, and clears it on request', async () => {
    const db = await openWorkbenchDb(freshName());
    await putQuestions(db, []);
    await putTrajectories(db, [t('q1', 0, 0)]);
    expect((await setReview(db, 'q1-0-0', 'accepted')).review).toBe('accepted');
    await putTrajectories(db, [t('q1', 0, 0, { text: '<think>y</think><answer>A</answer>' })]);
    const [again] = await trajectoriesOf(db, 'q1');
    expect(again!.text).toContain('y');
    expect(again!.review).toBe('accepted');
    expect((await setReview(db, 'q1-0-0', null)).review).toBeUndefined();
    await expect(setReview(db, 'nope', 'rejected')).rejects.toThrow(/no trajectory nope/);
    db.close();
  });

  it('writes a question’s trajectories in one transaction: a bad record writes none of them', async () => {
    const db = await openWorkbenchDb(freshName());
    const bad = { ...t('q9', 0, 1), id: undefined as unknown as string };
    await expect(putTrajectories(db, [t('q9', 0, 0), bad])).rejects.toThrow(/Could not save 2 trajectories/);
    expect(await trajectoriesOf(db, 'q9')).toEqual([]);
    db.close();
  });
});
