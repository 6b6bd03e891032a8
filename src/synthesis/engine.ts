/**
 * The RODS synthesis engine: draws an answer with long-tail priority, walks back along the
 * template's metapath over STRONG edges (edge-trust.ts) to the subject, builds a clinical
 * picture that singles out the hidden disease (picture.ts) or names the subject, checks the
 * key against every edge of the graph (no second right answer by any relative), draws
 * distractors from the answer's neighbourhood and keeps only those with positive reasons
 * to be wrong (judges.ts), renders the stem in clinical English (templates.ts, names.ts),
 * filters, tags the tier against per-type cut points, and emits the record. It runs on any
 * graph whose types map onto the template roles (schema-map.ts). Pure and deterministic
 * for a seed: the same graph, settings and seed give the same records in the same order.
 */
import type { KnowledgeGraph } from '../graph/knowledge-graph';
import { difficultyScore, scoreParts, tercileCuts, tierOf } from './difficulty';
import type { Differentials } from './differential';
import { graphContext, type GraphContext, type PoolLevels } from './graph-context';
import { classNameKey, isMechanismPhrase, Judges, Known, USE_CLASS, type Candidate, type Verdict } from './judges';
import { classNamesNested, drugNamesAlike } from './option-relations';
import { flip, SynthGraph } from './kg-view';
import { hasInnerCapital, keyWordTest, optionName, sharedKeyWord } from './names';
import { Neighbourhood } from './neighbourhood';
import { anatomyPhrase, isAboveGenus, isUnnaturalAnatomy, organSystems } from './lexicon';
import { MIN_DISTINCTIVE_FINDINGS, MIN_PICTURE_FINDINGS, MIN_SPECIFIC_FINDINGS, PictureBuilder, picturesOverlap, type Picture } from './picture';
import { optionLetters, type Distractor, type EvidenceTriple, type QuestionRecord } from './record';
import { BROAD_CLASS, Hierarchies } from './relatedness';
import { longTailWeight, Rng, ShrinkingSampler } from './rng';
import { missingRoles } from './schema-map';
import { DEFAULT_QUESTION_TYPES, OFF_BY_DEFAULT, QUESTION_TYPES, renderStem, templateByType, templateHops, type QuestionTemplate } from './templates';
import { containsName, hash64, malformation, normalizeText, stemSignature } from './text';
import { findingImplausibleFor, isUmbrellaDisease, premiseOf } from './premise';
import { knownHarm } from './known-harm';
import { classKind, classRank, USE_CLASS_RANK, isBodyRegion, isChemicalGrouping, isNotADrugClass, NEUROMUSCULAR_BRANCH, restatesDrug } from './canonical-key';
import { geneFamily } from './relatedness';

export interface SynthesisSettings {
  n: number;
  seed: number;
  /** long-tail priority: weight ∝ (degree + 1)^(−alpha); 0 = uniform */
  alpha: number;
  /** question types to draw (default: all the graph supports) */
  types?: string[];
  /** options per item, 3–10 */
  optionCount?: number;
  /** chance each finding beyond the first two is left out of the stem (partial information) */
  dropProbability?: number;
  /** dataset ids whose assertions do not count toward evidence and keys (they still keep options that might be right out) */
  excludeDatasets?: string[];
}

export const DEFAULT_SETTINGS = { alpha: 1, optionCount: 4, dropProbability: 0.3 } as const;

export const DROP_REASONS = [
  'no_evidence',
  'no_path_to_answer',
  'too_broad',
  'weak_key',
  'ambiguous_answer',
  'no_valid_distractors',
  'evidence_not_in_graph',
  'unverified_distractor',
  'answer_named_in_stem',
  'key_word_in_stem',
  'duplicate_options',
  'malformed_text',
  'near_duplicate_stem',
  'needs_premise',
  'commoner_disease_fits',
  'no_discriminating_finding',
  'multisystem_disease',
  'off_target_chain',
  'surface_cue',
  'repeated_picture',
  'known_harm',
  'umbrella_disease',
  'class_cap',
  'noncanonical_key',
  'not_derivable',
] as const;
export type DropReason = (typeof DROP_REASONS)[number];

export class Dropped {
  constructor(readonly reason: DropReason) {}
}

/** a type the graph cannot support, and why */
export interface UnavailableType {
  type: string;
  reason: string;
}

interface Draft {
  t: QuestionTemplate;
  subject: number;
  answer: number;
  /** subject … answer along the chain */
  path: number[];
  family: Set<number> | null;
  picture: Picture | null;
  anatomy: number;
  specialty: number;
  known: Known;
  question: string;
  /** organ systems the picture's findings point to (differential.ts), computed once per draft */
  systems: string[];
}

/** rank qualifiers in taxonomy names ("Rickettsia <genus>") read as markup in a question */
const TAXONOMY_MARKUP = /[<>]/;
/** disease categories whose members involve many organs: a localisation key among them has second right answers */
const SYSTEMIC_CATEGORY =
  /autoimmune|immune system disease|vasculitis|connective tissue disease|syndrome$|genetic disease|inherited metabolic|metabolic disease|amyloidosis|hematopoietic system|coagulation|thrombophilia|lysosomal storage|syphilis|tuberculosis|sarcoidosis|lupus/i;

/** draw weight added to a picture item's option that may present a shown finding (or causes a disease that does) */
const PLAUSIBLE_SHARED = 3;
/** at most this much added for a well-known option (degree 1,000 or more) */
const PLAUSIBLE_KNOWN = 0.3;

/** the largest class the treatment-key cap counts as one kind of drug */
const CAPPED_CLASS_SIZE = 50;

/** a picture type asks about one answer at most this many times in a run (four pictures of long COVID read as one item) */
const PICTURE_ITEMS_PER_ANSWER = 3;

/** an answer is no longer drawn after this many failed attempts (plus 3 per item it has given) */
const DEAD_AFTER = 10;

interface Pool {
  nodes: Uint32Array;
  sampler: ShrinkingSampler;
  levels: Uint8Array[];
  median: number;
  /** failed attempts and emitted items per answer (index into nodes) */
  fails: Uint32Array;
  wins: Uint32Array;
}

type FarRole = 'disease' | 'drug' | 'pathogen' | 'pharmacologic_class' | 'gene' | 'anatomy';

/** far-away options added to an item's candidates */
const FAR_DRAW = 24;

/** a candidate at least this close comes from the key's own neighbourhood (the same or neighbouring diseases) */
const NEAR = 0.4;
/** judge at most this many candidates per item */
const MAX_JUDGED = 30;
const CALIBRATION_ITEMS = 8;
const CALIBRATION_ATTEMPTS = 25;

export class Synthesizer {
  readonly g: SynthGraph;
  readonly h: Hierarchies;
  readonly settings: Required<SynthesisSettings>;
  readonly dropped: Record<DropReason, number>;
  readonly perType: Record<string, number> = {};
  /** drop reasons per type (why a type yields less) */
  readonly droppedPerType: Record<string, Partial<Record<DropReason, number>>> = {};
  /** requested types this graph cannot support */
  readonly unavailable: UnavailableType[] = [];
  attempts = 0;
  rareAnswers = 0;
  emitted = 0;
  private rng: Rng;
  private signatures = new Set<string>();
  private readonly templates: QuestionTemplate[];
  private readonly pools = new Map<string, Pool>();
  /** what this graph's runs share (graph-context.ts) */
  private readonly ctx: GraphContext;
  readonly pic: PictureBuilder;
  readonly diff: Differentials;
  readonly judges: Judges;
  /** uses of each (drug, gene) link of a pathway chain: one off-target pair must not fill the type */
  private readonly chainUses = new Map<string, number>();
  private readonly neigh: Neighbourhood;
  private readonly medianDegreeOfType: Uint32Array;
  private readonly tierCuts = new Map<string, [number, number]>();
  /** per type: the calibration sample's scores, then every emitted item's; the cuts follow them */
  private readonly scores = new Map<string, number[]>();
  /** node index of the answer of the last record built */
  private lastAnswer = -1;

