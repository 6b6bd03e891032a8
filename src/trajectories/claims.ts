/**
 * Reads the relations a chain asserts between KG entities: entity mentions come from
 * the gazetteer, relation phrases from the cue table; each clause's subject(s) and
 * object(s) around a relation phrase whose node types fit an edge type become a claim,
 * negated when the clause denies it, and the KG decides whether it is supported:
 *  - an affirmed relation when the KG has the edge as a strong one (trust.ts: a lone crowd
 *    or text-mined row is no fact to teach), and, for the stronger wordings, when the graph
 *    backs that strength too (teachable.ts): "is characterised by" / "a hallmark of" only
 *    for a specific finding of few diseases, "is the site of" only for the disease's only site;
 *  - a denied one only when the KG lacks the edge AND that absence is informative
 *    (absence.ts: a well-annotated list, no overlap of names, no relative with the edge) —
 *    a KG is incomplete, so a missing edge alone is no evidence; a denied finding ("D does
 *    not account for F") needs more: D's picture well described, F specific, and nothing
 *    in D's family or F's linked by any edge (teachable.ts).
 * Clauses that only entertain a hypothesis ("if …", "would …") assert nothing.
 *
 * Also reports terms that stand where an entity must be ("aspirin treats dragonpox")
 * but name nothing in the KG.
 */
import type { KnowledgeGraph } from '../graph/knowledge-graph';
import { AbsenceOracle } from './absence';
import { EdgeStrength } from './trust';
import { Gazetteer, type Mention } from './gazetteer';
import { buildCueTable, FUSED, HALLMARK_WORDS, NEGATORS, SKIPPED, type CueSense, type Qualifier } from './relation-cues';
import { mapSchema } from '../synthesis/schema-map';
import { Teachable } from './teachable';
import { tokenize, type Token } from './text';
import type { Claim } from './types';

export interface EntityMention {
  /** character range in the text read */
  start: number;
  end: number;
  text: string;
  /** candidate node ids (several when a name is shared) */
  ids: string[];
  types: string[];
}

export interface Reading {
  claims: Claim[];
  /** terms in an entity position that the KG does not know */
  unresolved: string[];
  mentions: EntityMention[];
}

type Unit = { kind: 'ent'; m: Mention; start: number; end: number } | { kind: 'tok'; t: Token; start: number; end: number };

interface Clause {
  units: Unit[];
  sentence: number;
  text: string;
}

interface FoundCue {
  /** unit range of the phrase */
  from: number;
  to: number;
  senses: CueSense[];
  weak: boolean;
}

const SENTENCE_END = new Set(['.', '!', '?']);
const CLAUSE_END = new Set([';', ':']);
const CONNECTORS = new Set(['and', 'but', 'so', 'which', 'who', 'whereas', 'while', 'because', 'since', 'yet', 'thus', 'therefore', 'hence', 'making', 'leaving', 'excluding', 'ruling', 'although', 'though', 'however', 'whose', 'as']);
const BARE_CONNECTORS = new Set(['but', 'whereas', 'while', 'because', 'since', 'although', 'though', 'however', 'therefore', 'thus', 'hence']);
const RELATIVE = new Set(['which', 'that', 'who']);
const HYPOTHETICAL = new Set(['if', 'would', 'suppose', 'supposing', 'whether', 'hypothetically', 'unless']);
const WEAK = new Set(['is a', 'is an', 'includes', 'include', 'affects', 'affect', 'involves', 'involve', 'causes', 'cause', 'fits', 'fit', 'points to', 'point to', 'contains', 'produces', 'produce', 'belongs to', 'occurs in', 'occur in', 'is part of', 'is due to', 'results from', 'is seen in', 'are seen in', 'responds to', 'is linked to', 'is used for']);
const BOUNDARY = new Set([',', 'and', 'or', ';', '(', ')']);
/** words that can stand in an argument position without naming an entity */
const GENERIC = new Set(
  (
    'a an the this that these those it its they them their which who whom what such both all each every either neither none any some other another ' +
    'patient patients person case drug drugs medication medications agent agents therapy treatment treatments disease diseases condition conditions disorder disorders diagnosis ' +
    'option options answer answers choice choices organism organisms pathogen pathogens gene genes product protein pathway pathways class classes structure structures ' +
    'site part body finding findings symptom symptoms sign signs feature features presentation picture evidence fact facts stem question item ' +
    'one ones most more less likely unlikely best correct wrong incorrect right remaining only also here there then therefore thus so as well ' +
    'typical typically classic classical common commonly usual usually known recognised recognized same different several many other others underlying ' +
    'first second third last key main major minor specific particular given listed above below described shown mentioned presenting ' +
    'of in on at by for with to from into onto about over under between among within without via than not no is are was were be been being ' +
    'does do did has have had can could may might must should will shall indeed however because since whereas while but yet and or nor ' +
    'a b c d e f g h i j ( ) , . ; : \' " - – —'
  ).split(/\s+/),
);

