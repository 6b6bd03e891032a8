/**
 * What a chain of thought may say about the graph, beyond "this edge is strong" (trust.ts):
 * the stronger wordings a physician reads as clinical claims, each allowed only where the
 * graph backs that strength. The teacher asks before writing; the claim checker asks again
 * before counting the sentence as supported.
 *  - "D is characterised by F" (a hallmark): F is a specific finding (not a constitutional
 *    one such as fever or fatigue, synthesis/picture.ts, nor a regional pain or weakness)
 *    that an expert source (DO's own axiom, not its inferred facet) gives D, and that no
 *    disease outside D's own family presents strongly, and at most one by any edge. How
 *    rare a finding is in this graph says little of how specific it is clinically (the
 *    graph gives hematochezia to four diseases, blisters to six), so only a finding the
 *    graph ties to this disease alone is called its hallmark ("scurvy is characterised by
 *    corkscrew hair", "foodborne botulism … by descending muscle paralysis"), never "chickenpox … by
 *    pharynx inflammation" (18 diseases) or "leptospirosis … by left upper quadrant
 *    abdominal rigidity" (12). Any other strong finding reads "D can present with F".
 *  - "the A is the site of D": A is D's only strong site (or every site lies within it or
 *    contains it). "The heart is the site of heterophyiasis" fails (four sites, the heart an
 *    ectopic one); "heterophyiasis can involve the heart" would be the true sentence.
 *  - "X is indicated for D" (a label indication): a drug-label source (DrugCentral, LabeledIn's
 *    expert rows) asserts it; a physician-curated use alone reads "X is used to treat D".
 *    "Bumetanide is indicated for hypertension" fails (its label: oedema).
 *  - "D does not account for F" (a shown finding the option cannot explain): only where the
 *    graph describes D's picture well (enough strong findings), F is specific and not vague
 *    ("abscesses", "abdominal swelling"), neither D, its ancestors or subtypes, nor any
 *    broader or narrower finding of F is linked by any edge, weak ones included
 *    (synthesis/picture.ts: mayPresent), and none of D's own findings lies in F's body system
 *    (the Symptom Ontology branch), shares a word with it or is, like it, a bleeding sign: a
 *    disease that gives confusion may well give memory loss, a haemorrhagic fever with
 *    epistaxis may give petechiae, though the graph lists neither. "Pneumonia does not
 *    account for hypoxemia" fails: pneumonia has two strong findings.
 */
import type { KnowledgeGraph } from '../graph/knowledge-graph';
import { edgeMaskIndex, trustTable, type DatasetTrust } from '../synthesis/edge-trust';
import { SynthGraph } from '../synthesis/kg-view';
import { isNonspecificFinding, PictureBuilder } from '../synthesis/picture';
import { Hierarchies } from '../synthesis/relatedness';
import { containsName } from '../synthesis/text';
import { contentWords, sharedKeyWord } from '../synthesis/names';

/** diseases outside the family that may present a hallmark by some (weak) edge */
export const HALLMARK_MAX_OTHERS = 1;
/** a finding of a region or a kind that many conditions share is nobody's hallmark ("neck pain", "limb weakness") */
const NOT_A_HALLMARK = /\b(pain|ache|aches|weakness|discomfort|tenderness|swelling|stiffness|cramps?|fatigue|malaise)\b/i;
/** a disease needs this many strong findings before a finding it lacks says anything */
export const WELL_DESCRIBED_PICTURE = 4;

/** findings too vague to be unexplained by anything ("abscesses", "abdominal swelling", "muscle tenderness") */
const VAGUE = /\b(pain|ache|aches|tenderness|swelling|abscess(es)?|lesions?|mass|masses|nodules?|discomfort|weakness|distension|distention|enlargement|abnormality|disorder|problems?)\b/i;
/**
 * Manifestations the Symptom Ontology files under several body systems: a disease with one
 * of them may well give another (bleeding signs in skin, nose, stool and menses; the
 * cholestatic signs of a liver disease; meningeal signs of a febrile or neurological one; the
 * vital signs of a febrile one).
 */
const GROUPS: readonly [string, RegExp][] = [
  ['bleeding', /bleed|h(a)?emorrh|petechia|purpura|ecchymos|epistaxis|h(a)?ematemesis|mel(a)?ena|h(a)?ematochezia|rectorrhagia|menorrhagia|metrorrhagia|h(a)?ematuria|h(a)?emoptysis|bruis/i],
  ['cholestatic', /jaundice|icter|dark urine|choluria|acholic|pale stool|clay.colou?red/i],
  ['neuro', /neck stiffness|stiff neck|nuchal|photophobia|meningism|kernig|brudzinski/i],
  // vital signs move together: a febrile illness may well give a fast pulse, fast breathing or low blood pressure
  ['vital', /tachycardia|tachypn|hypotension|low blood pressure|fever|pyrexia|hyperthermia|shock/i],
];
/** Symptom Ontology branches that are one system for this purpose: the nervous system and "neurological and physiological" (where fever sits) */
const NEURO_BRANCH = /nervous system|neurolog/i;

export class Teachable {
  readonly g: SynthGraph;
  readonly h: Hierarchies;
  readonly pic: PictureBuilder;

  private readonly trust: DatasetTrust[];
  private readonly masks = new Map<string, (h: number, t: number) => number>();