  constructor(kg: KnowledgeGraph, graphLabel: string, settings: SynthesisSettings) {
    const optionCount = settings.optionCount ?? DEFAULT_SETTINGS.optionCount;
    if (!Number.isInteger(optionCount) || optionCount < 3 || optionCount > 10) throw new Error(`optionCount must be an integer from 3 to 10, got ${optionCount}`);
    if (!(settings.alpha >= 0) || settings.alpha > 10) throw new Error(`alpha must be between 0 and 10, got ${settings.alpha}`);
    if (!Number.isInteger(settings.n) || settings.n < 0) throw new Error(`n must be a non-negative integer, got ${settings.n}`);
    const drop = settings.dropProbability ?? DEFAULT_SETTINGS.dropProbability;
    if (!(drop >= 0 && drop < 1)) throw new Error(`dropProbability must be in [0, 1), got ${drop}`);
    const requested = settings.types?.length ? settings.types : DEFAULT_QUESTION_TYPES;
    const all = requested.map(templateByType);
    const excludeDatasets = [...(settings.excludeDatasets ?? [])].sort();
    const known = new Set(kg.datasets.map((d) => d.id));
    const unknown = excludeDatasets.filter((d) => !known.has(d));
    if (unknown.length) throw new Error(`excludeDatasets: this graph has no dataset ${unknown.map((u) => `"${u}"`).join(', ')} (it has: ${[...known].join(', ')})`);
    const ctx = graphContext(kg, graphLabel, excludeDatasets);
    this.ctx = ctx;
    this.g = ctx.g;
    this.h = ctx.h;
    this.templates = [];
    // types left out of a default run, with why (shown in the Generate panel and the CLI); asking for one by name runs it
    if (!settings.types?.length) for (const [type, reason] of Object.entries(OFF_BY_DEFAULT)) this.unavailable.push({ type, reason: `off by default: ${reason}` });
    for (const t of all) {
      const why = missingRoles(this.g.map, t.requires) ?? this.noStrongEdges(t.requires);
      if (why) this.unavailable.push({ type: t.type, reason: `${t.title} needs ${why}` });
      else this.templates.push(t);
    }
    this.settings = { n: settings.n, seed: settings.seed >>> 0, alpha: settings.alpha, types: requested, optionCount, dropProbability: drop, excludeDatasets };
    this.rng = new Rng(this.settings.seed);
    this.pic = ctx.pic;
    this.diff = ctx.diff;
    this.judges = new Judges(this.g, this.h, this.pic, this.diff);
    this.neigh = new Neighbourhood(this.g, this.h, this.rng);
    this.dropped = Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<DropReason, number>;
    this.medianDegreeOfType = medianDegrees(kg);
    for (const t of this.templates) this.perType[t.type] = 0;
  }

  /** a required relation whose every edge is too weakly supported to be evidence or a key (Hetionet's MEDLINE-only symptoms), or null */
  private noStrongEdges(requires: readonly string[]): string | null {
    for (const role of requires) {
      const { kept, total } = this.g.strongShare(role);
      if (total > 0 && kept === 0) {
        return `"${role}" edges that may be evidence: all ${total} rest on sources graded text-mined, inferred or a single unendorsed source (see edge-trust.ts), or on excluded datasets`;
      }
    }
    return null;
  }

  /**
   * Is this answer "rare": degree below the median degree of the answers its question type
   * can ask about (its pool)? Without a type, below the median of its node type. The pool is
   * the fair baseline: every answer a type can use is well annotated, so against the whole
   * node type none would count as rare.
   */
  isRare(node: number, type?: string): boolean {
    const median = type !== undefined ? this.pools.get(type)?.median : undefined;
    return this.g.kg.degree[node]! < (median ?? this.medianDegreeOfType[this.g.kg.nodeTypeIndex(node)]!);
  }

  /** The cut points [moderate, difficult] of a type (after calibration). */
  cutsOf(type: string): [number, number] | undefined {
    return this.tierCuts.get(type);
  }

  /** Yields verified records until n are out or every type is exhausted. */
  *generate(): Generator<QuestionRecord> {
    if (this.settings.n > 0) this.calibrate();
    const active = this.templates.map((t) => ({ t, failures: 0, done: 0, tries: 0 }));
    const cap = this.typeCap();
    // the pilot's items are items of the run (never more than n in all): tiered now that the cuts exist, out
    // first, taking the types in turn
    for (let i = 0; ; i++) {
      let any = false;
      for (const slot of active) {
        const item = this.pilot.get(slot.t.type)?.[i];
        if (!item || this.emitted >= this.settings.n || slot.done >= cap) continue;
        any = true;
        const { record, answer } = item;
        const cuts = this.tierCuts.get(slot.t.type)!;
        const f = record.provenance!.features;
        record.difficulty = tierOf(f.score, cuts);
        f.tierCuts = cuts;
        this.countChain(slot.t, record);
        slot.done++;
        this.emitted++;
        this.perType[slot.t.type]!++;
        if (this.isRare(answer, slot.t.type)) this.rareAnswers++;
        yield record;
      }
      if (!any) break;
    }
    this.pilot.clear();
    const maxAttempts = this.settings.n * 150 + 5000;
    while (this.emitted < this.settings.n && active.length > 0 && this.attempts < maxAttempts) {
      // balance types: the least-served active type goes next
      let slot = active[0]!;
      for (const a of active) if (a.done < slot.done) slot = a;
      // no type fills the run beyond twice its fair share: a type that runs short leaves a reported shortfall, not a
      // run of single-edge recall items (drug class, mechanism) standing in for the clinical-picture types
      if (slot.done >= cap) {
        active.splice(active.indexOf(slot), 1);
        continue;
      }
      if (this.pool(slot.t).sampler.size === 0) {
        active.splice(active.indexOf(slot), 1); // the graph has nothing this type can ask about
        continue;
      }
      this.attempts++;
      slot.tries++;
      const r = this.attempt(slot.t);
      if (r instanceof Dropped) {
        this.countDrop(slot.t.type, r.reason);
        // this type's pool is exhausted: a long run of failures, or a yield that has fallen below 1 in 60
        if (++slot.failures > 400 || slot.tries > 60 * (slot.done + 10)) active.splice(active.indexOf(slot), 1);
        continue;
      }
      slot.failures = 0;
      slot.done++;
      this.countChain(slot.t, r);
      // the cut points follow the type's scores as the run goes (each item keeps the cuts it was tiered by)
      const seen = this.scores.get(slot.t.type);
      if (seen) {
        seen.push(r.provenance!.features.score);
        // a type with few items (a short pilot, a small pool) re-cuts on every item until it has 50, then every 25
        if (seen.length >= 6 && (seen.length < 50 || seen.length % 25 === 0)) this.tierCuts.set(slot.t.type, tercileCuts(seen));
      }
      this.emitted++;
      this.perType[slot.t.type]!++;
      if (this.isRare(this.lastAnswer, slot.t.type)) this.rareAnswers++;
      yield r;
    }
  }

  /** keys per (treatment type, specific class of the key drug) */
  private readonly keyClassUses = new Map<string, number>();
  /** the most keys of one drug class a treatment type gives: 3% of the type's fair share, at least 2 */
  classCap(): number {
    if (this.settings.n === 0) return Infinity;
    return Math.max(2, Math.ceil(0.03 * this.fairShare()));
  }
  /**
   * The chemical or mechanistic classes of a drug the cap counts: not a use class ("Anti-Infective
   * Agents", "antifungal agents": infections are many diseases, each needing its own drugs), not a
   * broad one ("Hormones"), not a singleton. Corticosteroids (28 to 42 members) are the case in point.
   */
  private classesOfKey(drug: number): number[] {
    return Array.from(this.g.nb(drug, 'in_class', 'out')).filter((c) => {
      const size = this.h.classSize(c);
      return size >= 2 && size <= CAPPED_CLASS_SIZE && !USE_CLASS.test(this.g.kg.nodeName(c));
    });
  }

  /**
   * A vague category as a named disease ("allergic disease", "autoimmune disease", "collagen
   * disease", "skin disease"): a DO grouping with many subtypes whose name is a qualifier plus
   * "disease" or "disorder". Named diseases with many subtypes (epilepsy, breast cancer, asthma)
   * are not umbrellas: they have treatments of their own.
   */
  isUmbrella(d: number): boolean {
    return isUmbrellaDisease(this.g.kg.nodeName(d), this.h.diseaseDescendants(d)?.size ?? Infinity);
  }

  /** shown-finding sets already used (any type) */
  private readonly shownSets = new Set<string>();
  /** items made per hidden disease over all picture types */
  private readonly pictureUses = new Map<number, number>();
  /** the options of each disease's EXCEPT items so far (N15) */
  private readonly exceptOptions = new Map<number, number[][]>();
  /** shown-finding sets already used, per hidden disease */
  private readonly picturesOf = new Map<number, number[][]>();
  /**
   * Review round 3, N9: a picture of a disease that already has an item (any picture type) is a
   * repeat when one shown set holds the other, they differ by one finding, or they share most of
   * their findings (Jaccard >= 0.6): #19's four findings were a subset of #18's five.
   */
  nearRepeat(subject: number, shown: readonly number[]): boolean {
    // as for the cap: a synthesizer made for single tries (n = 0: tests, tools) has no run to spread
    if (this.settings.n === 0) return false;
    for (const prev of this.picturesOf.get(subject) ?? []) if (picturesOverlap(prev, shown)) return true;
    return false;
  }

  /** the most picture items about one disease: 2 per 1,000 items requested, at least 1 */
  pictureCap(): number {
    // a synthesizer made for single tries (n = 0: tests, tools) has no run to spread
    if (this.settings.n === 0) return Infinity;
    return Math.max(1, Math.round((2 * this.settings.n) / 1000));
  }

  /** each type's fair share of the run: n over the types that can run */
  fairShare(): number {
    return Math.ceil(this.settings.n / Math.max(1, this.templates.length));
  }

  /** the most items one type may give: twice its fair share (so a run is never mostly one kind of item) */
  typeCap(): number {
    return this.templates.length <= 1 ? this.settings.n : Math.min(this.settings.n, 2 * this.fairShare());
  }

  /**
   * What each type fell short of its fair share (only types that did), and the whole run's
   * shortfall against n: reported with the run instead of being filled by other types.
   */
  shortfall(): { requested: number; made: number; missing: number; fairShare: number; typeCap: number; perType: Record<string, number> } {
    const fair = this.fairShare();
    const perType: Record<string, number> = {};
    for (const t of this.templates) {
      const short = fair - (this.perType[t.type] ?? 0);
      if (short > 0) perType[t.type] = short;
    }
    return { requested: this.settings.n, made: this.emitted, missing: this.settings.n - this.emitted, fairShare: fair, typeCap: this.typeCap(), perType };
  }

