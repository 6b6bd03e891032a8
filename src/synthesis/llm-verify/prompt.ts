/**
 * The verifier's prompt and the reading of its replies. The model sees the stem and the
 * options but never the key, is told that none, one or several options may be correct,
 * and is asked to name every correct one on a final line "Correct: …". Replies are read
 * robustly: reasoning blocks are skipped, and a "Correct:" line, an <answer> tag, a JSON
 * object or a bare list of letters are all accepted; anything else counts as unreadable.
 */
import type { QuestionRecord } from '../record';
import type { ChatMessage } from '../../trajectories/prompt';

const SYSTEM = [
  'You are a board-certified physician reviewing multiple-choice exam questions for errors.',
  'Judge every option on its own: an item may have exactly one correct option, more than one, or none.',
  'Reason briefly, then end your reply with one line of the form "Correct: X" listing every correct option letter separated by commas (e.g. "Correct: B" or "Correct: A, C"), or "Correct: none".',
].join(' ');

export function verifyMessages(q: Pick<QuestionRecord, 'question' | 'options'>): ChatMessage[] {
  const opts = Object.entries(q.options).map(([k, v]) => `${k}. ${v}`).join('\n');
  return [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: `Question: ${q.question}\nOptions:\n${opts}\n\nWhich of the options are correct? End with the line "Correct: …".` },
  ];
}

export type ParsedVote = { letters: string[] } | { error: string };

/** the option letters a reply names as correct, among `letters` (the item's options) */
export function parseVote(reply: string, letters: readonly string[]): ParsedVote {
  // reasoning models put their thinking in the content: only what follows it is the answer
  const text = reply.replace(/<think>[\s\S]*?<\/think>/gi, ' ').replace(/^[\s\S]*<\/think>/i, ' ');
  const allowed = new Set(letters);
  const fromList = (s: string): string[] | null => {
    if (/^\s*(none|no option|neither|no correct)/i.test(s)) return [];
    // standalone capital letters, optionally in parentheses or followed by "." / ")"
    const found = [...s.matchAll(/(?<![A-Za-z0-9])\(?([A-J])\)?(?![A-Za-z0-9])/g)].map((m) => m[1]!);
    const inItem = found.filter((l) => allowed.has(l));
    if (!inItem.length) return null;
    return [...new Set(inItem)].sort();
  };
  const candidates: string[] = [];
  // 1. the requested line, the last one if the model wrote several
  const lines = [...text.matchAll(/\bcorrect(?:\s+(?:options?|answers?|letters?|choices?))?\s*(?:is|are)?\s*[:：=]\s*(.+)/gi)];
  if (lines.length) candidates.push(firstClause(lines[lines.length - 1]![1]!));
  // 2. an <answer> tag
  const tag = [...text.matchAll(/<answer>\s*([\s\S]*?)\s*<\/answer>/gi)];
  if (tag.length) candidates.push(tag[tag.length - 1]![1]!);
  // 3. JSON such as {"correct": ["A", "C"]}
  const json = text.match(/\{[^{}]*"correct"[^{}]*\}/i);
  if (json) {
    try {
      const v = (JSON.parse(json[0]) as { correct?: unknown }).correct;
      candidates.push(Array.isArray(v) ? (v.length ? v.map(String).join(', ') : 'none') : String(v));
    } catch {
      /* not JSON after all */
    }
  }
  // 4. "the answer is B" / "Answer: B"
  const ans = [...text.matchAll(/\banswers?\s*(?:is|are|:)\s*(.+)/gi)];
  if (ans.length) candidates.push(firstClause(ans[ans.length - 1]![1]!));
  // 5. a reply that is only a list of letters
  if (/^\s*\(?[A-J]\)?\.?(\s*(,|and|&|\/)\s*\(?[A-J]\)?\.?)*\s*$/.test(text)) candidates.push(text);
  for (const c of candidates) {
    const got = fromList(c);
    if (got) return { letters: got };
  }
  return { error: candidates.length ? `no option letter in "${candidates[0]!.slice(0, 60)}"` : 'no "Correct: …" line, <answer> tag or option letter in the reply' };
}

/** up to the end of the line or where it moves on to reasons ("A, C. Aspirin is …", "B — because A …" → "A, C", "B") */
function firstClause(s: string): string {
  const line = s.split(/\r?\n/)[0]!;
  const cut = line.search(/\.\s+[A-Z][a-z]|\s[—–-]\s|[:;]\s|\b(because|since|as|while|whereas|but)\b/i);
  return cut >= 0 ? line.slice(0, cut) : line;
}
