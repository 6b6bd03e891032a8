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
import { sharedKeyWord } from '../synthesis/names';
import { RuleOutFacts } from '../synthesis/rule-out';

/** diseases outside the family that may present a hallmark by some (weak) edge */
export const HALLMARK_MAX_OTHERS = 1;
/** a finding of a region or a kind that many conditions share is nobody's hallmark ("neck pain", "limb weakness") */
const NOT_A_HALLMARK = /\b(pain|ache|aches|weakness|discomfort|tenderness|swelling|stiffness|cramps?|fatigue|malaise)\b/i;
/** a disease needs this many strong findings before a finding it lacks says anything (the shared rule: synthesis/rule-out.ts) */
export { WELL_DESCRIBED_PICTURE } from '../synthesis/rule-out';

export class Teachable {
  readonly g: SynthGraph;
  readonly h: Hierarchies;
  readonly pic: PictureBuilder;
  /** the rules synthesis keeps distractors by: the teacher says exactly what they allow */
  readonly ro: RuleOutFacts;

  private readonly trust: DatasetTrust[];
  private readonly masks = new Map<string, (h: number, t: number) => number>();

  constructor(readonly kg: KnowledgeGraph) {
    this.g = new SynthGraph(kg, 'teacher');
    this.h = new Hierarchies(this.g);
    this.pic = new PictureBuilder(this.g, this.h);
    this.ro = new RuleOutFacts(this.g, this.h, this.pic);
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
    return this.ro.soleSite(d, a);
  }

  /** enough strong findings that a missing one is informative */
  wellDescribed(d: number): boolean {
    return this.ro.wellDescribed(d);
  }

  /** may the chain say that disease D does not account for finding F? */
  cannotExplain(d: number, f: number): boolean {
    return this.ro.cannotExplain(d, f);
  }

  /** the finding's top branch of the Symptom Ontology (the body system under the root), or -1 */
  branchOf(f: number): number {
    return this.ro.branchOf(f);
  }
}