  /**
   * Per-type tier cut points: the terciles of the scores of a calibration sample drawn with
   * its own random stream (and its own duplicate check), so the run's items are unaffected.
   */
  private calibrate(): void {
    if (this.tierCuts.size) return;
    const saved = { rng: this.rng, last: this.lastAnswer };
    try {
      this.rng = new Rng((this.settings.seed ^ 0x5eed7) >>> 0);
      this.neigh.rng = this.rng;
      for (const t of this.templates) {
        const scores: number[] = [];
        const records: { record: QuestionRecord; answer: number }[] = [];
        // a pilot proportional to the run, never more than n items in all (the cuts follow the run's own scores
        // afterwards); too small a run has none and starts from the fallback cuts
        const want = Math.min(CALIBRATION_ITEMS, Math.floor(this.settings.n / Math.max(1, this.templates.length)));
        if (want >= 6 && this.pool(t).sampler.size) {
          for (let a = 0; a < CALIBRATION_ATTEMPTS && scores.length < want; a++) {
            // the pilot's attempts are the run's: its items are emitted first, its drops counted
            this.attempts++;
            const r = this.attempt(t);
            if (r instanceof Dropped) {
              this.countDrop(t.type, r.reason);
              continue;
            }
            scores.push(r.provenance!.features.score);
            records.push({ record: r, answer: this.lastAnswer });
          }
        }
        this.pilot.set(t.type, records);
        this.scores.set(t.type, scores);
        this.tierCuts.set(t.type, tercileCuts(scores));
      }
    } finally {
      this.rng = saved.rng;
      this.neigh.rng = this.rng;
      this.lastAnswer = saved.last;
    }
  }

  private countDrop(type: string, reason: DropReason): void {
    this.dropped[reason]++;
    const per = (this.droppedPerType[type] ??= {});
    per[reason] = (per[reason] ?? 0) + 1;
  }

  /** the pilot's records per type, kept for the run */
  private readonly pilot = new Map<string, { record: QuestionRecord; answer: number }[]>();

  private countChain(t: QuestionTemplate, r: QuestionRecord): void {
    if (t.type !== 'target_pathway') return;
    const chain = r.provenance!.evidence.filter((e) => e.role === 'chain');
    const key = `${chain[1]?.head.id}|${chain[1]?.tail.id}`;
    this.chainUses.set(key, (this.chainUses.get(key) ?? 0) + 1);
  }

  /** diseases with enough strong findings to build a picture from */
  private subjects(): Uint8Array {
    if (!this.ctx.pictureSubjects) {
      const kg = this.g.kg;
      const ti = this.g.typeIndexOf('disease');
      const out = new Uint8Array(kg.nodeCount);
      if (ti >= 0) {
        for (let i = 0; i < kg.nodeCount; i++) {
          if (kg.nodeTypeIndex(i) !== ti) continue;
          const f = this.g.strongNb(i, 'presents', 'out');
          if (f.length < MIN_PICTURE_FINDINGS) continue;
          let specific = 0;
          let usable = 0;
          let distinctive = 0;
          for (let j = 0; j < f.length; j++) {
            const flags = this.g.findingFlags(f[j]!);
            if (flags & 1) continue;
            usable++;
            if (!(flags & 2)) specific++;
            if (this.diff.isSpecific(f[j]!)) distinctive++;
          }
          // a picture needs a finding that can single the disease out (differential.ts)
          if (usable < MIN_PICTURE_FINDINGS || distinctive < MIN_DISTINCTIVE_FINDINGS) continue;
          // a complication of another disease ("acute chest syndrome in sickle cell disease") needs that premise in the stem
          if (this.diff.needsPremise(i)) continue;
          // nor is a disease told apart by exposure and geography (a viral hemorrhagic fever): the graph records neither
          if (this.diff.needsExposure(i)) continue;
          if (specific >= MIN_SPECIFIC_FINDINGS) out[i] = 1;
        }
      }
      this.ctx.pictureSubjects = out;
    }
    return this.ctx.pictureSubjects;
  }

  /** anatomy a question may name: a structure with a MeSH heading where the graph has them (not "layer of smooth muscle tissue") */
  private concrete(): (a: number) => boolean {
    if (!this.ctx.concreteAnatomy) {
      const kg = this.g.kg;
      const ti = this.g.typeIndexOf('anatomy');
      // 1 = has a MeSH heading; a graph with no MeSH anatomy at all takes every structure as concrete (2)
      const mesh = new Uint8Array(kg.nodeCount);
      let any = false;
      if (ti >= 0) {
        for (let i = 0; i < kg.nodeCount; i++) {
          if (kg.nodeTypeIndex(i) === ti && kg.xrefs(i).some((x) => x.startsWith('MESH:'))) {
            mesh[i] = 1;
            any = true;
          }
        }
      }
      if (!any) mesh.fill(1);
      this.ctx.concreteAnatomy = mesh;
    }
    const mesh = this.ctx.concreteAnatomy;
    return (a) => mesh[a] === 1;
  }

  /**
   * The answers drawn with long-tail priority: every node at the end of a strong chain from
   * a possible subject (a disease with a picture, or any node of the subject's role).
   */
  private pool(t: QuestionTemplate): Pool {
    let p = this.pools.get(t.type);
    if (!p) {
      const { nodes: arr, levels, median } = this.poolLevels(t);
      const kg = this.g.kg;
      p = {
        nodes: arr,
        sampler: new ShrinkingSampler(Array.from(arr, (i) => longTailWeight(kg.degree[i]!, this.settings.alpha))),
        levels,
        median,
        fails: new Uint32Array(arr.length),
        wins: new Uint32Array(arr.length),
      };
      this.pools.set(t.type, p);
    }
    return p;
  }

  /** the answers a type can reach, by level: a function of the graph, kept with it */
  private poolLevels(t: QuestionTemplate): PoolLevels {
    let p = this.ctx.pools.get(t.type);
    if (!p) {
      const kg = this.g.kg;
      const n = kg.nodeCount;
      let level = new Uint8Array(n);
      const subjectType = this.g.typeIndexOf(t.subjectRole);
      if (t.stem === 'picture') level = this.subjects().slice();
      else if (subjectType >= 0) for (let i = 0; i < n; i++) if (kg.nodeTypeIndex(i) === subjectType) level[i] = 1;
      const levels = [level];
      for (const step of t.chain) {
        const next = new Uint8Array(n);
        for (let i = 0; i < n; i++) {
          if (!level[i]) continue;
          const list = this.g.strongNb(i, step.rel, step.dir);
          for (let j = 0; j < list.length; j++) next[list[j]!] = 1;
        }
        level = next;
        levels.push(level);
      }
      const nodes: number[] = [];
      const answerType = this.g.typeIndexOf(t.answerRole);
      const concrete = t.answerRole === 'anatomy' ? this.concrete() : () => true;
      // answers no item could be keyed to are left out of the draw (the same tests keyProblem applies)
      const keyable = (i: number): boolean => {
        const name = kg.nodeName(i);
        switch (t.type) {
          case 'drug_class':
            return !isMechanismPhrase(name) && !isChemicalGrouping(name) && !(classKind(kg.nodeId(i), name) === 'mesh' && isNotADrugClass(name)) && this.h.classSize(i) <= BROAD_CLASS;
          case 'causative_agent':
            return !isAboveGenus(name) && !isAboveGenus(this.h.taxonName(i));
          case 'localisation':
            return !isUnnaturalAnatomy(name);
          default:
            return true;
        }
      };
      for (let i = 0; i < n; i++) if (level[i] && kg.nodeTypeIndex(i) === answerType && concrete(i) && keyable(i)) nodes.push(i);
      if (t.stem === 'named') {
        // one hop: keep answers with at least one subject whose name does not give them away
        const step = t.chain[0]!;
        const ok = (a: number) => Array.from(this.g.strongNb(a, step.rel, flip(step.dir))).some((x) => !sharedKeyWord(kg.nodeName(x), kg.nodeName(a)) && this.canonicalFor(t.type, x, a));
        nodes.splice(0, nodes.length, ...nodes.filter(ok));
      }
      const arr = Uint32Array.from(nodes);
      const degrees = Array.from(arr, (i) => kg.degree[i]!).sort((a, b) => a - b);
      const median = degrees.length ? degrees[Math.floor(degrees.length / 2)]! : 0;
      this.ctx.pools.set(t.type, (p = { nodes: arr, levels, median }));
    }
    return p;
  }


  /** the subjects of a one-hop answer whose names do not give it away (kept per type and answer) */
  private namedSubjects(t: QuestionTemplate, answer: number): number[] {
    const key = `${t.type}:${answer}`;
    let v = this.ctx.namedSubjects.get(key);
    if (!v) {
      const step = t.chain[0]!;
      const shares = keyWordTest(this.g.kg.nodeName(answer));
      // and for whom this answer is the canonical key (canonical-key.ts): amiloride is never asked for "acid sensing ion channel blockers"
      v = Array.from(this.g.strongNb(answer, step.rel, flip(step.dir))).filter((x) => !shares(this.g.name(x)) && this.canonicalFor(t.type, x, answer));
      if (this.ctx.namedSubjects.size > 50_000) this.ctx.namedSubjects.clear();
      this.ctx.namedSubjects.set(key, v);
    }
    return v;
  }

