/**
 * Verification of one trajectory against its question and the KG. Every check is
 * stored with its result and a detail the refinement prompt can quote:
 * format · answer (equals gold) · entities (every named entity resolves in the KG) ·
 * relations (every asserted relation holds in the KG as a strong edge, stated no more
 * strongly than the graph backs, and no option argued away by what the graph lists —
 * "not among the recorded …") · discriminating (each distractor is ruled out by a fact
 * that contradicts it) · length (within bounds).
 */
import type { KnowledgeGraph } from '../graph/knowledge-graph';
import type { QuestionRecord, Triple } from '../synthesis/record';
import { ClaimReader, type EntityMention } from './claims';
import { letterOfOption } from './options';
import { absentEdgePhrases, extractAnswer, parseChain, reasoningBody, wordCount } from './text';
import type { CheckResult, Claim } from './types';

export interface LengthBounds {
  minWords: number;
  /** the most words the think block may have for an item with this many options */
  maxWords: (optionCount: number) => number;
}

export const DEFAULT_BOUNDS: LengthBounds = { minWords: 12, maxWords: (n) => 110 + 45 * n };

export interface Verification {
  checks: CheckResult[];
  claims: Claim[];
  unsupportedClaims: number;
  unresolved: string[];
  mentions: EntityMention[];
}

const check = (name: CheckResult['name'], passed: boolean, detail: string, applicable = true): CheckResult => ({ name, passed, applicable, detail });

export class Verifier {
  readonly reader: ClaimReader;

  constructor(readonly kg: KnowledgeGraph, readonly bounds: LengthBounds = DEFAULT_BOUNDS, reader?: ClaimReader) {
    this.reader = reader ?? new ClaimReader(kg);
  }

  verify(q: QuestionRecord, text: string): Verification {
    const parsed = parseChain(text);
    const letters = Object.keys(q.options);
    const checks: CheckResult[] = [];
    const given = extractAnswer(text);
    const formatOk = parsed.problem === null && given !== null && letters.includes(given);
    checks.push(
      check(
        'format',
        formatOk,
        parsed.problem ?? (formatOk ? 'well formed' : `<answer> holds "${parsed.answer ?? ''}", not one of the option letters ${letters.join(', ')}`),
      ),
    );
    checks.push(check('answer', given === q.answer_idx, given === null ? 'no answer letter found' : given === q.answer_idx ? `answers ${given}` : `answers ${given}, the gold answer is ${q.answer_idx}`));
    const body = reasoningBody(text);
    const reading = this.reader.read(body);
    const unsupported = reading.claims.filter((c) => !c.supported);
    const fromAbsence = absentEdgePhrases(body);
    checks.push(
      check(
        'entities',
        reading.unresolved.length === 0 && reading.mentions.length > 0,
        reading.unresolved.length
          ? `not in the KG: ${reading.unresolved.map((t) => `"${t}"`).join(', ')}`
          : reading.mentions.length
            ? `${reading.mentions.length} entity mentions, all resolved`
            : 'names no entity of the KG',
      ),
    );
    const problems = [
      ...(unsupported.length ? [`unsupported: ${unsupported.slice(0, 4).map(describeClaim).join('; ')}${unsupported.length > 4 ? ` (+${unsupported.length - 4} more)` : ''}`] : []),
      ...(fromAbsence.length ? [`argues from what the graph lists (${[...new Set(fromAbsence.map((p) => `"${p}"`))].join(', ')}), which is no clinical reason: give what the option is used for, causes or presents with instead`] : []),
    ];
    checks.push(
      check(
        'relations',
        problems.length === 0 && reading.claims.length > 0,
        problems.length ? problems.join('; ') : reading.claims.length ? `${reading.claims.length} claims, all in the KG` : 'asserts no relation the KG can check',
      ),
    );
    checks.push(this.discriminating(q, reading.claims));
    const words = parsed.think ? wordCount(parsed.think) : wordCount(body);
    const max = this.bounds.maxWords(letters.length);
    checks.push(check('length', words >= this.bounds.minWords && words <= max, `${words} words (bounds ${this.bounds.minWords}–${max})`));
    return { checks, claims: reading.claims, unsupportedClaims: unsupported.length, unresolved: reading.unresolved, mentions: reading.mentions };
  }

