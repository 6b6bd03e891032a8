/**
 * Entity mentions in free text: a longest-match dictionary over every KG name and
 * synonym. Short all-capital symbols (gene symbols, acronyms) match case-sensitively so
 * that ordinary words ("SET", "MAX" as words) are not read as genes.
 */
import type { KnowledgeGraph } from '../graph/knowledge-graph';
import { inSentence } from '../synthesis/names';
import { display } from './phrasing';
import type { Token } from './text';

export interface Mention {
  /** token range [start, end) */
  start: number;
  end: number;
  /** candidate KG nodes with this name or synonym (several when a name is shared) */
  nodes: number[];
  text: string;
}

interface Entry {
  tokens: string[];
  caseSensitive: boolean;
  nodes: number[];
  /** true while every node here has the key as its primary name; a synonym-only node is then not added */
  primary: boolean;
}

const MAX_NODES_PER_KEY = 8;
const SYMBOL = /^[A-Z0-9][A-Z0-9-]{0,7}$/;

/** Words that are names of some KG node but so common in prose that reading them as entities would mislead. */
const TOO_COMMON = new Set([
  ...'a an the and or of in on to is it as at by for with not no all can may was be are this that which has have use used other one two type'.split(' '),
  // nouns the relation phrases are built from ("is a symptom of", "the site of", "a target of") and generic heads
  ...'symptom symptoms sign signs feature features finding findings site target targets member members cause agent class classes drug drugs disease diseases condition disorder gene genes pathway protein option answer patient structure part body organism pathogen treatment therapy'.split(' '),
]);

export function tokenKey(t: string): string {
  return t.toLowerCase().replace(/’/g, "'");
}

export class Gazetteer {
  /** first token (lower-case) → entries starting with it, longest first */
  private readonly byFirst = new Map<string, Entry[]>();

  constructor(readonly kg: KnowledgeGraph) {
    const keys = new Map<string, Entry>();
    const tokenRe = /[A-Za-z0-9]+(?:['’\-][A-Za-z0-9]+)*|[^\sA-Za-z0-9]/g;
    for (let i = 0; i < kg.nodeCount; i++) {
      // the KG's names, plus each in the form sentences write it ("Obesity, Abdominal" as "abdominal obesity")
      const primary = kg.nodeName(i);
      const names = [primary, ...kg.synonyms(i)];
      // the forms sentences write it in, as primary names: "abdominal obesity" for "Obesity, Abdominal", and
      // the clinician's phrase the stems show ("pharyngitis" for the finding "pharynx inflammation", lexicon.ts)
      const forms = [...new Set([inSentence(primary), display({ id: '', type: kg.nodeType(i), name: primary })])].filter((f) => f.toLowerCase() !== primary.toLowerCase());
      names.splice(1, 0, ...forms);
      for (let ni = 0; ni < names.length; ni++) {
        const name = names[ni]!;
        const isPrimary = ni === 0 || (ni <= forms.length && forms.includes(name));
        const raw = name.match(tokenRe);
        if (!raw || raw.length === 0) continue;
        const caseSensitive = raw.length === 1 && SYMBOL.test(raw[0]!);
        if (raw.length === 1 && (raw[0]!.length < 2 || (!caseSensitive && TOO_COMMON.has(tokenKey(raw[0]!))))) continue;
        const toks = caseSensitive ? raw : raw.map(tokenKey);
        const key = (caseSensitive ? 'S|' : 'I|') + toks.join(' ');
        let e = keys.get(key);
        if (!e) {
          e = { tokens: toks, caseSensitive, nodes: [], primary: isPrimary };
          keys.set(key, e);
        }
        // a primary name beats synonyms: "labia minora cancer" is that node, not a node listing it as a synonym
        if (isPrimary && !e.primary) {
          e.nodes = [];
          e.primary = true;
        }
        if (isPrimary !== e.primary) continue;
        if (e.nodes.length < MAX_NODES_PER_KEY && !e.nodes.includes(i)) e.nodes.push(i);
      }
    }
    for (const e of keys.values()) {
      const first = tokenKey(e.tokens[0]!);
      let list = this.byFirst.get(first);
      if (!list) this.byFirst.set(first, (list = []));
      list.push(e);
    }
    for (const list of this.byFirst.values()) list.sort((a, b) => b.tokens.length - a.tokens.length);
  }

  /** Non-overlapping mentions, scanning left to right and taking the longest name at each position. */
  mentions(tokens: Token[]): Mention[] {
    const out: Mention[] = [];
    let i = 0;
    while (i < tokens.length) {
      const list = this.byFirst.get(tokens[i]!.lower);
      let hit: Entry | undefined;
      if (list) {
        for (const e of list) {
          if (i + e.tokens.length > tokens.length) continue;
          let ok = true;
          for (let k = 0; k < e.tokens.length && ok; k++) {
            const t = tokens[i + k]!;
            ok = e.caseSensitive ? t.text === e.tokens[k] : t.lower === e.tokens[k];
          }
          if (ok) {
            hit = e;
            break;
          }
        }
      }
      if (hit) {
        const end = i + hit.tokens.length;
        out.push({ start: i, end, nodes: hit.nodes, text: tokens.slice(i, end).map((t) => t.text).join(' ') });
        i = end;
      } else i++;
    }
    return out;
  }
}
