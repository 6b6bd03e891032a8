/**
 * Trajectory files for SFT, in the two formats the project writes: the CotRecord lines of
 * `npm run cot` ({"question_id","trajectories":[{"text","selected",…}]}, the selected ones used)
 * and the SFT export of the Trajectories view (TRL prompt-completion lines: {"id","prompt",
 * "completion":[{"role":"assistant","content"}]}). Each line is matched to its question by id; a
 * line that names no known question, or has no usable text, is an error naming the line.
 */
import type { QuestionRecord } from '../../synthesis/record';

export interface SftPair {
  question: QuestionRecord;
  completion: string;
}

export interface TrajectoryFileStats {
  lines: number;
  pairs: number;
  /** CotRecord lines with no selected trajectory (nothing passed the checks) */
  noneSelected: number;
}

function completionOf(c: unknown): string | null {
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) {
    const msg = [...c].reverse().find((m) => m && typeof m === 'object' && (m as { role?: unknown }).role === 'assistant');
    const content = (msg as { content?: unknown } | undefined)?.content;
    return typeof content === 'string' ? content : null;
  }
  return null;
}

export function parseTrajectoryLines(text: string, file: string, questions: ReadonlyMap<string, QuestionRecord>): { pairs: SftPair[]; stats: TrajectoryFileStats } {
  const pairs: SftPair[] = [];
  const stats: TrajectoryFileStats = { lines: 0, pairs: 0, noneSelected: 0 };
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    stats.lines++;
    const where = `${file}:${i + 1}`;
    let r: Record<string, unknown>;
    try {
      r = JSON.parse(line);
    } catch (e) {
      throw new Error(`${where}: not valid JSON (${(e as Error).message})`);
    }
    if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new Error(`${where}: not a JSON object`);
    const qid = typeof r.question_id === 'string' ? r.question_id : typeof r.id === 'string' ? r.id : null;
    if (!qid) throw new Error(`${where}: no "question_id" (npm run cot records) or "id" (SFT export lines)`);
    const q = questions.get(qid);
    if (!q) throw new Error(`${where}: question "${qid}" is not in the questions file`);
    if (Array.isArray(r.trajectories)) {
      const chosen = (r.trajectories as Array<{ text?: unknown; selected?: unknown }>).filter((t) => t && t.selected === true);
      if (!chosen.length) stats.noneSelected++;
      chosen.forEach((t, j) => {
        if (typeof t.text !== 'string' || !t.text.trim()) throw new Error(`${where}: trajectories[${j}] is selected but has no "text"`);
        pairs.push({ question: q, completion: t.text });
      });
      return;
    }
    if ('completion' in r) {
      const c = completionOf(r.completion);
      if (c === null || !c.trim()) throw new Error(`${where}: "completion" must be a string or messages with an assistant "content"`);
      pairs.push({ question: q, completion: c });
      return;
    }
    throw new Error(`${where}: neither a CotRecord ("trajectories") nor an SFT line ("completion")`);
  });
  stats.pairs = pairs.length;
  return { pairs, stats };
}
