/**
 * How a Hugging Face tokenizer splits text on its added tokens before BPE: at each position
 * the longest added token that starts there wins, scanning left to right (tokenizers'
 * AddedVocabulary matches leftmost-longest; our tokens are added with single_word, lstrip,
 * rstrip and normalized all false). The task builders use it to prove that every entity
 * and relation of a dataset reaches the model as exactly one token.
 */

export interface Piece {
  text: string;
  /** true: one added token; false: ordinary text that BPE will split */
  added: boolean;
}

export class AddedTokenMatcher {
  private readonly byFirst = new Map<string, string[]>();

  constructor(tokens: Iterable<string>) {
    for (const t of tokens) {
      if (!t) throw new Error('an added token is empty');
      const list = this.byFirst.get(t[0]!);
      if (list) list.push(t);
      else this.byFirst.set(t[0]!, [t]);
    }
    for (const list of this.byFirst.values()) list.sort((a, b) => b.length - a.length);
  }

  /** the longest added token starting at position i, or null */
  matchAt(text: string, i: number): string | null {
    for (const t of this.byFirst.get(text[i]!) ?? []) if (text.startsWith(t, i)) return t;
    return null;
  }

  segment(text: string): Piece[] {
    const out: Piece[] = [];
    let plain = '';
    for (let i = 0; i < text.length; ) {
      const t = this.matchAt(text, i);
      if (t === null) {
        plain += text[i];
        i++;
        continue;
      }
      if (plain) out.push({ text: plain, added: false });
      plain = '';
      out.push({ text: t, added: true });
      i += t.length;
    }
    if (plain) out.push({ text: plain, added: false });
    return out;
  }
}
