/**
 * The text side of a trajectory: the `<think>…</think><answer>X</answer>` envelope,
 * word counts, and the tokenizer the entity matcher and claim reader share.
 */

export interface ParsedChain {
  think: string | null;
  answer: string | null;
  /** why the envelope is malformed, or null when it is well formed */
  problem: string | null;
}

const ENVELOPE = /^\s*<think>([\s\S]*?)<\/think>\s*<answer>\s*([^<]*?)\s*<\/answer>\s*$/;

/** Reads the envelope strictly: one think block, then one answer tag, nothing else. */
export function parseChain(text: string): ParsedChain {
  const opens = (text.match(/<think>/g) ?? []).length;
  const closes = (text.match(/<\/think>/g) ?? []).length;
  const answers = (text.match(/<answer>/g) ?? []).length;
  const lenientAnswer = /<answer>\s*([^<]*?)\s*<\/answer>/.exec(text)?.[1] ?? null;
  if (opens !== 1) return { think: null, answer: lenientAnswer, problem: opens === 0 ? 'no <think> tag' : `${opens} <think> tags` };
  if (closes !== 1) return { think: null, answer: lenientAnswer, problem: closes === 0 ? 'no </think> tag' : `${closes} </think> tags` };
  if (answers !== 1) return { think: null, answer: lenientAnswer, problem: answers === 0 ? 'no <answer> tag' : `${answers} <answer> tags` };
  const m = ENVELOPE.exec(text);
  if (!m) return { think: null, answer: lenientAnswer, problem: 'text outside <think>…</think><answer>…</answer>, or the tags out of order' };
  const think = m[1]!.trim();
  if (!think) return { think: null, answer: m[2]!, problem: 'empty <think> block' };
  return { think, answer: m[2]!, problem: null };
}

/** the reasoning the checks read: the think block, or when the envelope is broken the text without its tags */
export function reasoningBody(text: string): string {
  return parseChain(text).think ?? text.replace(/<\/?think>|<answer>[\s\S]*?<\/answer>/g, ' ');
}

/** The answer the chain gives, for reward and pass@k: the letter inside <answer>, if any. */
export function extractAnswer(text: string): string | null {
  const m = /<answer>\s*\(?([A-Ja-j])\)?\s*<\/answer>/.exec(text);
  return m ? m[1]!.toUpperCase() : null;
}

export function wordCount(s: string): number {
  return (s.match(/\S+/g) ?? []).length;
}

export interface Token {
  text: string;
  lower: string;
  start: number;
  end: number;
  word: boolean;
}

const TOKEN = /[A-Za-z0-9]+(?:['’\-][A-Za-z0-9]+)*|[^\sA-Za-z0-9]/g;

export function tokenize(s: string): Token[] {
  const out: Token[] = [];
  for (const m of s.matchAll(TOKEN)) {
    const text = m[0];
    out.push({ text, lower: text.toLowerCase().replace(/’/g, "'"), start: m.index, end: m.index + text.length, word: /[A-Za-z0-9]/.test(text[0]!) });
  }
  return out;
}

/** Sentence-initial capital for a name that starts lower-case ("fever" → "Fever"); symbols stay as they are. */
export function capitalize(s: string): string {
  return s.length && /[a-z]/.test(s[0]!) ? s[0]!.toUpperCase() + s.slice(1) : s;
}

/**
 * Phrasings that argue from what a graph lists rather than from medicine ("X is not among
 * the recorded treatments of Y", "is not known to present with", "the KG has no …"): a
 * missing edge is no clinical reason, so a chain that reasons this way fails verification.
 */
const ABSENT_EDGE = [
  /\bnot\s+(?:among|in|on|one\s+of)\s+(?:the\s+|its\s+)?(?:recorded|listed|known|annotated|documented|catalogued)\b/gi,
  /\b(?:is|are|was|were)\s+not\s+(?:recorded|listed|annotated|documented|catalogued)\b/gi,
  /\bno\s+(?:recorded|listed|annotated|documented)\b/gi,
  /\bnot\s+known\s+to\b/gi,
  /\b(?:the\s+)?(?:KG|knowledge\s+graph|graph|database)\s+(?:has|lists|records|gives|contains)\s+no\b/gi,
  /\bhas\s+no\s+recorded\b/gi,
];

export function absentEdgePhrases(text: string): string[] {
  const out: string[] = [];
  for (const re of ABSENT_EDGE) for (const m of text.matchAll(re)) out.push(m[0]);
  return out;
}
