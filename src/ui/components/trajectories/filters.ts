/** Inspector filters (pure): by check outcome, difficulty and teacher, over questions that have trajectories. */
import type { QuestionRecord } from '../../../synthesis/record';
import type { CheckName, Trajectory } from '../../../trajectories/types';

export interface InspectorFilters {
  /** 'any' | 'passed' (some trajectory passed every check) | 'failed' (none did) | 'failed:<check>' (some trajectory failed that check) */
  outcome: 'any' | 'passed' | 'failed' | `failed:${CheckName}`;
  difficulty: string;
  teacher: string;
}

export const NO_FILTERS: InspectorFilters = { outcome: 'any', difficulty: '', teacher: '' };

export interface InspectorRow {
  question: QuestionRecord;
  trajectories: Trajectory[];
  passed: boolean;
}

export function inspectorRows(questions: QuestionRecord[], trajectories: Trajectory[], f: InspectorFilters): InspectorRow[] {
  const byQ = new Map<string, Trajectory[]>();
  for (const t of trajectories) {
    if (f.teacher && t.teacher !== f.teacher) continue;
    const list = byQ.get(t.questionId);
    if (list) list.push(t);
    else byQ.set(t.questionId, [t]);
  }
  const rows: InspectorRow[] = [];
  for (const q of questions) {
    const ts = byQ.get(q.id);
    if (!ts) continue;
    if (f.difficulty && q.difficulty !== f.difficulty) continue;
    const passed = ts.some((t) => t.passed);
    if (f.outcome === 'passed' && !passed) continue;
    if (f.outcome === 'failed' && passed) continue;
    if (f.outcome.startsWith('failed:')) {
      const name = f.outcome.slice('failed:'.length);
      if (!ts.some((t) => t.checks.some((c) => c.name === name && !c.passed))) continue;
    }
    rows.push({ question: q, trajectories: ts, passed });
  }
  return rows;
}
