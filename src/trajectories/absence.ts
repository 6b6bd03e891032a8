/**
 * When may a missing KG edge be read as "not so"? A KG is incomplete, so an absent edge
 * alone proves nothing. A chain may say that something is "not among the recorded
 * features / treatments / sites … of" an entity only where the absence is informative:
 *  - the entity whose list is meant is well annotated in that relation (it has enough
 *    recorded edges of that type for a missing one to mean something);
 *  - the two names do not contain one another ("uterus" / "endometriosis of uterus");
 *  - no relative of one end has the edge to a relative of the other (a parent or subtype
 *    along the type's is-a / part-of hierarchy: a drug for a subtype of the disease, a
 *    disease at a structure inside the organ, a finding that is a kind of the other);
 *  - for treatments: no drug of the same specific class is recorded for the disease.
 * The teacher asks this before writing a negative; the claim checker asks it before
 * counting a negative claim as supported.
 */
import type { KnowledgeGraph } from '../graph/knowledge-graph';
import { containsName } from '../synthesis/text';

export interface AbsenceVerdict {
  informative: boolean;
  /** why not (or, when informative, how well annotated the list is) */
  reason: string;
}

/** Which end's list a negative is about, and how many recorded edges make that list informative. */
interface ListRule {
  owner: 'head' | 'tail';
  min: number;
  /** the other end must have at least this many edges of the type (default 1) */
  otherMin?: number;
}

const RULES: Record<string, ListRule> = {
  presents: { owner: 'head', min: 4 },
  localizes: { owner: 'head', min: 2 },
  caused_by: { owner: 'head', min: 1 },
  in_specialty: { owner: 'head', min: 1 },
  associates: { owner: 'head', min: 5 },
  treats: { owner: 'tail', min: 3 },
  palliates: { owner: 'tail', min: 3 },
  treats_symptom: { owner: 'tail', min: 3 },
  in_class: { owner: 'head', min: 1, otherMin: 2 },
  targets: { owner: 'head', min: 1 },
  participates_pathway: { owner: 'head', min: 2 },
  participates_process: { owner: 'head', min: 3 },
  participates_component: { owner: 'head', min: 2 },
  participates_function: { owner: 'head', min: 2 },
};
const DEFAULT_RULE: ListRule = { owner: 'head', min: 3 };

/** a class with at most this many member drugs is "specific" (a mechanism class, not "Anti-Infective Agents") */
const SPECIFIC_CLASS_MAX = 40;
/** hierarchy steps followed up and down from each end */
const HIERARCHY_DEPTH = 2;
/** the most relatives collected per end (a root class has thousands of descendants) */
const RELATIVES_CAP = 400;

export class AbsenceOracle {
  private readonly hierarchyOf = new Map<number, number[]>();
  private readonly inClass: number;
  private readonly cache = new Map<string, AbsenceVerdict>();
  private readonly relativesCache = new Map<number, number[]>();

  constructor(readonly kg: KnowledgeGraph) {
    // same-type, non-symmetric "is a" / "part of" edge types form each type's hierarchy
    kg.header.edgeTypes.forEach((et, i) => {
      if (et.source !== et.target || !/(^|_)(is_a|part_of)$/.test(et.name)) return;
      const t = kg.header.nodeTypes.indexOf(et.source);
      const list = this.hierarchyOf.get(t) ?? [];
      list.push(i);
      this.hierarchyOf.set(t, list);
    });
    this.inClass = kg.edgeTypeIndex('in_class');
  }

  judge(head: number, rel: number, tail: number): AbsenceVerdict {
    const key = `${head}|${rel}|${tail}`;
    let v = this.cache.get(key);
    if (!v) {
      v = this.compute(head, rel, tail);
      if (this.cache.size > 50_000) this.cache.clear();
      this.cache.set(key, v);
    }
    return v;
  }

