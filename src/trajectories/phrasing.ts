/**
 * English for KG facts, in the forms the claim reader recognises: each relation read
 * from its head or from its tail, affirmed or denied, with a few wordings to vary by;
 * and the hedged negative "X is not among the recorded … of Y", which states only what
 * the KG lists (for absences that absence.ts finds informative), never an absolute "not".
 */
import type { NodeRef, Triple } from '../synthesis/record';
import { inSentence, uninvertName } from '../synthesis/names';
import { capitalize } from './text';

type Form = (h: string, t: string) => string;

interface RelationPhrases {
  head: Form[];
  tail: Form[];
  notHead: Form[];
  notTail: Form[];
  /** several tails at once, read from the head: "X presents with a, b and c" */
  headMany?: Form[];
  tailMany?: Form[];
  /** several heads, one tail, read from the tail: "the class includes a, b and c" (h is the list) */
  manyHeads?: Form;
  /** "not among the recorded … of": the KG's list lacks the pair */
  absent?: Form;
}

const the = (s: string) => `the ${s}`;

/**
 * A name as it reads inside a sentence, as the stems and options write it (synthesis/names):
 * MeSH-style inverted names un-inverted ("Obesity, Abdominal" → "abdominal obesity"),
 * title-case headings in lower case; eponyms, acronyms and gene symbols kept. The
 * gazetteer knows these forms too.
 */
export function display(n: NodeRef): string {
  // taxon names keep their capital ("Paragonimus", "Mycobacterium tuberculosis")
  return n.type === 'pathogen' ? uninvertName(n.name) : inSentence(n.name);
}

const P: Record<string, RelationPhrases> = {
  presents: {
    head: [(h, t) => `${h} presents with ${t}`, (h, t) => `${h} is characterised by ${t}`],
    tail: [(h, t) => `${t} is a recognised feature of ${h}`, (h, t) => `${t} is a symptom of ${h}`],
    notHead: [(h, t) => `${h} does not present with ${t}`],
    notTail: [(h, t) => `${t} is not a feature of ${h}`],
    headMany: [(h, t) => `${h} presents with ${t}`, (h, t) => `${h} is characterised by ${t}`],
    tailMany: [(h, t) => `${t} are recognised features of ${h}`, (h, t) => `${t} are symptoms of ${h}`],
    manyHeads: (h, t) => `${t} is a recognised feature of ${h}`,
    absent: (h, t) => `${t} is not among the recorded features of ${h}`,
  },
  localizes: {
    head: [(h, t) => `${h} localizes to ${the(t)}`, (h, t) => `${h} affects ${the(t)}`],
    tail: [(h, t) => `${the(t)} is the site of ${h}`],
    headMany: [(h, t) => `${h} affects ${t}`],
    notHead: [(h, t) => `${h} does not localize to ${the(t)}`],
    notTail: [(h, t) => `${the(t)} is not the site of ${h}`],
    manyHeads: (h, t) => `${the(t)} is the site of ${h}`,
    absent: (h, t) => `${the(t)} is not among the recorded sites of ${h}`,
  },
  in_specialty: {
    head: [(h, t) => `${h} is managed in ${t}`],
    tail: [(h, t) => `${t} manages ${h}`],
    notHead: [(h, t) => `${h} is not managed in ${t}`],
    notTail: [(h, t) => `${t} does not manage ${h}`],
    absent: (h, t) => `${t} is not among the recorded specialties for ${h}`,
  },
  caused_by: {
    head: [(h, t) => `${h} is caused by ${t}`],
    tail: [(h, t) => `${t} is the causative agent of ${h}`, (h, t) => `${t} causes ${h}`],
    notHead: [(h, t) => `${h} is not caused by ${t}`],
    notTail: [(h, t) => `${t} is not the cause of ${h}`],
    manyHeads: (h, t) => `${t} causes ${h}`,
    absent: (h, t) => `${t} is not among the recorded causes of ${h}`,
  },
  treats: {
    head: [(h, t) => `${h} is used to treat ${t}`, (h, t) => `${h} treats ${t}`, (h, t) => `${h} is indicated for ${t}`],
    headMany: [(h, t) => `${h} is used to treat ${t}`, (h, t) => `${h} treats ${t}`],
    tail: [(h, t) => `${t} is treated with ${h}`],
    notHead: [(h, t) => `${h} is not used to treat ${t}`, (h, t) => `${h} does not treat ${t}`],
    notTail: [(h, t) => `${t} is not treated with ${h}`],
    manyHeads: (h, t) => `${t} is treated with ${h}`,
    absent: (h, t) => `${h} is not among the recorded treatments of ${t}`,
  },
  not_indicated_for: {
    head: [(h, t) => `${h} is not indicated for ${t}`],
    tail: [(h, t) => `${t} should not be treated with ${h}`],
    notHead: [(h, t) => `it is not the case that ${h} is not indicated for ${t}`],
    notTail: [(h, t) => `it is not the case that ${h} is not indicated for ${t}`],
  },
  in_class: {
    head: [(h, t) => `${h} is a member of ${t}`, (h, t) => `${h} belongs to the class ${t}`],
    tail: [(h, t) => `${t} includes ${h}`],
    manyHeads: (h, t) => `${t} includes ${h}`,
    notHead: [(h, t) => `${h} is not a member of ${t}`, (h, t) => `${h} does not belong to ${t}`],
    notTail: [(h, t) => `${t} does not include ${h}`],
    absent: (h, t) => `${h} is not among the recorded members of ${t}`,
  },
  targets: {
    head: [(h, t) => `${h} targets ${t}`, (h, t) => `${h} acts on the product of ${t}`],
    tail: [(h, t) => `${t} is a target of ${h}`],
    headMany: [(h, t) => `${h} targets ${t}`],
    notHead: [(h, t) => `${h} does not target ${t}`, (h, t) => `${h} does not act on ${t}`],
    notTail: [(h, t) => `${t} is not a target of ${h}`],
    manyHeads: (h, t) => `${t} is a target of ${h}`,
    absent: (h, t) => `${t} is not among the recorded targets of ${h}`,
  },
  participates_pathway: {
    head: [(h, t) => `${h} participates in ${t}`, (h, t) => `${h} takes part in ${t}`],
    headMany: [(h, t) => `${h} participates in ${t}`],
    tail: [(h, t) => `${t} involves ${h}`],
    manyHeads: (h, t) => `${t} involves ${h}`,
    notHead: [(h, t) => `${h} does not participate in ${t}`],
    notTail: [(h, t) => `${t} does not involve ${h}`],
  },
};

