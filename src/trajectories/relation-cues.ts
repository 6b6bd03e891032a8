/**
 * How English states the KG's relations: verb phrases per edge type, read head→tail
 * ("fwd") or tail→head ("inv"). Phrases are matched after auxiliaries, negators and
 * frequency adverbs are removed ("does not typically present with" → "present with"),
 * so one entry covers its negated and hedged forms. Edge types of other graphs fall
 * back to their own label and inverse label.
 */
import type { EdgeTypeInfo } from '../graph/format';
import { mapSchema } from '../synthesis/schema-map';

export interface CueSense {
  rel: string;
  dir: 'fwd' | 'inv';
  /** the phrase itself denies the relation ("lacks") */
  negated?: boolean;
  /**
   * the phrase claims more than the edge (teachable.ts): 'hallmark' ("is characterised by",
   * "is a hallmark of": a specific finding of few diseases), 'sole_site' ("is the site of":
   * the disease's only site), 'label' ("is indicated for", "is approved for": an indication a
   * drug label states, not only a physician's or the crowd's)
   */
  qualifier?: Qualifier;
}

export type Qualifier = 'hallmark' | 'sole_site' | 'label';

/** words that make any "presents" claim of their clause a hallmark claim ("classically presents with") */
export const HALLMARK_WORDS = new Set(['classically', 'characteristically', 'pathognomonic', 'hallmark', 'hallmarks', 'characteristic', 'classic']);

/** words dropped before cue matching; NEGATORS also make the clause negative */
export const NEGATORS = new Set(['not', "n't", 'never', 'cannot']);
export const SKIPPED = new Set(['does', 'do', 'did', 'typically', 'commonly', 'usually', 'often', 'also', 'classically', 'frequently', 'characteristically', 'generally', 'always', 'indeed', 'directly', 'mainly', 'primarily', 'specifically', 'clearly', 'still', 'only', 'both']);
/** multi-word phrases that contain a negator but state a relation of their own */
export const FUSED: [string[], string][] = [
  [['not', 'indicated', 'for'], '⟨not-indicated-for⟩'],
  [['should', 'not', 'be', 'treated', 'with'], '⟨should-not-be-treated-with⟩'],
];

type Phrases = { fwd?: string[]; inv?: string[]; lacks?: string[]; hallmarkFwd?: string[]; hallmarkInv?: string[]; soleInv?: string[]; labelFwd?: string[] };

const C: Record<string, Phrases> = {
  presents: {
    fwd: ['presents with', 'present with', 'presenting with', 'manifests with', 'manifest with', 'manifests as', 'causes', 'cause', 'produces', 'produce', 'accounts for', 'account for', 'explains', 'explain'],
    inv: ['is among the recorded features of', 'are among the recorded features of', 'is a symptom of', 'are symptoms of', 'is a feature of', 'are features of', 'is a recognised feature of', 'are recognised features of', 'is a recognized feature of', 'are recognized features of', 'is a finding in', 'are findings in', 'is a finding of', 'are findings of', 'is seen in', 'are seen in', 'occurs in', 'occur in', 'is a sign of', 'are signs of', 'points to', 'point to', 'fits', 'fit'],
    lacks: ['lacks', 'lack'],
    hallmarkFwd: ['is characterised by', 'is characterized by', 'are characterised by', 'are characterized by'],
    hallmarkInv: ['is a hallmark of', 'are hallmarks of', 'is the hallmark of', 'is characteristic of', 'are characteristic of', 'is a classic feature of', 'are classic features of', 'is a classic sign of', 'is pathognomonic of', 'is pathognomonic for'],
  },
  symptom_is_a: { fwd: ['is a', 'is an', 'is a type of', 'is a form of', 'is a kind of'], inv: ['has subtype', 'includes'] },
  is_a: { fwd: ['is a', 'is an', 'is a type of', 'is a form of', 'is a subtype of', 'is a kind of'], inv: ['has subtype', 'includes'] },
  localizes: {
    fwd: ['localizes to', 'localises to', 'localize to', 'localise to', 'affects', 'affect', 'involves', 'involve'],
    inv: ['is among the recorded sites of', 'is a site of', 'is affected by', 'is affected in', 'is involved in'],
    soleInv: ['is the site of', 'is the main site of', 'is the primary site of', 'is the seat of'],
  },
  caused_by: { fwd: ['is caused by', 'are caused by', 'is due to', 'results from'], inv: ['is among the recorded causes of', 'causes', 'cause', 'is the cause of', 'is the causative agent of', 'is the causal agent of'] },
  associates: { fwd: ['is associated with gene', 'is associated with', 'is linked to'], inv: ['is associated with disease', 'is associated with', 'is linked to'] },
  resembles: { fwd: ['resembles', 'resemble', 'mimics', 'mimic', 'is similar to'] },
  in_specialty: { fwd: ['is managed in', 'is managed by', 'falls under'], inv: ['manages', 'is among the recorded specialties for'] },
  treats: {
    fwd: ['is among the recorded treatments of', 'are among the recorded treatments of', 'treats', 'treat', 'is used to treat', 'are used to treat', 'is used for', 'is a treatment for', 'is a treatment of'],
    inv: ['is treated by', 'is treated with', 'can be treated with', 'are treated with', 'responds to'],
    labelFwd: ['is indicated for', 'are indicated for', 'is approved for', 'are approved for', 'is licensed for', 'is labelled for', 'is labeled for'],
  },
  palliates: { fwd: ['palliates', 'palliate'], inv: ['is palliated by'] },
  not_indicated_for: { fwd: ['is ⟨not-indicated-for⟩', 'are ⟨not-indicated-for⟩', '⟨not-indicated-for⟩'], inv: ['⟨should-not-be-treated-with⟩'] },
  treats_symptom: { fwd: ['relieves', 'relieve', 'treats', 'treat', 'is used to treat'], inv: ['is relieved by'] },
  in_class: { fwd: ['is among the recorded members of', 'is in class', 'is in the class', 'is a member of', 'belongs to', 'belongs to the class', 'is classified as', 'is a', 'is an', 'is one of the'], inv: ['includes', 'include'] },
  targets: { fwd: ['targets', 'target', 'acts on', 'act on', 'acts on the product of', 'binds', 'binds to'], inv: ['is among the recorded targets of', 'is targeted by', 'is a target of', 'is the target of', 'encodes a target of', 'encodes the target of'] },
  participates_process: { fwd: ['participates in', 'participate in', 'takes part in', 'is involved in'], inv: ['involves', 'involve'] },
  participates_pathway: { fwd: ['participates in', 'participate in', 'takes part in', 'is involved in', 'is part of'], inv: ['involves', 'involve'] },
  participates_component: { fwd: ['is located in', 'localizes to', 'localises to'], inv: ['contains'] },
  participates_function: { fwd: ['has function', 'has the function'], inv: ['is a function of'] },
};

