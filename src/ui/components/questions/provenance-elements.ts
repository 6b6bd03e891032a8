/**
 * A question's provenance as cytoscape elements: the masked answer, the evidence (shown
 * and dropped), the hidden chain, and each distractor with the fact that rules it out.
 * Pure, so the drawing logic is tested without a browser.
 */
import type { NodeRef, QuestionRecord, Triple } from '../../../synthesis/record';

export interface ElementDef {
  group: 'nodes' | 'edges';
  data: Record<string, string | boolean>;
  classes: string;
}

export function provenanceElements(r: QuestionRecord): ElementDef[] {
  const p = r.provenance;
  if (!p) return [];
  const nodes = new Map<string, ElementDef>();
  const edges = new Map<string, ElementDef>();
  const node = (n: NodeRef, cls: string) => {
    const prev = nodes.get(n.id);
    if (prev) {
      // a node keeps its most telling role: answer > distractor > evidence > other
      if (rank(cls) > rank(prev.classes.split(' ')[0]!)) prev.classes = `${cls} t-${n.type}`;
      return;
    }
    nodes.set(n.id, { group: 'nodes', data: { id: n.id, label: n.name, type: n.type }, classes: `${cls} t-${n.type}` });
  };
  const edge = (t: Triple, cls: string, label = t.relation) => {
    const id = `${t.head.id}|${t.relation}|${t.tail.id}|${cls}`;
    if (!edges.has(id)) edges.set(id, { group: 'edges', data: { id, source: t.head.id, target: t.tail.id, label }, classes: cls });
  };
  node(p.answer_node, 'answer');
  nodes.get(p.answer_node.id)!.data.label = `? (${p.answer_node.type}: ${p.answer_node.name})`;
  for (const e of p.evidence) {
    for (const n of [e.head, e.tail]) node(n, e.role === 'chain' ? 'hidden' : e.shown ? 'evidence' : 'dropped');
    edge(e, e.role === 'chain' ? 'chain' : e.shown ? 'evidence' : 'dropped');
  }
  for (const d of p.distractors) {
    node(d, 'distractor');
    const f = d.contradicted_by;
    for (const n of [f.head, f.tail]) node(n, 'context');
    edge(f, f.holds ? 'contradiction holds' : 'contradiction missing', f.holds ? `${f.relation} (rules it out)` : `NOT ${f.relation}`);
    for (const v of d.via ?? []) {
      for (const n of [v.head, v.tail]) node(n, 'context');
      edge(v, 'via');
    }
  }
  return [...nodes.values(), ...edges.values()];
}

const RANKS = ['context', 'dropped', 'hidden', 'evidence', 'distractor', 'answer'];
const rank = (cls: string) => RANKS.indexOf(cls);