  /**
   * What a named item's distractors depend on besides its subject: nothing for most types (a
   * drug that cannot get three wrong treatments for one disease gets none for another), the class
   * system of the key for drug_class (options are drawn from the key's system), the answer itself
   * for localisation (its siblings are candidates). A subject that found no distractors is not
   * tried again with the same signature.
   */
  private subjectSignature(t: QuestionTemplate, answer: number): number {
    if (t.type === 'drug_class') {
      const kind = classKind(this.g.kg.nodeId(answer), this.g.kg.nodeName(answer));
      return { mesh: 1, epc: 2, chebi: 3, moa: 4, atc: 5, other: 6 }[kind];
    }
    return 0;
  }

  private markDeadSubject(t: QuestionTemplate, subject: number, answer: number): void {
    if (t.stem !== 'named' || t.type === 'localisation') return;
    this.triedPairs(`${t.type}:dead`).add(subject * 8 + this.subjectSignature(t, answer));
  }

  private readonly tried = new Map<string, Set<number>>();
  private triedPairs(type: string): Set<number> {
    let s = this.tried.get(type);
    if (!s) this.tried.set(type, (s = new Set()));
    return s;
  }
  /** set by walkBack when an answer has no subject left to ask about */
  private exhausted = false;

  /** A random walk from the answer back along the strong chain to a subject; the path subject … answer, or null. */
  private walkBack(t: QuestionTemplate, answer: number): number[] | null {
    const subjects = t.stem === 'picture' ? this.subjects() : null;
    if (!subjects) {
      // one hop: a subject whose name does not give the answer away ("uterine cancer" for "uterus")
      // a (subject, answer) pair is asked, or found unaskable, once: never drawn again
      const tried = this.triedPairs(t.type);
      const dead = this.triedPairs(`${t.type}:dead`);
      const sys = this.subjectSignature(t, answer);
      const list = this.namedSubjects(t, answer).filter((x) => !tried.has(x * this.g.n + answer) && !dead.has(x * 8 + sys));
      if (!list.length) {
        this.exhausted = true;
        return null;
      }
      const subject = list[this.rng.int(list.length)]!;
      tried.add(subject * this.g.n + answer);
      return [subject, answer];
    }
    // every step back stays on nodes the forward pass reached from a subject, so the walk cannot dead-end
    const levels = this.pool(t).levels;
    const path = [answer];
    let cur = answer;
    for (let s = t.chain.length - 1; s >= 0; s--) {
      const step = t.chain[s]!;
      const list = this.g.strongNb(cur, step.rel, flip(step.dir));
      const ok: number[] = [];
      for (let i = 0; i < list.length; i++) if (levels[s]![list[i]!]) ok.push(list[i]!);
      if (!ok.length) return null;
      cur = ok[this.rng.int(ok.length)]!;
      path.unshift(cur);
    }
    return subjects[cur] ? path : null;
  }

  /**
   * One try at one item: a record, or the reason it was dropped. An answer that keeps
   * failing (no picture singles its disease out, no distractor passes, every stem about it
   * is out) is taken out of its type's draw, so the run does not keep paying for it.
   */
  attempt(t: QuestionTemplate): QuestionRecord | Dropped {
    const pool = this.pool(t);
    const at = pool.sampler.draw(this.rng);
    if (at < 0) return new Dropped('no_evidence');
    this.exhausted = false;
    const r = this.attemptFor(t, pool.nodes[at]!);
    if (this.exhausted) {
      pool.sampler.remove(at); // every subject of this answer has been tried
      return new Dropped('near_duplicate_stem');
    }
    // a named-entity type spends one (subject, answer) pair per try, so only running out of pairs ends an answer;
    // a picture type may try a disease again with another picture, so it ends after repeated failures
    if (r instanceof Dropped) {
      const f = ++pool.fails[at]!;
      if (t.stem === 'picture' && f >= DEAD_AFTER + 5 * pool.wins[at]!) pool.sampler.remove(at);
    } else if (++pool.wins[at]! >= PICTURE_ITEMS_PER_ANSWER && t.stem === 'picture') pool.sampler.remove(at); // variety: a few pictures per disease
    return r;
  }

  /** answers still drawn for a type */
  liveAnswers(type: string): number {
    return this.pools.get(type)?.sampler.size ?? 0;
  }

  /** one try at an item about this answer (tests, tools): a record, or why it was dropped */
  tryAnswer(type: string, answer: number): QuestionRecord | Dropped {
    const t = templateByType(type);
    if (t.stem === 'picture' && !t.chain.length && !this.subjects()[answer]) return new Dropped('no_path_to_answer');
    return this.attemptFor(t, answer);
  }

  private attemptFor(t: QuestionTemplate, answer: number): QuestionRecord | Dropped {
    const path = t.chain.length ? this.walkBack(t, answer) : [answer];
    if (!path) return new Dropped('no_path_to_answer');
    const subject = path[0]!;
    const g = this.g;
    const family = t.subjectRole === 'disease' ? this.h.diseaseFamily(subject) : null;
    if (t.subjectRole === 'disease' && !family) return new Dropped('too_broad');
    const keyProblem = this.keyProblem(t, subject, answer, family);
    if (keyProblem) return new Dropped(keyProblem);
    if (t.type === 'target_pathway') {
      const why = this.chainProblem(path);
      if (why) return new Dropped(why);
    }
    const answerName = g.kg.nodeName(answer);
    const subjectName = g.kg.nodeName(subject);
    // the answer as the options show it too ("renal system" is shown as "urinary system")
    if (t.stem === 'named' && (sharedKeyWord(subjectName, answerName) || sharedKeyWord(subjectName, optionName(answerName)))) return new Dropped('key_word_in_stem');

    let picture: Picture | null = null;
    const anatomy = -1;
    const specialty = -1; // no referral clause in a stem (see below)
    let patient: string | undefined;
    if (t.stem === 'picture') {
      // one disease's picture at most ~2 times per 1,000 items over all picture types (four onchocerciasis pictures in twelve items read as one)
      if ((this.pictureUses.get(subject) ?? 0) >= this.pictureCap()) return new Dropped('repeated_picture');
      // an age or pregnancy the disease implies (infant botulism, severe pre-eclampsia) goes into the stem, or the item is not made
      const premise = premiseOf(subject, this.g, this.h);
      if (premise === 'unstatable') return new Dropped('needs_premise');
      patient = premise ?? undefined;
      // a tumour or one form of a form of an infection is named by a test, not by findings (review round 3, N2)
      if (!patient && this.diff.needsTests(subject)) return new Dropped('not_derivable');
      picture = this.pic.choose(subject, family!, answerName, this.settings.dropProbability, this.rng, (f) => this.diff.telling(f));
      if (!picture) return new Dropped('ambiguous_answer');
      // the picture must be able to lead to the answer (review round 3, N2): at least one telling finding, unless a
      // shown premise gives the context
      if (!patient && !picture.shown.some((f) => this.diff.telling(f))) return new Dropped('not_derivable');
      if (picture.shown.some((f) => findingImplausibleFor(patient, this.g.kg.nodeName(f)))) return new Dropped('needs_premise');
      // the same shown findings never make a second item, whatever its type
      if (this.shownSets.has(shownKey(picture.shown)) || this.nearRepeat(subject, picture.shown)) return new Dropped('repeated_picture');
      // "most likely" must not point elsewhere: a much better known disease fitting half the picture
      if (this.diff.commonerFit(subject, family!, picture.shown) >= 0) return new Dropped('commoner_disease_fits');
      if (this.diff.mixesForms(subject, picture.shown)) return new Dropped('ambiguous_answer');
      // no "The brain is involved." sentence: a localisation edge is not a finding a patient shows (neurotoxocariasis
      // for visceral larva migrans). No referral clause either (review round 3, N4): the graph's one specialty is
      // often wrong (scurvy → endocrinology) and a right one is a cue (SLE → rheumatology), never a finding
    }
    const sig = `${t.type}#${subject}#${answer}#${picture ? [...picture.shown].sort((a, b) => a - b).join(',') : ''}`;
    if (this.signatures.has(sig)) return new Dropped('near_duplicate_stem');

    const question = renderStem(t, this.rng.int(t.stems.length), {
      findings: (picture?.shown ?? []).map((f) => g.kg.nodeName(f)),
      subject: subjectName,
      ...(anatomy >= 0 ? { anatomy: anatomyPhrase(g.kg.nodeName(anatomy)) } : {}),
      ...(specialty >= 0 ? { specialty: g.kg.nodeName(specialty) } : {}),
      ...(patient ? { patient } : {}),
    });
    const draft: Draft = { t, subject, answer, path, family, picture, anatomy, specialty, known: this.knownOf(subject, family), question, systems: picture ? this.diff.pictureSystems(picture.shown) : [] };
    const chosen = this.drawDistractors(draft);
    if (chosen instanceof Dropped) {
      if (chosen.reason === 'no_valid_distractors' || chosen.reason === 'surface_cue') this.markDeadSubject(t, subject, answer);
      return chosen;
    }
    return this.finish(draft, chosen, sig);
  }

