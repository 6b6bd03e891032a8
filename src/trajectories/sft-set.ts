/**
 * The SFT (cold-start) set: per question, the trajectories the user accepted, or else
 * the one pass@k selected, unless the user rejected it; nothing for rejected questions.
 * Exported as TRL's conversational prompt-completion JSON lines, with the same prompt
 * the policy sees in RL (synthesis/export/formats), so SFT and GRPO agree on the format.
 */
import { chatPrompt } from '../synthesis/export/formats';
import type { QuestionRecord } from '../synthesis/record';
import type { Trajectory } from './types';

export interface SftItem {
  question: QuestionRecord;
  trajectory: Trajectory;
}

export function sftSet(questions: QuestionRecord[], trajectories: Trajectory[]): SftItem[] {
  const byQ = new Map<string, Trajectory[]>();
  for (const t of trajectories) {
    const list = byQ.get(t.questionId);
    if (list) list.push(t);
    else byQ.set(t.questionId, [t]);
  }
  const out: SftItem[] = [];
  for (const q of questions) {
    if (q.status === 'rejected') continue;
    const ts = (byQ.get(q.id) ?? []).slice().sort((a, b) => a.round - b.round || a.candidate - b.candidate || a.teacher.localeCompare(b.teacher));
    const accepted = ts.filter((t) => t.review === 'accepted');
    const chosen = accepted.length ? accepted : ts.filter((t) => t.selected && t.review !== 'rejected');
    for (const t of chosen) out.push({ question: q, trajectory: t });
  }
  return out;
}

export function toSftJsonl(items: SftItem[]): string {
  return items
    .map(({ question: q, trajectory: t }) =>
      JSON.stringify({
        prompt: chatPrompt(q),
        completion: [{ role: 'assistant', content: t.text }],
        answer: q.answer_idx,
        difficulty: q.difficulty,
        id: q.id,
        trajectory_id: t.id,
        teacher: t.teacher,
        round: t.round,
      }),
    )
    .join('\n')
    .concat(items.length ? '\n' : '');
}