function fallback(label: string, inverse: string): RelationPhrases {
  return {
    head: [(h, t) => `${h} ${label} ${t}`],
    tail: [(h, t) => `${t} ${inverse} ${h}`],
    notHead: [(h, t) => `it is not the case that ${h} ${label} ${t}`],
    notTail: [(h, t) => `it is not the case that ${t} ${inverse} ${h}`],
    absent: (h, t) => `it is not recorded that ${h} ${label} ${t}`,
  };
}

export interface Phraser {
  /** a sentence body (no final full stop), capitalised unless `cap` is false */
  fact(t: Triple, opts: { from: 'head' | 'tail'; negated?: boolean; variant: number; cap?: boolean }): string;
  /** the hedged negative for an informative absence: "t is not among the recorded features of h" */
  absent(t: Triple, opts?: { cap?: boolean }): string;
  /** one head with several tails (or one tail with several heads) of the same relation */
  facts(rel: string, one: NodeRef, many: NodeRef[], opts: { oneIs: 'head' | 'tail'; from: 'one' | 'many'; variant: number }): string;
}

/** "a", "a and b", "a, b and c" */
export function list(xs: string[]): string {
  if (xs.length <= 1) return xs[0] ?? '';
  return `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

export function makePhraser(labels: Record<string, { label: string; inverseLabel: string }>): Phraser {
  const fallbackOf = (rel: string) => fallback(labels[rel]?.label ?? rel.replace(/_/g, ' '), labels[rel]?.inverseLabel ?? `is ${rel.replace(/_/g, ' ')} of`);
  const phrases = (rel: string) => (Object.hasOwn(P, rel) ? P[rel] : undefined) ?? fallbackOf(rel);
  const pick = <T>(xs: T[], v: number) => xs[v % xs.length]!;
  return {
    fact(t, { from, negated, variant, cap = true }) {
      const p = phrases(t.relation);
      const forms = negated ? (from === 'head' ? p.notHead : p.notTail) : from === 'head' ? p.head : p.tail;
      const s = pick(forms, variant)(display(t.head), display(t.tail));
      return cap ? capitalize(s) : s;
    },
    absent(t, { cap = true } = {}) {
      const p = phrases(t.relation);
      const form = p.absent ?? fallbackOf(t.relation).absent!;
      const s = form(display(t.head), display(t.tail));
      return cap ? capitalize(s) : s;
    },
    facts(rel, one, many, { oneIs, from, variant }) {
      const p = phrases(rel);
      const names = list(many.map(display));
      if (many.length === 1) return this.fact(oneIs === 'head' ? { head: one, relation: rel, tail: many[0]! } : { head: many[0]!, relation: rel, tail: one }, { from: (from === 'one') === (oneIs === 'head') ? 'head' : 'tail', variant });
      if (oneIs === 'head') {
        const forms = from === 'one' ? (p.headMany ?? p.head) : (p.tailMany ?? null);
        if (forms) return capitalize(pick(forms, variant)(display(one), names));
        return many.map((m) => this.fact({ head: one, relation: rel, tail: m }, { from: 'head', variant })).join('. ');
      }
      if (from === 'one' && p.manyHeads) return capitalize(p.manyHeads(names, display(one)));
      return many.map((m) => this.fact({ head: m, relation: rel, tail: one }, { from: from === 'one' ? 'tail' : 'head', variant })).join('. ');
    },
  };
}