export class ClaimReader {
  readonly gazetteer: Gazetteer;
  readonly absence: AbsenceOracle;
  readonly strength: EdgeStrength;
  readonly teachable: Teachable;
  /** edge type index → the template role it plays and whether it is stored target → source */
  private readonly roleOfRel = new Map<number, { role: string; reversed: boolean }>();
  private readonly cueByFirst = new Map<string, { tokens: string[]; senses: CueSense[]; weak: boolean }[]>();
  private readonly relIndex = new Map<string, number>();

  constructor(readonly kg: KnowledgeGraph, gazetteer?: Gazetteer, absence?: AbsenceOracle, teachable?: Teachable) {
    this.gazetteer = gazetteer ?? new Gazetteer(kg);
    this.absence = absence ?? new AbsenceOracle(kg);
    this.strength = new EdgeStrength(kg);
    this.teachable = teachable ?? new Teachable(kg);
    for (const [role, r] of Object.entries(mapSchema(kg.header).relations)) if (r && !this.roleOfRel.has(r.index)) this.roleOfRel.set(r.index, { role, reversed: r.reversed });
    const table = buildCueTable(kg.header);
    for (const c of table.cues) {
      const list = this.cueByFirst.get(c.tokens[0]!) ?? [];
      list.push({ ...c, weak: WEAK.has(c.tokens.join(' ')) });
      this.cueByFirst.set(c.tokens[0]!, list);
    }
    kg.header.edgeTypes.forEach((e, i) => this.relIndex.set(e.name, i));
  }

  read(text: string): Reading {
    const tokens = tokenize(text);
    const ms = this.gazetteer.mentions(tokens);
    const units: Unit[] = [];
    let mi = 0;
    for (let i = 0; i < tokens.length; ) {
      const m = ms[mi];
      if (m && m.start === i) {
        units.push({ kind: 'ent', m, start: tokens[i]!.start, end: tokens[m.end - 1]!.end });
        i = m.end;
        mi++;
      } else {
        units.push({ kind: 'tok', t: tokens[i]!, start: tokens[i]!.start, end: tokens[i]!.end });
        i++;
      }
    }
    const mentions: EntityMention[] = ms.map((m) => ({
      start: tokens[m.start]!.start,
      end: tokens[m.end - 1]!.end,
      text: text.slice(tokens[m.start]!.start, tokens[m.end - 1]!.end),
      ids: m.nodes.map((n) => this.kg.nodeId(n)),
      types: m.nodes.map((n) => this.kg.nodeType(n)),
    }));
    const clauses = splitClauses(units, text);
    const claims: Claim[] = [];
    const seen = new Set<string>();
    const unresolved: string[] = [];
    let prev: Clause | null = null;
    for (const clause of clauses) {
      this.readClause(clause, prev && prev.sentence === clause.sentence ? prev : null, claims, seen, unresolved);
      prev = clause;
    }
    return { claims, unresolved, mentions };
  }