  private compute(h: number, rel: number, t: number): AbsenceVerdict {
    const kg = this.kg;
    const et = kg.header.edgeTypes[rel]!;
    if (this.has(h, rel, t)) return { informative: false, reason: 'the KG has this edge' };
    const hn = kg.nodeName(h);
    const tn = kg.nodeName(t);
    if (containsName(hn, tn) || containsName(tn, hn)) return { informative: false, reason: `the names "${hn}" and "${tn}" overlap` };
    const rule = (Object.hasOwn(RULES, et.name) ? RULES[et.name] : undefined) ?? DEFAULT_RULE;
    const ownerNode = rule.owner === 'head' ? h : t;
    const otherNode = rule.owner === 'head' ? t : h;
    const listed = kg.neighbours(ownerNode, rel, rule.owner === 'head' ? 'out' : 'in').length;
    if (listed < rule.min) return { informative: false, reason: `${kg.nodeName(ownerNode)} has only ${listed} recorded "${et.name}" edge${listed === 1 ? '' : 's'} (at least ${rule.min} are needed)` };
    const otherListed = kg.neighbours(otherNode, rel, rule.owner === 'head' ? 'in' : 'out').length;
    if (otherListed < (rule.otherMin ?? 1)) return { informative: false, reason: `${kg.nodeName(otherNode)} has ${otherListed} recorded "${et.name}" edge${otherListed === 1 ? '' : 's'}` };
    // a relative of one end with the edge to (a relative of) the other end
    const hs = this.relatives(h);
    const ts = new Set(this.relatives(t));
    for (const a of hs) {
      for (const b of kg.neighbours(a, rel, 'out')) {
        if (ts.has(b) && !(a === h && b === t)) return { informative: false, reason: `${kg.nodeName(a)} ${et.label} ${kg.nodeName(b)}, a relative` };
      }
    }
    if ((et.name === 'treats' || et.name === 'palliates') && this.inClass >= 0) {
      for (const c of kg.neighbours(h, this.inClass, 'out')) {
        const members = kg.neighbours(c, this.inClass, 'in');
        if (members.length > SPECIFIC_CLASS_MAX) continue;
        for (const m of members) {
          if (m !== h && this.has(m, rel, t)) return { informative: false, reason: `${kg.nodeName(m)}, of the same class ${kg.nodeName(c)}, ${et.label} ${tn}` };
        }
      }
    }
    return { informative: true, reason: `${kg.nodeName(ownerNode)} has ${listed} recorded "${et.name}" edges` };
  }

  /** the KG has h –rel→ t (either way round for a symmetric relation) */
  has(h: number, rel: number, t: number): boolean {
    const a = this.kg.neighbours(h, rel, 'out');
    for (let i = 0; i < a.length; i++) if (a[i] === t) return true;
    const et = this.kg.header.edgeTypes[rel]!;
    if (et.source === et.target && et.label === et.inverseLabel) {
      const b = this.kg.neighbours(t, rel, 'out');
      for (let i = 0; i < b.length; i++) if (b[i] === h) return true;
    }
    return false;
  }

  /** the node, its ancestors and its descendants along its type's hierarchy, a few steps each way */
  relatives(n: number): number[] {
    let out = this.relativesCache.get(n);
    if (!out) {
      out = this.collectRelatives(n);
      if (this.relativesCache.size > 20_000) this.relativesCache.clear();
      this.relativesCache.set(n, out);
    }
    return out;
  }

  private collectRelatives(n: number): number[] {
    const rels = this.hierarchyOf.get(this.kg.nodeTypeIndex(n));
    if (!rels?.length) return [n];
    const seen = new Set<number>([n]);
    for (const dir of ['out', 'in'] as const) {
      let frontier = [n];
      for (let d = 0; d < HIERARCHY_DEPTH && frontier.length && seen.size < RELATIVES_CAP; d++) {
        const next: number[] = [];
        for (const x of frontier) {
          for (const r of rels) {
            for (const y of this.kg.neighbours(x, r, dir)) {
              if (seen.size >= RELATIVES_CAP) break;
              if (!seen.has(y)) (seen.add(y), next.push(y));
            }
          }
        }
        frontier = next;
      }
    }
    return [...seen];
  }
}
