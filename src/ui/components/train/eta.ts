/**
 * How long the rest of a run will take on this device, from its own measured step times: the
 * remaining SFT steps at the recent SFT pace, the remaining GRPO steps at the recent GRPO pace
 * (unknown until the first RL step has run), plus the hard-sample mining passes still due at the
 * duration the last one took. Pure.
 */
import type { MetricsRow } from '../../../training/rl/types';

export interface EtaInput {
  rows: readonly Pick<MetricsRow, 'step' | 'phase' | 'stage' | 'step_time'>[];
  sftSteps: number;
  grpoSteps: number;
  /** stage-2 re-mining cadence and whether stage 2 has begun (a first mining pass is still due otherwise) */
  remineEvery: number;
  stage1MaxSteps: number;
  /** measured seconds of the last mining pass, if one ran */
  lastMiningS: number | null;
}

export interface Eta {
  /** seconds left, or null when a phase's pace is not known yet */
  seconds: number | null;
  /** what the estimate leaves out or assumes, in words */
  note: string;
}

/** median of the last n values: robust to one slow step (a checkpoint, a mining pass) */
function recentPace(xs: number[], n = 20): number | null {
  const tail = xs.slice(-n).filter((x) => x > 0 && Number.isFinite(x));
  if (!tail.length) return null;
  const s = tail.sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function estimateEta(e: EtaInput): Eta {
  const sft = e.rows.filter((r) => r.phase === 'sft');
  const grpo = e.rows.filter((r) => r.phase === 'grpo');
  const sftLeft = Math.max(0, e.sftSteps - sft.length);
  const grpoLeft = Math.max(0, e.grpoSteps - grpo.length);
  const sftPace = recentPace(sft.map((r) => r.step_time));
  const grpoPace = recentPace(grpo.map((r) => r.step_time));
  let seconds = 0;
  const notes: string[] = [];
  if (sftLeft > 0) {
    if (sftPace === null) return { seconds: null, note: 'measuring the first steps…' };
    seconds += sftLeft * sftPace;
  }
  if (grpoLeft > 0) {
    if (grpoPace === null) return { seconds: sftLeft > 0 ? seconds : null, note: sftLeft > 0 ? 'SFT only: the RL pace is known after its first step' : 'measuring the first RL step…' };
    seconds += grpoLeft * grpoPace;
    // mining passes still due: the one that opens stage 2 (if it has not begun), then one per remine_every stage-2 steps
    const inStage2 = grpo.some((r) => r.stage === 2);
    const stage1Done = grpo.filter((r) => r.stage === 1).length;
    const s2Left = inStage2 ? grpoLeft : Math.max(0, grpoLeft - Math.max(0, e.stage1MaxSteps - stage1Done));
    const passes = (inStage2 ? 0 : 1) + Math.floor(s2Left / Math.max(1, e.remineEvery));
    if (passes > 0) {
      if (e.lastMiningS !== null) seconds += passes * e.lastMiningS;
      else notes.push(`plus ${passes} hard-sample mining pass${passes > 1 ? 'es' : ''}`);
    }
  }
  return { seconds, note: notes.join('; ') };
}

export function formatDuration(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '–';
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}