  constructor(readonly kg: KnowledgeGraph) {
    this.g = new SynthGraph(kg, 'teacher');
    this.h = new Hierarchies(this.g);
    this.pic = new PictureBuilder(this.g, this.h);
    this.trust = trustTable(kg.datasets);
  }

  /** the datasets asserting head —role→ tail, graded (edge-trust.ts) */
  private sources(head: number, role: string, tail: number): DatasetTrust[] {
    const r = this.g.rel(role);
    if (!r) return [];
    let m = this.masks.get(role);
    if (!m) this.masks.set(role, (m = edgeMaskIndex(this.kg, r.index)));
    const mask = r.reversed ? m(tail, head) : m(head, tail);
    return this.trust.filter((_, i) => (mask >>> i) & 1);
  }

  /** how many independent sources (families, compilations aside) assert the edge: what to prefer when there is a choice */
  support(head: number, role: string, tail: number): number {
    return new Set(this.sources(head, role, tail).filter((t) => t.grade !== 'compilation').map((t) => t.family)).size;
  }

  /** a strong edge head —role→ tail (edge-trust policy of that role) */
  strong(head: number, role: string, tail: number): boolean {
    return this.g.hasStrong(head, role, tail);
  }

  /** is "drug x is indicated for disease d" a label's statement? */
  labelled(x: number, d: number): boolean {
    return this.strong(x, 'treats', d) && this.sources(x, 'treats', d).some((t) => t.grade === 'label');
  }

  /** may F be called a hallmark of disease D ("D is characterised by F")? */
  hallmark(d: number, f: number): boolean {
    if (!this.strong(d, 'presents', f)) return false;
    const name = this.kg.nodeName(f);
    if (isNonspecificFinding(name) || NOT_A_HALLMARK.test(name)) return false;
    // a finding that restates the disease's name ("glomerulonephritis", "nephritis") names it, it does not characterise it
    if (sharedKeyWord(name, this.kg.nodeName(d))) return false;
    if (!this.sources(d, 'presents', f).some((t) => t.grade === 'expert')) return false;
    const family = this.h.diseaseFamily(d) ?? new Set([d]);
    const strongIn = this.g.strongNb(f, 'presents', 'in');
    for (let i = 0; i < strongIn.length; i++) if (!family.has(strongIn[i]!)) return false;
    const anyIn = this.g.nb(f, 'presents', 'in');
    let others = 0;
    for (let i = 0; i < anyIn.length; i++) if (!family.has(anyIn[i]!) && ++others > HALLMARK_MAX_OTHERS) return false;
    return true;
  }

  /** is anatomy A the site of disease D (its only strong site, up to containment)? */
  soleSite(d: number, a: number): boolean {
    if (!this.strong(d, 'localizes', a)) return false;
    const sites = this.g.strongNb(d, 'localizes', 'out');
    for (let i = 0; i < sites.length; i++) if (sites[i] !== a && !this.h.anatomyOverlaps(a, sites[i]!)) return false;
    return true;
  }

  /** enough strong findings that a missing one is informative */
  wellDescribed(d: number): boolean {
    return this.g.strongNb(d, 'presents', 'out').length >= WELL_DESCRIBED_PICTURE;
  }

  /** may the chain say that disease D does not account for finding F? */
  cannotExplain(d: number, f: number): boolean {
    if (!this.wellDescribed(d)) return false;
    const name = this.kg.nodeName(f);
    if (isNonspecificFinding(name) || VAGUE.test(name)) return false;
    if (containsName(this.kg.nodeName(d), name) || containsName(name, this.kg.nodeName(d))) return false;
    if (this.pic.mayPresent(d, f)) return false;
    // a finding of D in the same body system or manifestation group, or sharing a word: D may well give F too
    const tags = this.systemsOf(f);
    const words = contentWords(name);
    const own = this.g.nb(d, 'presents', 'out');
    for (let i = 0; i < own.length; i++) {
      const g = own[i]!;
      if (this.systemsOf(g).some((t) => tags.includes(t)) || contentWords(this.kg.nodeName(g)).some((w) => words.includes(w))) return false;
    }
    return true;
  }

  /** the body system (Symptom Ontology branch) and manifestation groups of a finding */
  private systemsOf(f: number): string[] {
    const out: string[] = [];
    const b = this.branchOf(f);
    if (b >= 0) out.push(NEURO_BRANCH.test(this.kg.nodeName(b)) ? 'neuro' : `branch:${b}`);
    const name = this.kg.nodeName(f);
    for (const [tag, re] of GROUPS) if (re.test(name)) out.push(tag);
    return out;
  }

  private readonly branches = new Map<number, number>();

  /** the finding's top branch of the Symptom Ontology (the body system under the root), or -1 */
  branchOf(f: number): number {
    let b = this.branches.get(f);
    if (b === undefined) {
      b = -1;
      let x = f;
      const seen = new Set<number>([f]);
      for (let i = 0; i < 12; i++) {
        const up = this.g.nb(x, 'symptom_is_a', 'out');
        if (!up.length) break;
        const parent = up[0]!;
        if (seen.has(parent)) break;
        seen.add(parent);
        // x is a top branch when its parent has no parent (the root)
        if (!this.g.nb(parent, 'symptom_is_a', 'out').length) {
          b = x;
          break;
        }
        x = parent;
      }
      this.branches.set(f, b);
    }
    return b;
  }
}
