/**
 * What a synthesis run works out about a graph that does not depend on its seed or its
 * counts: the strong-edge view, the hierarchies' closures, what each disease may present,
 * clinical groups, what each subject already has, the answer pools' levels. Kept per graph
 * (and label and excluded datasets), so a second run on the same graph — the next Generate,
 * the next benchmark seed — starts warm. Everything here is a pure function of the graph;
 * what a run draws or counts stays with the run (engine.ts).
 */
import type { KnowledgeGraph } from '../graph/knowledge-graph';
import { Differentials } from './differential';
import type { Known } from './judges';
import { SynthGraph } from './kg-view';
import { PictureBuilder } from './picture';
import { Hierarchies } from './relatedness';

export interface PoolLevels {
  nodes: Uint32Array;
  levels: Uint8Array[];
  median: number;
}

export interface GraphContext {
  g: SynthGraph;
  h: Hierarchies;
  pic: PictureBuilder;
  diff: Differentials;
  /** per subject: what it already has (judges.ts), with the rules' picture-independent verdicts */
  known: Map<number, Known>;
  /** per question type: the answers a chain reaches, by level */
  pools: Map<string, PoolLevels>;
  /** per type and answer: the subjects whose names do not give it away */
  namedSubjects: Map<string, number[]>;
  /** per role: options from anywhere in the graph */
  far: Map<string, Uint32Array>;
  /** diseases with a picture, anatomy a question may name (computed on first use) */
  pictureSubjects: Uint8Array | null;
  concreteAnatomy: Uint8Array | null;
}

const contexts = new WeakMap<KnowledgeGraph, Map<string, GraphContext>>();

export function graphContext(kg: KnowledgeGraph, label: string, excluded: readonly string[]): GraphContext {
  let byKey = contexts.get(kg);
  if (!byKey) contexts.set(kg, (byKey = new Map()));
  const key = `${label}\u0000${[...excluded].sort().join(',')}`;
  let c = byKey.get(key);
  if (!c) {
    const g = new SynthGraph(kg, label, new Set(excluded));
    const h = new Hierarchies(g);
    const pic = new PictureBuilder(g, h);
    c = { g, h, pic, diff: new Differentials(g, h, pic), known: new Map(), pools: new Map(), namedSubjects: new Map(), far: new Map(), pictureSubjects: null, concreteAnatomy: null };
    byKey.set(key, c);
  }
  return c;
}
