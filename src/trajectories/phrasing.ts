/**
 * English for KG facts, in the forms the claim reader recognises: each relation read
 * from its head or from its tail, affirmed or denied, with a few wordings to vary by.
 * The plain forms claim no more than the edge: a finding "can present with" (never
 * "is characterised by", which is for hallmarks: teachable.ts), a disease "affects" or
 * "can involve" a structure (never "the X is the site of", which is for a disease's only
 * site). There is no "not among the recorded …" form: what a graph lists is no clinical
 * reason.
 */
import type { NodeRef, Triple } from '../synthesis/record';
import { inSentence, uninvertName } from '../synthesis/names';
import { anatomyPhrase, findingPhrase } from '../synthesis/lexicon';
import { nodeRoleOf } from '../synthesis/schema-map';
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
}

const the = (s: string) => `the ${s}`;

/**
 * A name as it reads inside a sentence, as the stems and options write it (synthesis/names):
 * MeSH-style inverted names un-inverted ("Obesity, Abdominal" → "abdominal obesity"),
 * title-case headings in lower case; eponyms, acronyms and gene symbols kept. The
 * gazetteer knows these forms too.
 */
export function display(n: NodeRef): string {
  const role = nodeRoleOf(n.type);
  // taxon names keep their capital ("Paragonimus", "Mycobacterium tuberculosis")
  if (role === 'pathogen') return uninvertName(n.name);
  // findings and structures as the stems and options show them (synthesis/lexicon.ts)
  if (role === 'symptom') return inSentence(findingPhrase(n.name));
  if (role === 'anatomy') return inSentence(anatomyPhrase(n.name));
  return inSentence(n.name);
}

const P: Record<string, RelationPhrases> = {
  presents: {
    head: [(h, t) => `${h} can present with ${t}`, (h, t) => `${h} presents with ${t}`],
    tail: [(h, t) => `${t} is a recognised feature of ${h}`, (h, t) => `${t} is a finding of ${h}`],
    notHead: [(h, t) => `${h} does not account for ${t}`],
    notTail: [(h, t) => `${t} does not fit ${h}`],
    headMany: [(h, t) => `${h} can present with ${t}`, (h, t) => `${h} presents with ${t}`],
    tailMany: [(h, t) => `${t} are recognised features of ${h}`, (h, t) => `${t} are all findings of ${h}`],
    manyHeads: (h, t) => `${t} is a recognised feature of ${h}`,
  },
  localizes: {
    head: [(h, t) => `${h} localizes to ${the(t)}`, (h, t) => `${h} affects ${the(t)}`],
    tail: [(h, t) => `${the(t)} is affected by ${h}`],
    headMany: [(h, t) => `${h} affects ${t}`],
    notHead: [(h, t) => `${h} does not localize to ${the(t)}`],
    notTail: [(h, t) => `${the(t)} is not affected by ${h}`],
    manyHeads: (h, t) => `${the(t)} is affected by ${h}`,
  },
  in_specialty: {
    head: [(h, t) => `${h} is managed in ${t}`],
    tail: [(h, t) => `${t} manages ${h}`],
    notHead: [(h, t) => `${h} is not managed in ${t}`],
    notTail: [(h, t) => `${t} does not manage ${h}`],
  },
  caused_by: {
    head: [(h, t) => `${h} is caused by ${t}`],
    tail: [(h, t) => `${t} is the causative agent of ${h}`, (h, t) => `${t} causes ${h}`],
    notHead: [(h, t) => `${h} is not caused by ${t}`],
    notTail: [(h, t) => `${t} is not the cause of ${h}`],
    manyHeads: (h, t) => `${t} causes ${h}`,
  },
  treats: {
    head: [(h, t) => `${h} is used to treat ${t}`, (h, t) => `${h} treats ${t}`],
    headMany: [(h, t) => `${h} is used to treat ${t}`, (h, t) => `${h} treats ${t}`],
    tail: [(h, t) => `${t} is treated with ${h}`],
    notHead: [(h, t) => `${h} is not used to treat ${t}`, (h, t) => `${h} does not treat ${t}`],
    notTail: [(h, t) => `${t} is not treated with ${h}`],
    manyHeads: (h, t) => `${t} is treated with ${h}`,
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
  },
  targets: {
    head: [(h, t) => `${h} targets ${t}`, (h, t) => `${h} acts on the product of ${t}`],
    tail: [(h, t) => `${t} is a target of ${h}`],
    headMany: [(h, t) => `${h} targets ${t}`],
    notHead: [(h, t) => `${h} does not target ${t}`, (h, t) => `${h} does not act on ${t}`],
    notTail: [(h, t) => `${t} is not a target of ${h}`],
    manyHeads: (h, t) => `${t} is a target of ${h}`,
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
  };
}

export interface Phraser {
  /** a sentence body (no final full stop), capitalised unless `cap` is false */
  fact(t: Triple, opts: { from: 'head' | 'tail'; negated?: boolean; variant: number; cap?: boolean }): string;
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