  private readClause(clause: Clause, prev: Clause | null, claims: Claim[], seen: Set<string>, unresolved: string[]): void {
    const u = clause.units;
    const words = u.map((x) => (x.kind === 'tok' ? x.t.lower : '#E'));
    if (words.some((w) => HYPOTHETICAL.has(w))) return;
    // the stream cues are matched on: fused phrases first, then negators and fillers dropped
    const stream: { w: string; from: number; to: number }[] = [];
    let negations = 0;
    for (let i = 0; i < u.length; i++) {
      const fused = FUSED.find(([pat]) => pat.every((p, k) => words[i + k] === p));
      if (fused) {
        stream.push({ w: fused[1], from: i, to: i + fused[0].length });
        i += fused[0].length - 1;
        continue;
      }
      const w = words[i]!;
      // "doesn't", "isn't", "can't" are one token: a negated auxiliary
      if (NEGATORS.has(w) || w.endsWith("n't")) {
        negations++;
        continue;
      }
      if (SKIPPED.has(w)) continue;
      stream.push({ w, from: i, to: i + 1 });
    }
    const cues: FoundCue[] = [];
    for (let s = 0; s < stream.length; ) {
      const list = this.cueByFirst.get(stream[s]!.w);
      const hit = list?.find((c) => c.tokens.every((t, k) => stream[s + k]?.w === t));
      if (hit) {
        cues.push({ from: stream[s]!.from, to: stream[s + hit.tokens.length - 1]!.to, senses: hit.senses, weak: hit.weak });
        s += hit.tokens.length;
      } else s++;
    }
    if (!cues.length) return;
    const negative = negations > 0;
    // "classically presents with", "a characteristic finding": the clause claims a hallmark
    const hallmarkClause = words.some((w) => HALLMARK_WORDS.has(w));
    const entsIn = (a: number, b: number) => u.slice(a, b).filter((x): x is Extract<Unit, { kind: 'ent' }> => x.kind === 'ent').map((x) => x.m);
    const firstLeft = entsIn(0, cues[0]!.from);
    let anaphor: Mention[] = [];
    if (!firstLeft.length && RELATIVE.has(words.find((w) => w !== ',') ?? '') && prev) {
      const last = [...prev.units].reverse().find((x) => x.kind === 'ent');
      if (last && last.kind === 'ent') anaphor = [last.m];
    }
    cues.forEach((cue, j) => {
      const next = cues[j + 1]?.from ?? u.length;
      const right = entsIn(cue.to, next);
      const between = j === 0 ? firstLeft : entsIn(cues[j - 1]!.to, cue.from);
      let left = between.length ? between : j === 0 ? anaphor : firstLeft.length ? firstLeft : anaphor;
      let found = this.claimsFor(cue, left, right, negative, clause.text, hallmarkClause);
      if (!found.length && j > 0 && between.length) {
        left = firstLeft.length ? firstLeft : anaphor;
        found = this.claimsFor(cue, left, right, negative, clause.text, hallmarkClause);
      }
      for (const c of found) {
        const key = `${c.head.id}|${c.relation}|${c.tail.id}|${c.positive}`;
        if (!seen.has(key)) (seen.add(key), claims.push(c));
      }
      if (cue.weak) return;
      // an argument slot with words but no entity, opposite a slot that has one of a fitting type
      if (left.length && !right.length && this.fitsSide(cue, left, 'left')) {
        const term = argumentWords(u, cue.to, 1);
        if (term) unresolved.push(term);
      } else if (right.length && !left.length && this.fitsSide(cue, right, 'right')) {
        const term = argumentWords(u, cue.from - 1, -1);
        if (term) unresolved.push(term);
      }
    });
  }

  private fitsSide(cue: FoundCue, ms: Mention[], side: 'left' | 'right'): boolean {
    return cue.senses.some((s) => {
      const et = this.kg.header.edgeTypes[this.relIndex.get(s.rel)!]!;
      const type = (side === 'left') === (s.dir === 'fwd') ? et.source : et.target;
      return ms.some((m) => m.nodes.some((n) => this.kg.nodeType(n) === type));
    });
  }