  /** what the subject already has (treatments, classes, sites …): the same for every item about it, so kept with the graph */
  private knownOf(subject: number, family: Set<number> | null): Known {
    const cache = this.ctx.known;
    let k = cache.get(subject);
    if (!k) {
      if (cache.size > 20_000) cache.clear();
      cache.set(subject, (k = new Known(this.g, this.h, subject, family)));
    }
    return k;
  }

  /**
   * A target_pathway chain disease ← drug → gene → pathway is only as good as its drug → gene
   * link being the drug's mechanism for that disease. The graph's targets are human proteins
   * (DrugCentral), so for an infection the link is an off-target effect (doxycycline → MMP1
   * for anthrax); and one (drug, gene) pair may not fill the type (at most 2 per 1,000 items).
   */
  chainProblem(path: number[]): DropReason | null {
    const [disease, drug, gene] = path as [number, number, number];
    if (this.isInfectious(disease)) return 'off_target_chain';
    const key = `${this.g.kg.nodeId(drug)}|${this.g.kg.nodeId(gene)}`;
    if ((this.chainUses.get(key) ?? 0) >= Math.max(1, Math.floor((2 * this.settings.n) / 1000))) return 'near_duplicate_stem';
    return null;
  }

  private infectiousRoot = -2;
  /** a disease by infectious agent (DO's branch, or any disease with a recorded cause) */
  isInfectious(d: number): boolean {
    if (this.infectiousRoot === -2) this.infectiousRoot = this.g.kg.findById('DOID:0050117');
    if (this.g.nb(d, 'caused_by', 'out').length) return true;
    return this.infectiousRoot >= 0 && this.h.diseaseAncestors(d).has(this.infectiousRoot);
  }

  /**
   * A ChEBI role ("antidote to paracetamol poisoning" for propylthiouracil) that no class of the
   * drug in another system restates: ChEBI roles are assigned loosely, a key needs a second word.
   */
  private unconfirmedRole(drug: number, cls: number): boolean {
    const g = this.g;
    if (!g.kg.nodeId(cls).startsWith('CHEBI:')) return false;
    const key = classNameKey(g.kg.nodeName(cls));
    for (const c of g.nb(drug, 'in_class', 'out')) if (c !== cls && !g.kg.nodeId(c).startsWith('CHEBI:') && classNameKey(g.kg.nodeName(c)) === key) return false;
    return true;
  }

  /** Why the key itself is not safe, or null. */
  keyProblem(t: QuestionTemplate, subject: number, answer: number, family: Set<number> | null): DropReason | null {
    const g = this.g;
    switch (t.type) {
      case 'treatment':
      case 'two_hop_treatment':
        // a known harm (corticosteroids for rosacea) is no treatment, whatever row says so (known-harm.ts)
        if (knownHarm(g.kg, answer, subject)) return 'known_harm';
        // "Which drug treats allergic disease?": a category has no treatment of its own, only its members do
        if (t.stem === 'named' && this.isUmbrella(subject)) return 'umbrella_disease';
        // a drug also reviewed as NOT indicated for the disease is no clean key
        if (g.nb(answer, 'not_indicated_for', 'out').some((d) => family!.has(d))) return 'ambiguous_answer';
        // prevention or risk reduction is not treatment (raloxifene, breast cancer)
        if (this.judges.preventionOnly(answer, this.knownOf(subject, family))) return 'weak_key';
        // one drug class does not fill the type (systemic corticosteroids' long label lists)
        if (this.classesOfKey(answer).some((c) => (this.keyClassUses.get(`${t.type}|${c}`) ?? 0) >= this.classCap())) return 'class_cap';
        return null;
      case 'contraindicated': {
        if (this.isUmbrella(subject)) return 'umbrella_disease';
        // NOT indicated, yet some source says it treats the disease, a parent, a subtype or a sibling
        // (metronidazole treats colitis, a sibling of Crohn's disease under inflammatory bowel disease): not safe
        const near = new Set(family);
        for (const p of g.nb(subject, 'is_a', 'out')) {
          const siblings = g.nb(p, 'is_a', 'in');
          if (siblings.length <= 60) for (const x of siblings) near.add(x);
        }
        for (const role of ['treats', 'palliates']) if (g.nb(answer, role, 'out').some((d) => near.has(d))) return 'ambiguous_answer';
        return null;
      }
      case 'causative_agent':
        // "Viruses" for viral meningitis: a cause a clinician names is a species or a genus
        return isAboveGenus(g.kg.nodeName(answer)) || isAboveGenus(this.h.taxonName(answer)) ? 'too_broad' : null;
      case 'drug_class':
        if (isMechanismPhrase(g.kg.nodeName(answer))) return 'weak_key';
        if (this.unconfirmedRole(subject, answer)) return 'weak_key';
        // "Enzyme inhibitors" for clindamycin: a class of hundreds says little, and overlaps most others
        if (this.h.classSize(answer) > BROAD_CLASS) return 'too_broad';
        // the FDA's established class when the drug has one (amiloride: potassium-sparing diuretic, not "acid sensing ion channel blockers"),
        // and not a chemical grouping ("vitamin B complex member" for aminobenzoic acid)
        if (isChemicalGrouping(g.kg.nodeName(answer))) return 'noncanonical_key';
        // no drug class a clinician would name, the drug itself, or a MeSH parent heading (N16)
        if (this.notAClassOf(subject, answer)) return 'noncanonical_key';
        return this.canonicalClass(subject, answer) ? null : 'noncanonical_key';
      case 'presentation_class':
        if (isMechanismPhrase(g.kg.nodeName(answer))) return 'weak_key';
        return this.h.classSize(answer) > BROAD_CLASS ? 'too_broad' : null;
      case 'localisation': {
        if (!this.concrete()(answer) || isUnnaturalAnatomy(g.kg.nodeName(answer))) return 'weak_key';
        // a disease of three or more organ systems (granulomatosis with polyangiitis) is involved in too much for one site to be the answer
        const systems = new Set<string>();
        for (const a of g.nb(subject, 'localizes', 'out')) for (const x of this.h.anatomySystems(a)) systems.add(x);
        if (systems.size >= 3) return 'multisystem_disease';
        // a systemic disease (autoimmune, vascular, metabolic, a syndrome, syphilis …) involves more organs than the graph lists
        for (const a of this.h.diseaseAncestors(subject)) if (SYSTEMIC_CATEGORY.test(g.kg.nodeName(a))) return 'multisystem_disease';
        if (SYSTEMIC_CATEGORY.test(g.kg.nodeName(subject))) return 'multisystem_disease';
        // the disease's name states the answer's organ system ("central nervous system germ cell tumor" — brain)
        const named = organSystems(g.kg.nodeName(subject));
        if (named.length && this.h.anatomySystems(answer).some((x) => named.includes(x))) return 'key_word_in_stem';
        return this.canonicalSite(subject, answer) ? null : 'noncanonical_key';
      }
      case 'mechanism':
        return this.canonicalTarget(subject, answer) ? null : 'noncanonical_key';
      case 'target_pathway':
        return this.h.isBroadPathway(answer) ? 'too_broad' : null;
      default:
        return null;
    }
  }

  /** is the answer the canonical key for this subject (drug class, mechanism, site)? */
  private canonicalFor(type: string, subject: number, answer: number): boolean {
    switch (type) {
      case 'drug_class':
        return this.canonicalClass(subject, answer);
      case 'mechanism':
        return this.canonicalTarget(subject, answer);
      case 'localisation':
        return this.canonicalSite(subject, answer);
      default:
        return true;
    }
  }

  /** a class the drug could be keyed to at all: named as a class, specific, and (a ChEBI role) confirmed */
  private keyableClass(drug: number, cls: number): boolean {
    const name = this.g.kg.nodeName(cls);
    return (
      !isMechanismPhrase(name) &&
      !isChemicalGrouping(name) &&
      this.h.classSize(cls) <= BROAD_CLASS &&
      !this.unconfirmedRole(drug, cls) &&
      !this.notAClassOf(drug, cls)
    );
  }

  /**
   * Review round 4, N16: a MeSH heading that is no drug class (cosmetics, adjuvants, an
   * organ-system grouping), a class that is the drug itself (liothyronine, "L-triiodothyronine"),
   * or a parent heading of another MeSH class the drug holds. DrugCentral lists a drug's MeSH
   * actions with their ancestors (hyoscyamine: cholinergic agents > cholinergic antagonists >
   * muscarinic antagonists); the graph has no MeSH tree, so a heading is taken as a parent when
   * it holds every member of a smaller MeSH class of the drug (of five or more).
   */
  notAClassOf(drug: number, cls: number): boolean {
    const kg = this.g.kg;
    const name = kg.nodeName(cls);
    if (restatesDrug(name, [kg.nodeName(drug), ...kg.synonyms(drug)])) return true;
    if (classKind(kg.nodeId(cls), name) !== 'mesh') return false;
    if (isNotADrugClass(name)) return true;
    const members = new Set(this.g.nb(cls, 'in_class', 'in'));
    for (const c of this.g.nb(drug, 'in_class', 'out')) {
      if (c === cls || classKind(kg.nodeId(c), kg.nodeName(c)) !== 'mesh') continue;
      const inner = this.g.nb(c, 'in_class', 'in');
      // a class of a handful of drugs sits inside many headings by chance (4 "myeloablative agonists", all alkylating agents)
      if (inner.length >= 5 && inner.length < members.size && inner.every((m) => members.has(m))) return true;
    }
    return false;
  }

