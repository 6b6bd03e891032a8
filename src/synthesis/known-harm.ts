/**
 * Drug–disease pairs that are well-known harms, never "treatment": corticosteroids cause and
 * worsen rosacea, acne and perioral dermatitis (the graph's dexamethasone → rosacea row is an
 * ophthalmic suspension's "acne rosacea keratitis" mapped onto cutaneous rosacea), non-selective
 * beta blockers provoke bronchospasm in asthma, NSAIDs cause and worsen peptic ulcers. A label
 * or curated row that says otherwise is mis-scoped. Such a "treats" edge is never strong
 * (edge-trust.ts), so it is never a key, an EXCEPT item's wrong option, a distractor's stated
 * reason or a trajectory fact; it still keeps the drug out of the distractors (any edge does).
 * Deliberately short: only pairs any clinician would sign, matched by class and disease name.
 */
import type { KnowledgeGraph } from '../graph/knowledge-graph';
import { mapSchema } from './schema-map';

export interface KnownHarm {
  /** a class name (or drug name) of the drug */
  drug: RegExp;
  /** the disease's name or an ancestor's */
  disease: RegExp;
  why: string;
}

export const KNOWN_HARMS: readonly KnownHarm[] = [
  {
    drug: /^(corticosteroids?|glucocorticoids?|corticosteroid hormone receptor agonists|adrenal cortex hormones)$/i,
    disease: /\b(rosacea|acne|perioral dermatitis)\b/i,
    why: 'corticosteroids cause and worsen rosacea, acne and perioral dermatitis',
  },
  {
    drug: /^(beta-adrenergic blocker|adrenergic beta-antagonists|beta-adrenergic antagonist)$/i,
    disease: /\basthma\b/i,
    why: 'beta blockers provoke bronchospasm in asthma',
  },
  {
    drug: /^(anti-inflammatory agents, non-steroidal|nonsteroidal anti-inflammatory drug|non-steroidal anti-inflammatory drug)$/i,
    disease: /\b(peptic|gastric|duodenal|stomach) ulcer\b/i,
    why: 'NSAIDs cause and worsen peptic ulcers',
  },
];

interface HarmIndex {
  /** per node: bit i set when the drug matches harm i (by a class or its own name) */
  drugs: Uint8Array;
  /** per node: bit i set when the disease or an ancestor matches harm i */
  diseases: Uint8Array;
}

const cache = new WeakMap<KnowledgeGraph, HarmIndex | null>();

function index(kg: KnowledgeGraph): HarmIndex | null {
  if (cache.has(kg)) return cache.get(kg)!;
  const map = mapSchema(kg.header);
  const drugType = map.nodeTypes.drug === undefined ? -1 : kg.header.nodeTypes.indexOf(map.nodeTypes.drug);
  const diseaseType = map.nodeTypes.disease === undefined ? -1 : kg.header.nodeTypes.indexOf(map.nodeTypes.disease);
  if (drugType < 0 || diseaseType < 0) {
    cache.set(kg, null);
    return null;
  }
  const n = kg.nodeCount;
  const drugs = new Uint8Array(n);
  const diseases = new Uint8Array(n);
  const inClass = map.relations.in_class;
  const isA = map.relations.is_a;
  const along = (x: number, rel: typeof inClass, dir: 'out' | 'in') => (rel ? kg.neighbours(x, rel.index, rel.reversed ? (dir === 'out' ? 'in' : 'out') : dir) : new Uint32Array(0));
  const bitsOfName = (name: string, field: 'drug' | 'disease') => KNOWN_HARMS.reduce((b, h, i) => (h[field].test(name) ? b | (1 << i) : b), 0);
  for (let i = 0; i < n; i++) {
    const t = kg.nodeTypeIndex(i);
    if (t === drugType) {
      let b = bitsOfName(kg.nodeName(i), 'drug');
      for (const c of along(i, inClass, 'out')) b |= bitsOfName(kg.nodeName(c), 'drug');
      drugs[i] = b;
    } else if (t === diseaseType) {
      // the disease and its ancestors (a subtype of rosacea is rosacea)
      let b = 0;
      const seen = new Set([i]);
      const stack = [i];
      while (stack.length && seen.size < 200) {
        const x = stack.pop()!;
        b |= bitsOfName(kg.nodeName(x), 'disease');
        for (const p of along(x, isA, 'out')) if (!seen.has(p)) (seen.add(p), stack.push(p));
      }
      diseases[i] = b;
    }
  }
  const v = { drugs, diseases };
  cache.set(kg, v);
  return v;
}

/** the known harm of giving this drug for this disease, or null */
export function knownHarm(kg: KnowledgeGraph, drug: number, disease: number): KnownHarm | null {
  const ix = index(kg);
  if (!ix) return null;
  const b = ix.drugs[drug]! & ix.diseases[disease]!;
  if (!b) return null;
  return KNOWN_HARMS[31 - Math.clz32(b & -b)]!;
}

/**
 * For a graph edge type that plays the "treats" or "palliates" role: a predicate on its
 * (source, target) nodes that is true for a known-harm pair, whichever end is the drug. Null
 * for other edge types.
 */
export function harmfulEdge(kg: KnowledgeGraph, edgeType: number): ((src: number, dst: number) => boolean) | null {
  const map = mapSchema(kg.header);
  const roles = ['treats', 'palliates'].filter((r) => map.relations[r]?.index === edgeType);
  if (!roles.length || !index(kg)) return null;
  return (src, dst) => knownHarm(kg, src, dst) !== null || knownHarm(kg, dst, src) !== null;
}
