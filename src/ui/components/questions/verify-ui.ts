/** Words for the LLM verifier's results in the Questions view (pure, unit-tested). */
import type { LlmVerification } from '../../../synthesis/llm-verify/types';
import type { VerifySummary } from '../../../synthesis/llm-verify/verifier';
import type { QuestionRecord } from '../../../synthesis/record';

export function summaryLine(s: VerifySummary): string {
  const parts = [`${s.n} verified`, `${s.keep} kept`, `${s.flag} flagged for review`, `${s.drop} dropped (rejected if pending)`];
  if (s.unverified) parts.push(`${s.unverified} without a verdict (every call failed)`);
  if (s.unreadableVotes) parts.push(`${s.unreadableVotes} unreadable votes`);
  parts.push(`mean agreement ${(s.meanAgreement * 100).toFixed(0)}%`);
  return parts.join(' · ');
}

/** one vote in words: "A, C", "none", or why it counts for nothing */
export function voteText(v: LlmVerification['votes'][number]): string {
  if (v.letters === null) return `no vote (${v.error ?? 'unreadable'})`;
  return v.letters.length ? v.letters.join(', ') : 'none correct';
}

/** has the key changed since the item was verified? then the verdict is stale */
export function isStale(r: QuestionRecord): boolean {
  return !!r.verification && r.verification.key !== r.answer_idx;
}

/** the ids among these records whose verdict is this one (e.g. the flagged ones, to review) */
export function idsWithVerdict(records: QuestionRecord[], verdict: LlmVerification['verdict']): string[] {
  return records.filter((r) => r.verification?.verdict === verdict && !isStale(r)).map((r) => r.id);
}