  /**
   * Is this class the drug's canonical one (canonical-key.ts): no keyable class of the drug
   * ranks higher (an FDA established class beats a mechanism class, which beats a MeSH action,
   * which beats a ChEBI role)?
   */
  canonicalClass(drug: number, cls: number): boolean {
    const kg = this.g.kg;
    const rank = classRank(kg.nodeId(cls), kg.nodeName(cls));
    const classes = this.g.strongNb(drug, 'in_class', 'out');
    const size = (c: number) => this.g.nb(c, 'in_class', 'in').length;
    for (let i = 0; i < classes.length; i++) {
      const c = classes[i]!;
      if (c === cls || !this.keyableClass(drug, c)) continue;
      const r = classRank(kg.nodeId(c), kg.nodeName(c));
      if (r < rank) return false;
      // two use classes of one rank: the narrower one is what the drug is known by (review round 6: lithium is an
      // antimanic agent before it is one of MeSH's many "Antidepressive Agents")
      if (r === rank && rank === USE_CLASS_RANK && size(c) < size(cls)) return false;
    }
    return true;
  }

  /**
   * A site a clinician would name for the disease: not a limb or body region for a disease of
   * the nervous system or muscle (Charcot-Marie-Tooth disease → hand), and not one of two or
   * more separate strong sites in one organ system (low grade glioma: brain and spinal cord),
   * where the graph cannot say which is the primary one.
   */
  canonicalSite(disease: number, site: number): boolean {
    const g = this.g;
    const kg = g.kg;
    if (isBodyRegion(kg.nodeName(site))) {
      if (NEUROMUSCULAR_BRANCH.test(kg.nodeName(disease))) return false;
      for (const a of this.h.diseaseAncestors(disease)) if (NEUROMUSCULAR_BRANCH.test(kg.nodeName(a))) return false;
    }
    const systems = this.h.anatomySystems(site);
    if (!systems.length) return true;
    const elsewhere = new Set<string>();
    for (const s of g.strongNb(disease, 'localizes', 'out')) {
      if (s === site || this.h.anatomyOverlaps(s, site)) continue;
      const sys = this.h.anatomySystems(s);
      if (sys.some((x) => systems.includes(x))) return false;
      // a body region ("foot" beside "zone of skin" for tinea pedis) holds several systems: no second site of its own
      if (!isBodyRegion(kg.nodeName(s))) for (const x of sys) elsewhere.add(x);
    }
    // sites in two organ systems (heterophyiasis: heart and brain; ancylostomiasis: skin, eye): one may be an ectopic or
    // occasional site (review round 3, N12). Keyed only where the graph says which is primary: a parent names the
    // site's system, or it is the system most of the disease's siblings are sited in
    if (elsewhere.size && !isBodyRegion(kg.nodeName(site))) return this.primarySystem(disease, systems);
    return true;
  }

  /** a parent of the disease names one of these organ systems, or the commonest system of its siblings' sites is one of them */
  private primarySystem(disease: number, systems: readonly string[]): boolean {
    const g = this.g;
    const parents = g.nb(disease, 'is_a', 'out');
    const count = new Map<string, number>();
    for (let i = 0; i < parents.length; i++) {
      const p = parents[i]!;
      if (organSystems(g.kg.nodeName(p)).some((x) => systems.includes(x))) return true;
      for (const sib of g.nb(p, 'is_a', 'in')) {
        if (sib === disease) continue;
        const seen = new Set<string>();
        for (const a of g.strongNb(sib, 'localizes', 'out')) for (const x of this.h.anatomySystems(a)) seen.add(x);
        for (const x of seen) count.set(x, (count.get(x) ?? 0) + 1);
      }
    }
    let top = 0;
    for (const v of count.values()) top = Math.max(top, v);
    return top >= 2 && systems.some((x) => count.get(x) === top);
  }

  /**
   * For a drug acting on several subunits of one receptor family (flumazenil: GABRA1 to GABRA6),
   * the key is a subunit the most drugs target (the benzodiazepine-site α1, not α6, whose
   * receptors are benzodiazepine-insensitive): the graph has no action types, so how many drugs
   * act on a subunit stands in for which one the class is known by. A tie (ivabradine: HCN1,
   * HCN2 and HCN3, one drug each, while HCN4 is the cardiac one) leaves no member the key
   * (review round 5); nor is a mitochondrial paralog (TOP1MT for topotecan: TOP1 is the target).
   */
  canonicalTarget(drug: number, gene: number): boolean {
    const g = this.g;
    const symbol = g.kg.nodeName(gene);
    if (this.isMitochondrialParalog(symbol)) return false;
    const fam = geneFamily(symbol);
    // every edge counts here, weak ones included: flumazenil's α1 comes from multi-gene rows only (not a key itself),
    // yet it still outranks the single-row α4, which is as benzodiazepine-insensitive as α6
    const drugsOn = (t: number) => g.nb(t, 'targets', 'in').length;
    const mine = drugsOn(gene);
    for (const t of g.nb(drug, 'targets', 'out')) if (t !== gene && geneFamily(g.kg.nodeName(t)) === fam && drugsOn(t) >= mine) return false;
    return true;
  }

  private geneSymbols: Set<string> | null = null;
  /** "TOP1MT" beside "TOP1": the mitochondrial copy of a gene (COMT is no copy: there is no "CO") */
  isMitochondrialParalog(symbol: string): boolean {
    if (!/^[A-Z0-9]+MT$/.test(symbol)) return false;
    if (!this.geneSymbols) {
      const ti = this.g.typeIndexOf('gene');
      this.geneSymbols = new Set();
      if (ti >= 0) for (let i = 0; i < this.g.n; i++) if (this.g.kg.nodeTypeIndex(i) === ti) this.geneSymbols.add(this.g.kg.nodeName(i));
    }
    return this.geneSymbols.has(symbol.slice(0, -2));
  }

  private readonly candidateCache = new Map<string, Candidate[]>();
  /**
   * Plausible candidates for the type, from the answer's neighbourhood. A named-entity item's
   * candidates depend on its subject only: drawn once per subject and kept.
   */
  private candidates(d: Draft): Candidate[] {
    const { t } = d;
    if (t.stem === 'picture' || t.type === 'localisation') return this.freshCandidates(d);
    const key = `${t.type}:${d.subject}`;
    let c = this.candidateCache.get(key);
    if (!c) {
      if (this.candidateCache.size > 20_000) this.candidateCache.clear();
      this.neigh.scale = 3;
      try {
        this.candidateCache.set(key, (c = this.freshCandidates(d)));
      } finally {
        this.neigh.scale = 1;
      }
    }
    return c;
  }

  private freshCandidates(d: Draft): Candidate[] {
    const { t, subject, picture } = d;
    const nb = this.neigh;
    // the shown findings' other diseases are what the open-world checks turn down (they fit the picture): a
    // picture item draws from the subject's picture-independent neighbourhood, kept per subject
    const diseases = () => (picture ? this.subjectNeighbourhood(subject) : nb.diseases(subject, null));
    // picture types turn down every option of the picture's organ systems or clinical group: beside the
    // neighbourhood, draw from far away too, so that an item can be completed with options that are clearly wrong
    const far = (role: FarRole) => this.farCandidates(role, FAR_DRAW);
    switch (t.type) {
      case 'diagnosis':
        return [...diseases(), ...far('disease')];
      case 'treatment':
        return [...nb.via(diseases(), 'treats', 'in'), ...far('drug')];
      case 'two_hop_treatment':
        return [...nb.via(diseases(), 'treats', 'in'), ...far('drug')];
      case 'contraindicated':
        return Array.from(this.g.strongNb(subject, 'treats', 'in'), (x) => ({ node: x, closeness: 0.5 }));
      case 'drug_class':
        return [...nb.ofPeerDrugs(subject, 'in_class'), ...far('pharmacologic_class')];
      case 'mechanism':
        return [...nb.ofPeerDrugs(subject, 'targets'), ...far('gene')];
      case 'localisation':
        return [...nb.via(diseases(), 'localizes', 'out'), ...nb.anatomySiblings(d.answer), ...far('anatomy')];
      case 'causative_agent':
        return [...nb.via(diseases(), 'caused_by', 'out'), ...far('pathogen')];
      case 'presentation_class':
        // classes of one system only are judged (the key's), so draw more from far away
        return [...nb.classesOfTreaters(diseases()), ...this.farCandidates('pharmacologic_class', 4 * FAR_DRAW)];
      case 'target_pathway':
        return nb.pathwaysOfTreaters(diseases());
      default:
        return [];
    }
  }

  private readonly neighbourhoods = new Map<number, Candidate[]>();
  private subjectNeighbourhood(subject: number): Candidate[] {
    let v = this.neighbourhoods.get(subject);
    if (!v) {
      if (this.neighbourhoods.size > 5000) this.neighbourhoods.clear();
      this.neigh.scale = 3;
      try {
        this.neighbourhoods.set(subject, (v = this.neigh.diseases(subject, null)));
      } finally {
        this.neigh.scale = 1;
      }
    }
    return v;
  }


