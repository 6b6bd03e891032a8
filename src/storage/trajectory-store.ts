/**
 * Trajectories in IndexedDB. All trajectories of one question (its candidates and
 * refinement rounds) are written in ONE transaction; a re-run keeps the user's
 * accept/reject decision on a trajectory it rewrites.
 */
import type { Trajectory } from '../trajectories/types';
import { describeStorageError, type WorkbenchDatabase } from './open-db';

export async function putTrajectories(db: WorkbenchDatabase, ts: Trajectory[]): Promise<void> {
  if (ts.length === 0) return;
  try {
    const tx = db.transaction('trajectories', 'readwrite');
    const writes = ts.map(async (t) => {
      const old = await tx.store.get(t.id);
      await tx.store.put(old?.review && !t.review ? { ...t, review: old.review } : t);
    });
    try {
      await Promise.all(writes);
    } catch (e) {
      // a rejected put does not abort the transaction by itself: abort it so nothing of the batch lands
      try {
        tx.abort();
      } catch {
        /* already finished */
      }
      await tx.done.catch(() => {});
      throw e;
    }
    await tx.done;
  } catch (e) {
    throw describeStorageError(e, `save ${ts.length} trajectories`);
  }
}

export async function trajectoriesOf(db: WorkbenchDatabase, questionId: string): Promise<Trajectory[]> {
  const ts = await db.getAllFromIndex('trajectories', 'questionId', questionId);
  return ts.sort((a, b) => a.round - b.round || a.candidate - b.candidate || a.teacher.localeCompare(b.teacher));
}

export async function allTrajectories(db: WorkbenchDatabase): Promise<Trajectory[]> {
  return db.getAll('trajectories');
}

/** the user's decision for the SFT set; null clears it */
export async function setReview(db: WorkbenchDatabase, id: string, review: Trajectory['review'] | null): Promise<Trajectory> {
  try {
    const tx = db.transaction('trajectories', 'readwrite');
    const t = await tx.store.get(id);
    if (!t) throw new Error(`no trajectory ${id}`);
    const next: Trajectory = { ...t };
    if (review) next.review = review;
    else delete next.review;
    await tx.store.put(next);
    await tx.done;
    return next;
  } catch (e) {
    throw describeStorageError(e, 'save the review');
  }
}

export async function clearTrajectories(db: WorkbenchDatabase): Promise<void> {
  await db.clear('trajectories');
}
