/**
 * Turning k votes into a verdict (pure). Let n be the votes that could be read.
 *  - drop: more than half of them name another option as correct — either instead of
 *    the key ("the majority picks a different key") or beside it ("a second correct
 *    option"); the item's label or its distractors are then most likely wrong;
 *  - flag: the share naming exactly the key falls below the threshold, or fewer than
 *    half of the k calls gave a readable vote: a person should look;
 *  - keep: otherwise.
 */
import type { LlmVerdict, LlmVote } from './types';

export interface Judgement {
  readable: number;
  counts: Record<string, number>;
  agreement: number;
  verdict: LlmVerdict;
  reason: string;
}

export function judge(votes: LlmVote[], key: string, letters: readonly string[], threshold: number): Judgement {
  const read = votes.filter((v): v is LlmVote & { letters: string[] } => v.letters !== null);
  const n = read.length;
  const counts: Record<string, number> = Object.fromEntries(letters.map((l) => [l, 0]));
  for (const v of read) for (const l of v.letters) counts[l] = (counts[l] ?? 0) + 1;
  const exact = read.filter((v) => v.letters.length === 1 && v.letters[0] === key).length;
  const agreement = n ? round(exact / n) : 0;
  const base = { readable: n, counts, agreement };
  const of = `${n} readable vote${n === 1 ? '' : 's'}`;
  if (n === 0) return { ...base, verdict: 'flag', reason: `none of the ${votes.length} replies named an option` };
  const rivals = letters.filter((l) => l !== key && counts[l]! * 2 > n).sort((a, b) => counts[b]! - counts[a]!);
  if (rivals.length) {
    const r = rivals[0]!;
    const keyMajority = counts[key]! * 2 > n;
    return {
      ...base,
      verdict: 'drop',
      reason: keyMajority
        ? `${counts[r]} of ${of} name ${r} as correct as well as the key ${key}: a second correct option`
        : `${counts[r]} of ${of} pick ${r}, only ${counts[key]} the key ${key}`,
    };
  }
  if (n * 2 < votes.length) return { ...base, verdict: 'flag', reason: `only ${n} of ${votes.length} replies could be read` };
  if (agreement < threshold) {
    const others = letters.filter((l) => l !== key && counts[l]! > 0).map((l) => `${l} ×${counts[l]}`);
    return { ...base, verdict: 'flag', reason: `${exact} of ${of} name only the key ${key} (below ${Math.round(threshold * 100)}%)${others.length ? `; also named: ${others.join(', ')}` : ''}` };
  }
  return { ...base, verdict: 'keep', reason: `${exact} of ${of} name only the key ${key}` };
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