  /**
   * Options from anywhere in the graph (closeness 0.05): diseases with findings enough to be
   * judged, drugs with a strong indication, organisms with a strong disease.
   */
  private farCandidates(role: FarRole, k: number): Candidate[] {
    let pool = this.ctx.far.get(role);
    if (!pool) {
      const g = this.g;
      const ti = g.typeIndexOf(role);
      const out: number[] = [];
      if (ti >= 0) {
        for (let i = 0; i < g.n; i++) {
          if (g.kg.nodeTypeIndex(i) !== ti) continue;
          const ok =
            role === 'disease'
              ? g.strongNb(i, 'presents', 'out').length >= 3
              : role === 'drug'
                ? g.strongNb(i, 'treats', 'out').length > 0
                : role === 'pathogen'
                  ? g.strongNb(i, 'caused_by', 'in').length > 0
                  : role === 'gene'
                    ? g.strongNb(i, 'targets', 'in').length > 0
                    : role === 'anatomy'
                      ? g.strongNb(i, 'localizes', 'in').length > 0 && this.concrete()(i)
                      : this.h.classSize(i) >= 3 && this.h.classSize(i) <= BROAD_CLASS;
          if (ok) out.push(i);
        }
      }
      this.ctx.far.set(role, (pool = Uint32Array.from(out)));
    }
    const out: Candidate[] = [];
    for (let j = 0; j < Math.min(k, pool.length); j++) out.push({ node: pool[this.rng.int(pool.length)]!, closeness: 0.05 });
    return out;
  }

  private judge(d: Draft, c: Candidate): Verdict | null {
    const j = this.judges;
    const k = d.known;
    switch (d.t.type) {
      case 'diagnosis':
        return j.differential(k, d.answer, d.picture!.shown, c, d.systems);
      case 'treatment':
      case 'two_hop_treatment':
        return j.drugForDisease(k, c, d.picture?.shown ?? [], d.systems);
      case 'contraindicated':
        return j.treaterOfDisease(k, d.answer, c);
      case 'drug_class':
        return j.classForDrug(k, d.answer, c);
      case 'mechanism':
        return j.geneForDrug(k, c);
      case 'localisation':
        return j.siteForDisease(k, d.answer, this.concrete(), c);
      case 'causative_agent':
        return j.pathogenForDisease(k, d.answer, c, d.picture!.shown, d.systems);
      case 'presentation_class':
        return j.classForDisease(k, d.answer, c, d.picture!.shown);
      case 'target_pathway':
        return j.pathwayForDisease(k, d.answer, c, d.path[2] ?? -1);
      default:
        return null;
    }
  }

  /** options must not be relatives of one another either (two options that restate each other give both away) */
  private optionsRelated(role: string, a: number, b: number): boolean {
    const h = this.h;
    switch (role) {
      case 'disease':
        return h.diseasesRelated(a, b);
      case 'anatomy':
        return h.anatomyOverlaps(a, b);
      case 'pathogen':
        return h.pathogensRelated(a, b);
      case 'pharmacologic_class':
        // a shared member, or one name inside the other ("topoisomerase inhibitor" / "anthracycline topoisomerase inhibitor", "thiazide" / "thiazide-like diuretic")
        return h.classesShareMember(a, b) || classNamesNested(this.g.kg.nodeName(a), this.g.kg.nodeName(b));
      case 'gene':
        return h.genesRelated(a, b);
      case 'drug': {
        // two drugs of one specific class: if one were right the other would be too
        const ca = this.g.nb(a, 'in_class', 'out');
        for (let i = 0; i < ca.length; i++) if (h.classSize(ca[i]!) <= BROAD_CLASS && this.g.has(b, 'in_class', ca[i]!)) return true;
        // two salts or congeners named alike ("ferric carboxymaltose" / "ferrous sulfate", "prednisone" / "prednisolone")
        return drugNamesAlike(this.g.kg.nodeName(a), this.g.kg.nodeName(b));
      }
      default:
        return false;
    }
  }

  private readonly poolCache = new Map<string, Candidate[]>();
  /** the candidates that pass the cheap checks; for a named-entity type they depend on the subject (and signature) only, so are kept */
  private filteredPool(d: Draft): Candidate[] {
    const g = this.g;
    const answerType = g.kg.nodeTypeIndex(d.answer);
    const keep = (c: Candidate) => g.kg.nodeTypeIndex(c.node) === answerType && this.judges.quick(d.t.type, d.known, d.answer, c);
    if (d.t.stem === 'picture' || d.t.type === 'localisation') return this.candidates(d).filter(keep);
    const key = `${d.t.type}:${d.subject}:${this.subjectSignature(d.t, d.answer)}`;
    let v = this.poolCache.get(key);
    if (!v) {
      if (this.poolCache.size > 20_000) this.poolCache.clear();
      this.poolCache.set(key, (v = this.candidates(d).filter(keep)));
    }
    return v;
  }

  private drawDistractors(d: Draft): { node: number; verdict: Verdict }[] | Dropped {
    const g = this.g;
    const k = this.settings.optionCount - 1;
    const pool = this.filteredPool(d).filter((c) => c.node !== d.answer);
    if (pool.length < k) return new Dropped('no_valid_distractors');
    const answerName = g.kg.nodeName(d.answer);
    const used = new Set([normalizeText(answerName), normalizeText(optionName(answerName))]);
    const questionText = normalizeText(d.question);
    const inQuestion = (name: string) => {
      const n = normalizeText(name);
      return n.trim().length > 0 && questionText.includes(n);
    };
    const chosen: { node: number; verdict: Verdict }[] = [];
    let judged = 0;
    // a drug class item needs one option from the drug's own therapeutic area (classes of drugs for the same or
    // neighbouring diseases), or the key stands out as the only class of its kind: draw that one first
    const near = d.t.type === 'drug_class' ? pool.filter((c) => c.closeness >= NEAR) : [];
    let needNear = d.t.type === 'drug_class';
    // a weighted draw without replacement (weight = closeness + 0.1, plus plausibility for a picture item), the running total kept
    const plausible = this.plausibility(d, pool);
    const weight = (c: Candidate) => c.closeness + 0.1 + (plausible.get(c.node) ?? 0);
    const draw = (from: Candidate[], total: { w: number }): Candidate => {
      let r = this.rng.next() * total.w;
      let idx = 0;
      for (; idx < from.length - 1; idx++) {
        r -= weight(from[idx]!);
        if (r < 0) break;
      }
      const c = from[idx]!;
      from[idx] = from[from.length - 1]!;
      from.pop();
      total.w -= weight(c);
      return c;
    };
    const nearTotal = { w: near.reduce((a, c) => a + weight(c), 0) };
    const total = { w: pool.reduce((a, c) => a + weight(c), 0) };
    const taken = new Set<number>();
    // a picture item draws plausible options (they present a shown finding) first and the judges turn many down as
    // competitors: it may judge twice as many before it gives up
    const budget = d.picture ? 2 * MAX_JUDGED : MAX_JUDGED;
    while (chosen.length < k && judged < budget) {
      let c: Candidate;
      if (needNear) {
        if (!near.length) return new Dropped('surface_cue');
        c = draw(near, nearTotal);
      } else {
        if (!pool.length) break;
        c = draw(pool, total);
      }
      if (taken.has(c.node)) continue;
      taken.add(c.node);
      const raw = g.kg.nodeName(c.node);
      const name = normalizeText(optionName(raw));
      if (used.has(name) || name.trim() === '' || TAXONOMY_MARKUP.test(raw)) continue;
      // "stomach" beside "body of stomach": one name inside the other reads as a part/whole pair
      if (containsName(answerName, raw) || containsName(raw, answerName)) continue;
      if (inQuestion(raw)) continue;
      if (chosen.some((x) => this.optionsRelated(d.t.answerRole, x.node, c.node))) continue;
      judged++;
      const verdict = this.judge(d, c);
      if (!verdict) continue;
      used.add(name);
      chosen.push({ node: c.node, verdict });
      if (needNear) needNear = false;
    }
    if (chosen.length < k) return new Dropped('no_valid_distractors');
    return chosen;
  }


  /**
   * Plausibility of a diagnosis or causative option beside the picture (review N2: scurvy beside
   * Kunjin encephalitis and CDG Ih): a disease that may present one of the shown findings (two,
   * or one and its organ system, and the judges turn it down as a competitor), or an organism
   * causing such a disease, weighs more in the draw; so does a well-known disease or organism
   * (graph degree, a proxy for how often it is met). The judges still decide; this only orders
   * the candidates they see. Extra weight per candidate node (none for other types).
   */
  private plausibility(d: Draft, pool: readonly Candidate[]): Map<number, number> {
    const out = new Map<number, number>();
    if (!d.picture || (d.t.type !== 'diagnosis' && d.t.type !== 'causative_agent')) return out;
    const shown = d.picture.shown;
    const kg = this.g.kg;
    const sharesOne = (x: number) => shown.some((f) => this.pic.mayPresent(x, f));
    for (const c of pool) {
      if (out.has(c.node)) continue;
      let shares = false;
      if (d.t.type === 'diagnosis') shares = sharesOne(c.node);
      else {
        const caused = this.g.nb(c.node, 'caused_by', 'in');
        for (let i = 0; i < caused.length && i < 20 && !shares; i++) shares = sharesOne(caused[i]!);
      }
      const known = Math.min(1, Math.log10(kg.degree[c.node]! + 1) / 3);
      out.set(c.node, (shares ? PLAUSIBLE_SHARED : 0) + PLAUSIBLE_KNOWN * known);
    }
    return out;
  }