  /**
   * Each distractor must be ruled out by a fact the KG supports. Its stored contradiction
   * names the discriminating relation and the stem entity it is about; the chain must
   * state, about the other end (the option, or the competing node its path reaches):
   *  - the contradiction itself when it holds (a drug that does treat the disease), or as
   *    a negative only where the absence is informative (claims.ts counts no other
   *    negative as supported); or
   *  - a positive fact of the same relation with a counterpart the stem does not have
   *    (the competing disease's other features, the drug's other indications, the
   *    class's other members, the structure's other diseases): the open-world reason; or
   *  - one of the reasons synthesis stored with the option (Distractor.reasons).
   */
  private discriminating(q: QuestionRecord, claims: Claim[]): CheckResult {
    const p = q.provenance;
    if (!p || p.distractors.length === 0) return check('discriminating', true, 'no stored distractor facts (not a synthetic item)', false);
    const stemIds = new Set(p.evidence.filter((e) => e.shown && e.role === 'evidence').flatMap((e) => [e.head.id, e.tail.id]));
    const keyIds = new Set([p.answer_node.id, ...p.evidence.filter((e) => e.role === 'chain').flatMap((e) => [e.head.id, e.tail.id])]);
    const missing: string[] = [];
    for (const d of p.distractors) {
      const f = d.contradicted_by;
      const subjectIsHead = !stemIds.has(f.head.id) || stemIds.has(f.tail.id);
      const subject = subjectIsHead ? f.head.id : f.tail.id;
      const other = subjectIsHead ? f.tail.id : f.head.id;
      const stated = (t: Triple, positive: boolean) => claims.some((c) => c.supported && c.positive === positive && c.relation === t.relation && c.headIds.includes(t.head.id) && c.tailIds.includes(t.tail.id));
      // a reason synthesis stored for this option (a fact that points elsewhere, a conflict, an informative lack)
      const byReason = (d.reasons ?? []).some((r) => r.kind !== 'separate' && stated(r.fact, r.fact.holds));
      // a positive fact about the option itself that points elsewhere: "(C) proton pump inhibitors include omeprazole, …",
      // "(B) the lung is the site of …", "(A) X is used to treat Y" (counterpart neither the stem's nor the key's)
      // (not in an EXCEPT item: there an option is ruled out only by the conflict itself, that it DOES treat the condition)
      const except = (d.reasons ?? []).some((r) => r.kind === 'conflicts') || q.type === 'contraindicated';
      const aboutOption = !except && claims.some((c) => c.supported && c.positive && ((c.headIds.includes(d.id) && c.tailIds.some((x) => !stemIds.has(x) && !keyIds.has(x))) || (c.tailIds.includes(d.id) && c.headIds.some((x) => !stemIds.has(x) && !keyIds.has(x)))));
      const ok = byReason || aboutOption || claims.some((c) => {
        if (!c.supported || c.relation !== f.relation) return false;
        const s = subjectIsHead ? c.headIds : c.tailIds;
        const o = subjectIsHead ? c.tailIds : c.headIds;
        if (!s.includes(subject)) return false;
        // the stored contradiction (a holding conflict, or an informative absence)
        if (c.positive === f.holds && o.includes(other)) return true;
        // a shown finding the option cannot account for (supported only where its picture is well described)
        if (!c.positive && o.some((x) => stemIds.has(x))) return true;
        // a positive fact with a counterpart that is not the stem's nor the key's
        return c.positive && o.some((x) => x !== other && !stemIds.has(x) && !keyIds.has(x));
      });
      if (!ok) {
        const letter = letterOfOption(q, d.name) ?? '?';
        const name = subjectIsHead ? f.head.name : f.tail.name;
        missing.push(
          f.holds
            ? `option ${letter} (${d.name}): state that ${f.head.name} ${relationWords(f.relation, false)} ${f.tail.name}`
            : `option ${letter} (${d.name}): state a "${f.relation.replace(/_/g, ' ')}" fact of ${name} that the stem does not share`,
        );
      }
    }
    return check('discriminating', missing.length === 0, missing.length ? `not ruled out: ${missing.join('; ')}` : `all ${p.distractors.length} distractors ruled out by a KG fact`);
  }
}

const NEGATED_VERB: Record<string, string> = { presents: 'present with', treats: 'treat', targets: 'target', localizes: 'localize to', caused_by: 'get caused by', in_class: 'belong to', participates_pathway: 'participate in' };

function relationWords(rel: string, negated: boolean): string {
  if (negated && Object.hasOwn(NEGATED_VERB, rel)) return NEGATED_VERB[rel]!;
  return rel.replace(/_/g, ' ');
}

export function describeClaim(c: Claim): string {
  if (c.positive) {
    if (c.overclaim) return `"${c.head.name} ${c.relation} ${c.tail.name}" is stated too strongly: ${c.overclaim}`;
    return c.weakSources ? `"${c.head.name} ${c.relation} ${c.tail.name}" is only weakly asserted (${c.weakSources.join(', ')} alone)` : `"${c.head.name} ${c.relation} ${c.tail.name}" is not in the KG`;
  }
  return c.absence ? `"${c.head.name} not ${c.relation} ${c.tail.name}": the KG lacks the edge, but that proves nothing (${c.absence})` : `"${c.head.name} not ${c.relation} ${c.tail.name}" but the KG has that edge`;
}
