/**
 * Added tokens are cut out of the text whole before any BPE, leftmost-longest: scanning left to
 * right, at the first position where some added token starts, the longest one starting there
 * wins. This is how Hugging Face applies them (Rust `tokenizers`: aho-corasick LeftmostLongest;
 * tokenizers.js: DictionarySplitter), so "Type 2 diabetes mellitus" beats "Type 2 diabetes"
 * and "<answer>" is one token even when glued to punctuation.
 */

interface TrieNode {
  next: Map<string, TrieNode>;
  /** the added token that ends here */
  end?: string;
}

export class AddedTokenSplitter {
  private readonly root: TrieNode = { next: new Map() };
  readonly size: number;

  constructor(tokens: Iterable<string>) {
    let n = 0;
    for (const t of tokens) {
      if (t.length === 0) continue;
      let node = this.root;
      for (let i = 0; i < t.length; i++) {
        const c = t[i]!;
        let child = node.next.get(c);
        if (!child) node.next.set(c, (child = { next: new Map() }));
        node = child;
      }
      if (node.end === undefined) n++;
      node.end = t;
    }
    this.size = n;
  }

  /**
   * Sections of text in order: `{added: true}` for an added token, `{added: false}` for the plain
   * text between them (never empty).
   */
  split(text: string): Array<{ text: string; added: boolean }> {
    const out: Array<{ text: string; added: boolean }> = [];
    if (this.size === 0) {
      if (text.length > 0) out.push({ text, added: false });
      return out;
    }
    const n = text.length;
    let start = 0;
    let i = 0;
    while (i < n) {
      let node: TrieNode | undefined = this.root;
      let match: string | undefined;
      for (let j = i; j < n; j++) {
        node = node.next.get(text[j]!);
        if (!node) break;
        if (node.end !== undefined) match = node.end;
      }
      if (match !== undefined) {
        if (i > start) out.push({ text: text.slice(start, i), added: false });
        out.push({ text: match, added: true });
        i += match.length;
        start = i;
      } else i++;
    }
    if (start < n) out.push({ text: text.slice(start), added: false });
    return out;
  }
}