  /** Re-verification against the KG (independent of how the draft was built), then the record. */
  private finish(d: Draft, chosen: { node: number; verdict: Verdict }[], sig: string): QuestionRecord | Dropped {
    const g = this.g;
    const t = d.t;
    const rng = this.rng;
    // evidence: what the stem shows, what it withholds, and the hidden chain
    const evidence: EvidenceTriple[] = [];
    if (d.picture) {
      for (const f of d.picture.shown) evidence.push(Object.assign(g.triple(d.subject, 'presents', f), { shown: true, role: 'evidence' as const }));
      if (d.anatomy >= 0) evidence.push(Object.assign(g.triple(d.subject, 'localizes', d.anatomy), { shown: true, role: 'evidence' as const }));
      if (d.specialty >= 0) evidence.push(Object.assign(g.triple(d.subject, 'in_specialty', d.specialty), { shown: true, role: 'evidence' as const }));
      for (const f of d.picture.withheld) evidence.push(Object.assign(g.triple(d.subject, 'presents', f), { shown: false, role: 'evidence' as const }));
      t.chain.forEach((step, s) => {
        const [h, tl] = step.dir === 'out' ? [d.path[s]!, d.path[s + 1]!] : [d.path[s + 1]!, d.path[s]!];
        evidence.push(Object.assign(g.triple(h, step.rel, tl), { shown: false, role: 'chain' as const }));
      });
    } else {
      // one hop: the stem names the subject; the fact linking it to the answer is what is asked
      const step = t.chain[0]!;
      const [h, tl] = step.dir === 'out' ? [d.subject, d.answer] : [d.answer, d.subject];
      evidence.push(Object.assign(g.triple(h, step.rel, tl), { shown: true, role: 'evidence' as const }));
    }
    for (const e of evidence) if (g.tripleHolds(e) !== true) return new Dropped('evidence_not_in_graph');
    for (const x of chosen) {
      if (g.kg.nodeTypeIndex(x.node) !== g.kg.nodeTypeIndex(d.answer)) return new Dropped('unverified_distractor');
      for (const r of x.verdict.reasons) if (g.tripleHolds(r.fact) !== r.fact.holds && r.kind !== 'separate') return new Dropped('unverified_distractor');
      if (x.verdict.via?.some((v) => g.tripleHolds(v) !== true)) return new Dropped('unverified_distractor');
    }
    const question = d.question;
    const answerText = optionName(g.kg.nodeName(d.answer));
    const names = chosen.map((x) => optionName(g.kg.nodeName(x.node)));
    const letters = optionLetters(names.length + 1);
    const answerAt = rng.int(letters.length);
    names.splice(answerAt, 0, answerText);
    const options: Record<string, string> = {};
    letters.forEach((l, i) => (options[l] = names[i]!));
    // filters
    if (malformation(question) || TAXONOMY_MARKUP.test(question) || names.some((x) => malformation(x) !== null || TAXONOMY_MARKUP.test(x))) return new Dropped('malformed_text');
    if (new Set(names.map(normalizeText)).size !== names.length) return new Dropped('duplicate_options');
    const answerName = g.kg.nodeName(d.answer);
    const qn = normalizeText(question);
    const named = (x: string) => {
      const n = normalizeText(x);
      return n.trim().length > 0 && qn.includes(n);
    };
    if (named(answerName) || named(answerText) || g.kg.synonyms(d.answer).some((s) => s.length >= 4 && named(s))) return new Dropped('answer_named_in_stem');
    if (sharedKeyWord(question, answerName) || sharedKeyWord(question, answerText)) return new Dropped('key_word_in_stem');
    // the key must not stand out by its casing (a title-case class among sentence-case ones)
    if (t.answerRole === 'pharmacologic_class' || t.answerRole === 'pathway') {
      const capitals = names.map(hasInnerCapital);
      const others = capitals.filter((_, i) => i !== answerAt);
      if (capitals[answerAt] ? !others.some(Boolean) : others.every(Boolean)) return new Dropped('surface_cue');
    }
    // a picture needs a discriminating finding: specific, and on none of the diseases the distractors point to
    if (d.picture) {
      const against = new Set<number>();
      for (const x of chosen) for (const y of x.verdict.diseases ?? []) if (!d.family?.has(y)) against.add(y);
      if (this.diff.discriminating(d.picture.shown, against) < 0) return new Dropped('no_discriminating_finding');
    }
    const textSig = `${t.type}|${stemSignature(question)}`;
    if (this.signatures.has(textSig) || this.signatures.has(sig)) return new Dropped('near_duplicate_stem');
    // an EXCEPT item (review round 4, N15): one per disease per 1,000 items, and no twin of an earlier one of the
    // disease (10 items from 7 diseases, two pairs sharing 2–3 options with different tiers)
    const optionNodes = [d.answer, ...chosen.map((x) => x.node)];
    if (t.type === 'contraindicated') {
      const earlier = this.exceptOptions.get(d.subject) ?? [];
      if (earlier.length >= Math.max(1, Math.floor(this.settings.n / 1000))) return new Dropped('near_duplicate_stem');
      if (earlier.some((o) => o.filter((x) => optionNodes.includes(x)).length > 1)) return new Dropped('near_duplicate_stem');
    }
    this.signatures.add(textSig);
    this.signatures.add(sig);
    if (t.type === 'contraindicated') this.exceptOptions.set(d.subject, [...(this.exceptOptions.get(d.subject) ?? []), optionNodes]);
    if (t.type === 'treatment' || t.type === 'two_hop_treatment') for (const c of this.classesOfKey(d.answer)) this.keyClassUses.set(`${t.type}|${c}`, (this.keyClassUses.get(`${t.type}|${c}`) ?? 0) + 1);
    if (d.picture) {
      this.shownSets.add(shownKey(d.picture.shown));
      const list = this.picturesOf.get(d.subject);
      if (list) list.push([...d.picture.shown]);
      else this.picturesOf.set(d.subject, [[...d.picture.shown]]);
      this.pictureUses.set(d.subject, (this.pictureUses.get(d.subject) ?? 0) + 1);
    }

    const withheld = d.picture?.withheld.length ?? 0;
    const shownN = evidence.filter((e) => e.shown).length;
    const closeness = chosen.reduce((s, x) => s + x.verdict.closeness, 0) / chosen.length;
    const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
    const base = {
      hops: templateHops(t),
      evidenceShown: shownN,
      evidenceDropped: withheld,
      answerRarity: r4(g.kg.rarity[d.answer]!),
      answerDegree: g.kg.degree[d.answer]!,
      distractorOverlap: r4(closeness),
      optionCount: letters.length,
      subjectRarity: r4(g.kg.rarity[d.subject]!),
      distractorCloseness: r4(closeness),
    };
    const score = difficultyScore(base);
    const cuts = this.tierCuts.get(t.type);
    const features = { ...base, score, scoreParts: scoreParts(base), ...(cuts ? { tierCuts: cuts } : {}) };
    this.lastAnswer = d.answer;
    const distractors: Distractor[] = chosen.map((x) => ({
      ...g.ref(x.node),
      contradicted_by: x.verdict.primary,
      reasons: x.verdict.reasons,
      ...(x.verdict.via ? { via: x.verdict.via } : {}),
    }));
    return {
      id: `syn-${hash64(`${t.type}|${question}|${names.join('|')}|${letters[answerAt]}`)}`,
      question,
      options,
      answer_idx: letters[answerAt]!,
      answer: answerText,
      difficulty: tierOf(score, cuts),
      type: t.type,
      source: 'synthetic',
      status: 'pending',
      provenance: {
        graph: g.label,
        seed: this.settings.seed,
        alpha: this.settings.alpha,
        metapath: t.metapath,
        hops: features.hops,
        answer_node: g.ref(d.answer),
        evidence,
        distractors,
        features,
      },
    };
  }
}

/** a shown-finding set, order aside */
const shownKey = (shown: readonly number[]) => [...shown].sort((a, b) => a - b).join(',');

/** median degree per node type (index by type) */
export function medianDegrees(kg: KnowledgeGraph): Uint32Array {
  const per: number[][] = kg.header.nodeTypes.map(() => []);
  for (let i = 0; i < kg.nodeCount; i++) per[kg.nodeTypeIndex(i)]!.push(kg.degree[i]!);
  return Uint32Array.from(per, (xs) => {
    if (xs.length === 0) return 0;
    xs.sort((a, b) => a - b);
    return xs[Math.floor(xs.length / 2)]!;
  });
}

/** Which question types a graph supports, and for the others what it lacks (for the Generate panel and the CLI). */
export function templateSupport(kg: KnowledgeGraph): { type: string; title: string; ok: boolean; reason?: string }[] {
  const g = new SynthGraph(kg, '');
  return QUESTION_TYPES.map((type) => {
    const t = templateByType(type);
    const why = missingRoles(g.map, t.requires);
    return why ? { type, title: t.title, ok: false, reason: `needs ${why}` } : { type, title: t.title, ok: true };
  });
}