  private claimsFor(cue: FoundCue, left: Mention[], right: Mention[], negative: boolean, text: string, hallmarkClause = false): Claim[] {
    const out: Claim[] = [];
    for (const l of left) {
      for (const r of right) {
        if (l === r) continue;
        // every reading of the two names that fits a sense of the phrase; the claim is supported
        // when some reading agrees with the KG (a name shared by several nodes may mean any of them)
        const fitting: { h: number; rel: number; t: number; positive: boolean; edge: boolean; strong: boolean; qualifier: Qualifier | undefined }[] = [];
        for (const s of cue.senses) {
          const rel = this.relIndex.get(s.rel)!;
          const et = this.kg.header.edgeTypes[rel]!;
          const [hm, tm] = s.dir === 'fwd' ? [l, r] : [r, l];
          const qualifier = s.qualifier ?? (hallmarkClause && this.roleOfRel.get(rel)?.role === 'presents' ? 'hallmark' : undefined);
          for (const h of hm.nodes) {
            if (this.kg.nodeType(h) !== et.source) continue;
            for (const t of tm.nodes) {
              if (this.kg.nodeType(t) !== et.target || h === t) continue;
              const edge = this.hasEdge(h, rel, t);
              fitting.push({ h, rel, t, positive: negative === !!s.negated, edge, strong: edge && this.strength.strong(h, rel, t), qualifier });
            }
          }
        }
        if (!fitting.length) continue;
        // an affirmed relation needs the strong edge (and what its wording claims beyond it); a denied one an informative absence
        const agree = fitting.filter((f) => (f.positive ? f.strong && this.qualifierHolds(f.h, f.rel, f.t, f.qualifier) : !f.edge && this.negativeHolds(f.h, f.rel, f.t)));
        // none agrees: report the reading closest to holding (a strong edge worded too strongly, then a weak edge, then none)
        const chosen = agree.length ? agree : [...fitting].sort((a, b) => Number(b.strong) - Number(a.strong) || Number(b.edge) - Number(a.edge));
        const pick = chosen[0]!;
        const why = agree.length ? null : !pick.positive && !pick.edge ? this.negativeWhyNot(pick.h, pick.rel, pick.t) : null;
        const weak = !agree.length && pick.positive && pick.edge && !pick.strong ? this.strength.datasets(pick.h, pick.rel, pick.t) : null;
        const overclaim = !agree.length && pick.positive && pick.strong && pick.qualifier ? this.overclaimWhy(pick.h, pick.rel, pick.t, pick.qualifier) : null;
        out.push({
          head: { id: this.kg.nodeId(pick.h), name: this.kg.nodeName(pick.h) },
          relation: this.kg.header.edgeTypes[pick.rel]!.name,
          tail: { id: this.kg.nodeId(pick.t), name: this.kg.nodeName(pick.t) },
          headIds: [...new Set(chosen.map((f) => this.kg.nodeId(f.h)))],
          tailIds: [...new Set(chosen.map((f) => this.kg.nodeId(f.t)))],
          positive: pick.positive,
          supported: agree.length > 0,
          ...(pick.qualifier ? { qualifier: pick.qualifier } : {}),
          ...(why ? { absence: why } : {}),
          ...(weak ? { weakSources: weak } : {}),
          ...(overclaim ? { overclaim } : {}),
          text: text.trim(),
        });
      }
    }
    return out;
  }

  /** the head and tail in the role's own direction (disease, finding), or null for an edge type with no role */
  private inRole(h: number, rel: number, t: number): { role: string; head: number; tail: number } | null {
    const r = this.roleOfRel.get(rel);
    if (!r) return null;
    return r.reversed ? { role: r.role, head: t, tail: h } : { role: r.role, head: h, tail: t };
  }

  private qualifierHolds(h: number, rel: number, t: number, q: Qualifier | undefined): boolean {
    if (!q) return true;
    const x = this.inRole(h, rel, t);
    if (!x) return true;
    if (q === 'hallmark') return x.role !== 'presents' || this.teachable.hallmark(x.head, x.tail);
    if (q === 'label') return x.role !== 'treats' || this.teachable.labelled(x.head, x.tail);
    return x.role !== 'localizes' || this.teachable.soleSite(x.head, x.tail);
  }