export interface CueTable {
  /** cue phrases (token lists), longest first, each with the senses it may carry */
  cues: { tokens: string[]; senses: CueSense[] }[];
}

const words = (p: string) => p.toLowerCase().split(/\s+/).filter(Boolean);

/**
 * The cue table of a graph. An edge type is read with the phrases of the template role it
 * plays (schema-map.ts: Hetionet's "CtD" plays "treats"; stored target → source, the
 * phrases' directions flip), else with its own label and inverse label.
 */
export function buildCueTable(header: { nodeTypes: readonly string[]; edgeTypes: readonly EdgeTypeInfo[] }): CueTable {
  const map = new Map<string, CueSense[]>();
  const add = (phrase: string, sense: CueSense) => {
    const toks = words(phrase).filter((w) => !SKIPPED.has(w) && !NEGATORS.has(w));
    if (!toks.length) return;
    const key = toks.join(' ');
    const list = map.get(key) ?? [];
    if (!list.some((s) => s.rel === sense.rel && s.dir === sense.dir && !!s.negated === !!sense.negated && s.qualifier === sense.qualifier)) list.push(sense);
    map.set(key, list);
  };
  const roles = mapSchema(header).relations;
  const roleOf = new Map<string, { role: string; reversed: boolean }>();
  for (const [role, r] of Object.entries(roles)) if (r && !roleOf.has(r.name) && Object.hasOwn(C, role)) roleOf.set(r.name, { role, reversed: r.reversed });
  for (const et of header.edgeTypes) {
    const mapped = roleOf.get(et.name);
    const known = Object.hasOwn(C, et.name) ? C[et.name] : mapped ? C[mapped.role] : undefined;
    const flip = !Object.hasOwn(C, et.name) && !!mapped?.reversed;
    const fwd: 'fwd' | 'inv' = flip ? 'inv' : 'fwd';
    const inv: 'fwd' | 'inv' = flip ? 'fwd' : 'inv';
    for (const p of known?.fwd ?? []) add(p, { rel: et.name, dir: fwd });
    for (const p of known?.inv ?? []) add(p, { rel: et.name, dir: inv });
    for (const p of known?.lacks ?? []) add(p, { rel: et.name, dir: fwd, negated: true });
    for (const p of known?.hallmarkFwd ?? []) add(p, { rel: et.name, dir: fwd, qualifier: 'hallmark' });
    for (const p of known?.hallmarkInv ?? []) add(p, { rel: et.name, dir: inv, qualifier: 'hallmark' });
    for (const p of known?.soleInv ?? []) add(p, { rel: et.name, dir: inv, qualifier: 'sole_site' });
    for (const p of known?.labelFwd ?? []) add(p, { rel: et.name, dir: fwd, qualifier: 'label' });
    if (!known) {
      add(fuse(et.label), { rel: et.name, dir: 'fwd' });
      add(fuse(et.inverseLabel), { rel: et.name, dir: 'inv' });
    }
  }
  const cues = [...map.entries()].map(([k, senses]) => ({ tokens: k.split(' '), senses }));
  cues.sort((a, b) => b.tokens.length - a.tokens.length);
  return { cues };
}

function fuse(label: string): string {
  let toks = words(label);
  for (const [pat, tok] of FUSED) toks = fuseTokens(toks, pat, tok);
  return toks.join(' ');
}

/** replaces each occurrence of `pat` in `toks` by the single token `tok` */
export function fuseTokens(toks: string[], pat: string[], tok: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < toks.length; i++) {
    if (pat.every((p, k) => toks[i + k] === p)) {
      out.push(tok);
      i += pat.length - 1;
    } else out.push(toks[i]!);
  }
  return out;
}