  private overclaimWhy(h: number, rel: number, t: number, q: Qualifier): string {
    const x = this.inRole(h, rel, t)!;
    const [head, tail] = [this.kg.nodeName(x.head), this.kg.nodeName(x.tail)];
    if (q === 'hallmark') return `"${tail}" is a finding ${head} can present with, not a hallmark of it (a specific finding the graph ties to it alone): say "can present with"`;
    if (q === 'label') return `no drug label states it (a physician-curated use at most): say "${head} is used to treat ${tail}"`;
    return `the ${tail} is one of several sites of ${head}, not the site: say "${head} can involve the ${tail}"`;
  }

  /** a denial: an informative absence; for a finding, a well-described picture that nothing links to it (teachable.ts) */
  private negativeHolds(h: number, rel: number, t: number): boolean {
    const x = this.inRole(h, rel, t);
    if (x?.role === 'presents') return this.teachable.cannotExplain(x.head, x.tail);
    return this.absence.judge(h, rel, t).informative;
  }

  private negativeWhyNot(h: number, rel: number, t: number): string {
    const x = this.inRole(h, rel, t);
    if (x?.role === 'presents') {
      const base = this.absence.judge(h, rel, t);
      if (!base.informative) return base.reason;
      return `${this.kg.nodeName(x.head)}'s picture is not described well enough, or "${this.kg.nodeName(x.tail)}" is too unspecific or too close to one of its findings, for a missing link to mean it cannot occur`;
    }
    return this.absence.judge(h, rel, t).reason;
  }

  hasEdge(h: number, rel: number, t: number): boolean {
    return this.absence.has(h, rel, t);
  }
}

function splitClauses(units: Unit[], text: string): Clause[] {
  const out: Clause[] = [];
  let cur: Unit[] = [];
  let sentence = 0;
  const flush = () => {
    if (cur.length) out.push({ units: cur, sentence, text: text.slice(cur[0]!.start, cur[cur.length - 1]!.end) });
    cur = [];
  };
  for (let i = 0; i < units.length; i++) {
    const x = units[i]!;
    if (x.kind === 'tok') {
      const w = x.t.lower;
      if (SENTENCE_END.has(w)) {
        flush();
        sentence++;
        continue;
      }
      if (CLAUSE_END.has(w)) {
        flush();
        continue;
      }
      const nx = units[i + 1];
      if (w === ',' && nx?.kind === 'tok' && CONNECTORS.has(nx.t.lower)) {
        flush();
        continue;
      }
      if (BARE_CONNECTORS.has(w) && cur.length) flush();
    }
    cur.push(x);
    // a name that ends in a full stop ("… uncoupling proteins.") also ends its sentence, unless the
    // sentence plainly goes on ("Mycobacterium avium complex sp. causes …")
    const after = units[i + 1];
    const goesOn = after?.kind === 'tok' && /^([a-z]|[,;:])/.test(after.t.text);
    if (x.kind === 'ent' && /\.$/.test(x.m.text) && !goesOn) {
      flush();
      sentence++;
    }
  }
  flush();
  return out;
}

/** the words of the argument next to a relation phrase, up to the next boundary, minus fillers; '' if none are content words */
function argumentWords(u: Unit[], from: number, step: 1 | -1): string {
  const ws: string[] = [];
  for (let i = from; i >= 0 && i < u.length; i += step) {
    const x = u[i]!;
    if (x.kind === 'ent') return '';
    if (BOUNDARY.has(x.t.lower)) {
      if (ws.length) break;
      continue;
    }
    ws.push(x.t.text);
  }
  if (step < 0) ws.reverse();
  const content = ws.filter((w) => !GENERIC.has(w.toLowerCase()) && !/^\d+$/.test(w));
  return content.length ? ws.join(' ') : '';
}
