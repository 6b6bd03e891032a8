/**
 * Competing differentials: the diseases a clinician would weigh against the key of a
 * picture question, read open-world. The KG's findings lists are incomplete (pneumonia has
 * no "hypoxemia" edge, St. Louis encephalitis no "nausea"), so an option is not ruled out by
 * a missing edge; it is a competitor when
 *  - it may present two or more of the shown findings (itself, an ancestor, a subtype, or —
 *    when its DO parent is a small group — its parent or a sibling: an unannotated finding of
 *    a close relative is no evidence of absence), or
 *  - it is in the key's clinical group: a small DO group, a MEDLINE "resembles" pair, agents
 *    of one genus (Omsk hemorrhagic fever and yellow fever, both orthoflaviviruses), one
 *    disease head ("St. Louis encephalitis" / "Murray Valley encephalitis", "hepatitis D" /
 *    "hepatitis B") or one syndrome family a name states (viral hemorrhagic fevers).
 * A picture must also hold a discriminating finding: one that is specific (not a
 * constitutional or common finding, and on few of the graph's diseases) and that no
 * distractor disease may present. And "most likely" must not be inverted: no much better
 * known disease may fit half the picture. Keys that are complications of another disease
 * ("acute chest syndrome in sickle cell disease") need that premise, which a picture of
 * findings does not give: they are not picture keys.
 */
import type { SynthGraph } from './kg-view';
import type { Hierarchies } from './relatedness';
import type { PictureBuilder } from './picture';
import { findingPhrase, isNonspecificFinding, organSystems } from './lexicon';

/** A distractor is a competitor when it may present this many shown findings. */
export const SHARED_FINDINGS_LIMIT = 2;
/** a tumour by its name (any graph): a tissue or imaging diagnosis */
const TUMOUR_NAME = /\b(cancer|carcinoma|sarcoma|lymphoma|leuka?emia|glioma|glioblastoma|\w*blastoma|tumou?r|neoplasm|adenoma|melanoma|myeloma|mesothelioma|meningioma|astrocytoma|ependymoma)\b/i;
/** complaints with too many causes to point anywhere, however few diseases the graph files them under */
const GENERAL_COMPLAINT = /memory|amnesia|forgetful|attention|concentrat|confusion|disorient|dizz|vertigo|light-?headed|weakness|fatigue|tired|malaise|letharg|somnolen|drowsi|insomnia|sleep|irritab|anxiety|depress|mood|behavio|personality|headache|nausea|vomit|\bpain|ache\b|discomfort|unwell|appetite|anorexia|weight/i;
/** "Lacks this finding" is a reason only for an option with at least this many findings annotated (any source). */
export const RICH_FINDINGS = 15;
/** A specific finding is on at most this share of the diseases that have findings at all. */
export const SPECIFIC_SHARE = 0.03;
/** A common ancestor with at most this many descendants makes one clinical group. */
export const GROUP_MAX = 40;
/** A parent with at most this many children: an unannotated finding of a sibling may be the option's too. */
const SMALL_PARENT = 30;
/** "Most likely" is inverted when a disease this many times better known fits half the picture. */
export const PREVALENCE_RATIO = 3;

/** Syndrome families a disease name states (the groups clinicians weigh together). */
const SYNDROME_FAMILIES: readonly [string, RegExp][] = [
  ['viral hemorrhagic fever', /ha?emorrhagic fever|\bebola|marburg|lassa|dengue|yellow fever|rift valley|kyasanur|hantavirus|hantaan|alkhurma|lujo\b|chapare|machupo|junin|guanarito|sabia\b|crimean-congo|hemorrhagic nephroso|nephropathia epidemica/i],
  ['hepatitis', /hepatitis|hepatic failure|liver failure/i],
  ['encephalitis', /encephalitis|encephalomyelitis|encephalopathy|meningoencephalitis/i],
  ['meningitis', /meningitis|meningoencephalitis/i],
  ['pneumonia', /pneumonia|pneumonitis|lung abscess|bronchitis|legionellosis|psittacosis/i],
  ['gastroenteritis', /gastroenteritis|enteritis|colitis|dysentery|diarrh/i],
  ['mononucleosis-like', /mononucleosis|cytomegalovirus|toxoplasmosis|sennetsu/i],
  ['plague', /plague/i],
  ['rickettsial', /typhus|spotted fever|rickettsi|ehrlichiosis|anaplasmosis|sennetsu/i],
];

/** name words that carry no disease identity of their own (the head is the word before them) */
const WEAK_HEAD = /^(disease|disorder|syndrome|infection|infectious|type|deficiency|fever|virus|primary|secondary|acute|chronic|neoplasm|tumor|tumour|cancer|carcinoma|lesion|injury|abnormality|anomaly|malformation|dysplasia|defect)$/i;

/** a complication or a condition of another disease: its premise must be in the stem */
const PREMISE_NAME = /\b(in|complicating|secondary to|due to|associated with|induced by)\s+(a\s+|the\s+|patients?\s+with\s+)?[a-z-]+.*(disease|anemia|anaemia|diabetes|infection|cancer|syndrome|cirrhosis|failure|transplant\w*|pregnancy)$|^(diabetic|hypertensive|alcoholic|uremic|uraemic|postpartum|puerperal|long covid|post[- ]?(infectious|operative|transplant|streptococcal|herpetic|polio|acute|covid)|[a-z]+-(induced|associated|related))\b/i;

const PREMISE_IN = /\b(in|complicating|secondary to|due to)\s+(a\s+|the\s+|patients?\s+with\s+)?[a-z-]+.*(disease|anemia|anaemia|diabetes|infection|cancer|syndrome|cirrhosis|failure|transplant\w*|pregnancy)$/i;

/** a member of a numbered series: "immunodeficiency 113", "… type 1E", "… type II" (not "COVID-19": no space before the number) */
export const NUMBERED_SUBTYPE = /\s(?:type\s+)?(?:\d+[A-Z]?|[IVX]+[A-Z]?)$|\bwith or without\b/;

export class Differentials {
  private readonly wideCache = new Map<number, Uint8Array>();
  private readonly headCache = new Map<number, string | null>();
  private readonly familyCache = new Map<number, string[]>();
  private readonly genusCache = new Map<number, string[]>();
  private specificLimit = -1;
  private readonly findingCount = new Map<number, number>();

  constructor(
    readonly g: SynthGraph,
    readonly h: Hierarchies,
    readonly pic: PictureBuilder,
  ) {}

  /**
   * May x present f, read open-world: x, an ancestor or a subtype has it (PictureBuilder),
   * or x's parent — or a sibling under that parent — has it, when the parent is a small group.
   */
  mayPresentWide(x: number, f: number): boolean {
    let row = this.wideCache.get(f);
    if (!row) this.wideCache.set(f, (row = new Uint8Array(this.g.n)));
    let v = row[x]!;
    if (v === 0) row[x] = v = this.computeWide(x, f) ? 2 : 1;
    return v === 2;
  }

  private computeWide(x: number, f: number): boolean {
    if (this.pic.mayPresent(x, f)) return true;
    const parents = this.g.nb(x, 'is_a', 'out');
    for (let i = 0; i < parents.length; i++) {
      const p = parents[i]!;
      const children = this.g.nb(p, 'is_a', 'in');
      if (children.length > SMALL_PARENT) continue;
      for (let j = 0; j < children.length; j++) if (children[j] !== x && this.pic.mayPresent(children[j]!, f)) return true;
    }
    return false;
  }

  /** how many shown findings x may present (open-world) */
  sharedCount(x: number, shown: readonly number[]): number {
    let n = 0;
    for (const f of shown) if (this.mayPresentWide(x, f)) n++;
    return n;
  }

  /** the disease head of a name: "St. Louis encephalitis" → "encephalitis", "hepatitis D" → "hepatitis" */
  head(d: number): string | null {
    let v = this.headCache.get(d);
    if (v === undefined) {
      const words = this.g.kg
        .nodeName(d)
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter(Boolean);
      // skip a trailing letter, number or numeral ("hepatitis D", "type 2"); a generic last word gives no head
      let i = words.length - 1;
      while (i > 0 && /^([a-z]|[0-9]+|[ivx]+)$/.test(words[i]!)) i--;
      const w = words[i];
      v = w !== undefined && w.length >= 5 && !WEAK_HEAD.test(w) ? w : null;
      this.headCache.set(d, v);
    }
    return v;
  }

  /** syndrome families the disease name states */
  syndromeFamilies(d: number): string[] {
    let v = this.familyCache.get(d);
    if (!v) {
      const names = [this.g.kg.nodeName(d), ...this.g.kg.synonyms(d)].join(' | ');
      v = SYNDROME_FAMILIES.filter(([, re]) => re.test(names)).map(([f]) => f);
      this.familyCache.set(d, v);
    }
    return v;
  }

  /** genera of the disease's causative agents (by their taxonomic names) */
  agentGenera(d: number): string[] {
    let v = this.genusCache.get(d);
    if (!v) {
      v = [];
      for (const p of this.g.nb(d, 'caused_by', 'out')) {
        const genus = this.h.genusOf(p);
        if (genus) v.push(genus);
      }
      this.genusCache.set(d, v);
    }
    return v;
  }

  private readonly groupCache = new Map<number, boolean>();
  sameGroupCached(a: number, b: number): boolean {
    const k = a < b ? a * this.g.n + b : b * this.g.n + a;
    let v = this.groupCache.get(k);
    if (v === undefined) {
      if (this.groupCache.size > 2_000_000) this.groupCache.clear();
      this.groupCache.set(k, (v = this.sameGroup(a, b)));
    }
    return v;
  }

  /** one clinical group: a small DO group, a MEDLINE resemblance, agents of one genus, one disease head or one named syndrome family */
  sameGroup(a: number, b: number): boolean {
    return this.sameSyndrome(a, b) || this.g.has(a, 'resembles', b) || this.g.has(b, 'resembles', a);
  }

  private readonly systemsCache = new Map<number, string[]>();
  /** organ systems a disease involves: by its name, its findings (any edge) and its sites (lexicon.ts) */
  diseaseSystems(d: number): string[] {
    let v = this.systemsCache.get(d);
    if (!v) {
      const out = new Set<string>(organSystems(this.g.kg.nodeName(d)));
      // every finding that names a system counts, constitutional or not (a rash is the skin's, joint pain the joints')
      for (const f of this.g.nb(d, 'presents', 'out')) for (const x of organSystems(findingPhrase(this.g.name(f)))) out.add(x);
      for (const a of this.g.nb(d, 'localizes', 'out')) for (const x of this.h.anatomySystems(a)) out.add(x);
      if (this.systemsCache.size > 20_000) this.systemsCache.clear();
      this.systemsCache.set(d, (v = [...out]));
    }
    return v;
  }

  /** organ systems the shown findings point to (fever or fatigue point nowhere: lexicon.ts names no system for them) */
  pictureSystems(shown: readonly number[]): string[] {
    const out = new Set<string>();
    for (const f of shown) for (const x of organSystems(findingPhrase(this.g.name(f)))) out.add(x);
    return [...out];
  }

  /** one syndrome: the clinical group without MEDLINE resemblance (a co-occurring disease — liver cancer beside hepatitis B — is no differential) */
  sameSyndrome(a: number, b: number): boolean {
    if (a === b || this.h.diseasesRelated(a, b)) return true;
    const ha = this.head(a);
    if (ha !== null && ha === this.head(b)) return true;
    const fa = this.syndromeFamilies(a);
    if (fa.length && this.syndromeFamilies(b).some((f) => fa.includes(f))) return true;
    const ga = this.agentGenera(a);
    if (ga.length && this.agentGenera(b).some((x) => ga.includes(x))) return true;
    return this.sharedAncestorAtMost(a, b, GROUP_MAX);
  }

  /** one broad category: a common ancestor below DO's top branches (at most 200 descendants) */
  sameCategory(a: number, b: number): boolean {
    return this.sharedAncestorAtMost(a, b, 200);
  }

  private sharedAncestorAtMost(a: number, b: number, size: number): boolean {
    const ancA = this.h.diseaseAncestors(a);
    if (ancA.has(b) || this.h.diseaseAncestors(b).has(a)) return true;
    for (const p of this.h.diseaseAncestors(b)) {
      if (!ancA.has(p)) continue;
      const n = this.h.diseaseDescendants(p)?.size;
      if (n !== undefined && n <= size) return true;
    }
    return false;
  }

  /**
   * Why x competes with the key of this picture, or null: one clinical group; two shown
   * findings it may present; or one shown finding and an organ system of the picture (a
   * second finding of that system may simply be unrecorded). `strict` (a differential
   * diagnosis) also turns down any disease of the picture's organ systems: among four
   * diagnoses the key must be the only one a clinician would weigh.
   */
  competes(x: number, key: number, shown: readonly number[], strict = false, systems?: readonly string[]): 'same_clinical_group' | 'shares_two_findings' | 'same_organ_system' | null {
    if (this.sameGroupCached(x, key)) return 'same_clinical_group';
    return this.competesWithPicture(x, shown, strict, systems);
  }

  /** the picture-dependent part of competes (the clinical group is the caller's, checked once per subject) */
  competesWithPicture(x: number, shown: readonly number[], strict = false, systems?: readonly string[]): 'shares_two_findings' | 'same_organ_system' | null {
    if (!shown.length) return null;
    const shared = this.sharedCount(x, shown);
    if (shared >= Math.min(SHARED_FINDINGS_LIMIT, shown.length)) return 'shares_two_findings';
    if (shared >= 1 || strict) {
      const mine = systems ?? this.pictureSystems(shown);
      if (mine.length && this.diseaseSystems(x).some((s) => mine.includes(s))) return 'same_organ_system';
    }
    return null;
  }

  /** diseases with findings in this graph (the base of a finding's share) */
  private limit(): number {
    if (this.specificLimit < 0) {
      const ti = this.g.typeIndexOf('disease');
      let n = 0;
      if (ti >= 0) for (let i = 0; i < this.g.n; i++) if (this.g.kg.nodeTypeIndex(i) === ti && this.g.nb(i, 'presents', 'out').length) n++;
      this.specificLimit = Math.max(3, Math.floor(n * SPECIFIC_SHARE));
    }
    return this.specificLimit;
  }

  /** diseases presenting the finding or a narrower / its direct broader one (any edge) */
  diseasesWith(f: number): number {
    let c = this.findingCount.get(f);
    if (c === undefined) {
      const seen = new Set<number>();
      for (const x of this.pic.family(f)) for (const d of this.g.nb(x, 'presents', 'in')) seen.add(d);
      this.findingCount.set(f, (c = seen.size));
    }
    return c;
  }

  /** specific: not a constitutional or common finding, and on few of the graph's diseases */
  isSpecific(f: number): boolean {
    return (this.g.findingFlags(f) & 4) === 0 && this.diseasesWith(f) <= this.limit();
  }

  /** a shown finding that is specific and that none of these diseases may present, or -1 */
  discriminating(shown: readonly number[], against: Iterable<number>): number {
    const others = [...against];
    for (const f of shown) {
      if (!this.isSpecific(f)) continue;
      if (others.every((d) => !this.mayPresentWide(d, f))) return f;
    }
    return -1;
  }

  /**
   * A disease outside the key's family that fits at least half the picture and is much
   * better known (degree ≥ PREVALENCE_RATIO × the key's): "most likely" would then point
   * to it, offered or not. Returns it, or -1.
   */
  commonerFit(key: number, family: ReadonlySet<number>, shown: readonly number[]): number {
    const kg = this.g.kg;
    const bar = PREVALENCE_RATIO * Math.max(1, kg.degree[key]!);
    // half of the findings that point somewhere: fever and fatigue fit rheumatoid arthritis as well as anything
    const pointing = shown.filter((f) => !(this.g.findingFlags(f) & 2));
    if (pointing.length < 2) return -1;
    const need = Math.max(2, Math.ceil(pointing.length / 2));
    shown = pointing;
    const count = new Map<number, number>();
    for (const f of shown) {
      // the finding's diseases, best known first: stop at the first below the bar; only a disease of the key's
      // own category counts (degree is a proxy for how well known a disease is, and a cancer with a thousand
      // gene associations is no likelier cause of a fever)
      const list = this.byDegree(f);
      for (let i = 0; i < list.length; i++) {
        const d = list[i]!;
        if (kg.degree[d]! < bar) break;
        if (family.has(d) || !this.sameCategory(d, key)) continue;
        count.set(d, (count.get(d) ?? 0) + 1);
      }
    }
    for (const [d, k] of count) if (k >= need && (this.h.diseaseDescendants(d)?.size ?? Infinity) <= 60) return d;
    // within the key's own clinical group any better-known member will do: hepatitis B before hepatitis D, yellow
    // fever or dengue before Venezuelan hemorrhagic fever (a picture cannot tell them apart without an exposure)
    const own = kg.degree[key]!;
    const inGroup = new Map<number, number>();
    for (const f of shown) {
      const list = this.byDegree(f);
      for (let i = 0; i < list.length; i++) {
        const d = list[i]!;
        if (kg.degree[d]! <= own) break;
        if (family.has(d) || !this.sameSyndrome(d, key)) continue;
        inGroup.set(d, (inGroup.get(d) ?? 0) + 1);
      }
    }
    for (const [d, k] of inGroup) if (k >= need && (this.h.diseaseDescendants(d)?.size ?? Infinity) <= 60) return d;
    return -1;
  }

  private readonly degreeLists = new Map<number, Uint32Array>();
  /** diseases presenting the finding, a narrower one or its direct broader one (any edge), by degree, highest first */
  private byDegree(f: number): Uint32Array {
    let v = this.degreeLists.get(f);
    if (!v) {
      const seen = new Set<number>();
      for (const x of this.pic.family(f)) for (const d of this.g.nb(x, 'presents', 'in')) seen.add(d);
      const deg = this.g.kg.degree;
      v = Uint32Array.from([...seen].sort((a, b) => deg[b]! - deg[a]! || a - b));
      this.degreeLists.set(f, v);
    }
    return v;
  }

  /**
   * A picture that mixes the clinical forms of a disease: the disease has subtypes with
   * findings of their own (cutaneous, inhalational, gastrointestinal anthrax) and no one
   * subtype may present every shown finding ("skin ulcer, rectal bleeding and dyspnea" is
   * three forms of anthrax, not a patient).
   */
  mixesForms(d: number, shown: readonly number[]): boolean {
    const desc = this.h.diseaseDescendants(d);
    if (!desc || desc.size < 2) return false;
    const forms = [...desc].filter((x) => this.g.nb(x, 'presents', 'out').length >= 2);
    if (forms.length < 2) return false;
    return !forms.some((x) => shown.every((f) => this.pic.presentsOwn(x, f)));
  }

  /**
   * Told apart by exposure and geography, not by findings: the viral hemorrhagic fevers
   * (Venezuelan, Omsk, Crimean-Congo, Lassa …). The graph records no travel or exposure, so a
   * picture of findings cannot make one of them "the most likely" cause.
   */
  needsExposure(d: number): boolean {
    return this.syndromeFamilies(d).includes('viral hemorrhagic fever');
  }

  /**
   * Named by a test the graph does not record, so a picture of findings cannot lead to it
   * (review round 3, N2): a tumour (histology, imaging: glioblastoma from headache and memory
   * loss), or one form of a named infection among several (meningovascular neurosyphilis from
   * weakness, dizziness and neck stiffness: serology and CSF). A shown premise (an age, a
   * pregnancy: congenital syphilis in a 3-month-old) is the context that may make it derivable.
   * Also a numbered genetic subtype ("immunodeficiency 113", "Ehlers-Danlos syndrome
   * kyphoscoliotic type 1") or an OMIM phenotype-series name ("combined immunodeficiency and
   * megaloblastic anemia with or without hyperhomocysteinemia"): told apart by the gene.
   */
  needsTests(d: number): boolean {
    const kg = this.g.kg;
    if (TUMOUR_NAME.test(kg.nodeName(d)) || NUMBERED_SUBTYPE.test(kg.nodeName(d))) return true;
    if (this.neoplasmRoot === -2) this.neoplasmRoot = kg.findById('DOID:14566');
    const anc = this.h.diseaseAncestors(d);
    if (this.neoplasmRoot >= 0 && anc.has(this.neoplasmRoot)) return true;
    // a form of a form of an infection (meningovascular ← tertiary neurosyphilis ← syphilis): neither it nor its parent
    // has a cause of its own, a narrow ancestor has one, and the parent has other forms it must be told from. One level
    // down (cystic echinococcosis, visceral leishmaniasis, intestinal schistosomiasis) a picture still tells the form
    if (this.g.strongNb(d, 'caused_by', 'out').length) return false;
    const parents = this.g.nb(d, 'is_a', 'out');
    const formOfForm = parents.some((p) => !this.g.strongNb(p, 'caused_by', 'out').length && this.g.nb(p, 'is_a', 'in').length >= 2);
    if (!formOfForm) return false;
    for (const a of anc) {
      if (a === d || parents.includes(a) || !this.g.strongNb(a, 'caused_by', 'out').length) continue;
      const under = this.h.diseaseDescendants(a);
      if (under && under.size <= 30) return true;
    }
    return false;
  }
  private neoplasmRoot = -2;

  /**
   * A finding that can point to a diagnosis: specific by its share of the graph's diseases and
   * not a general complaint the Symptom Ontology happens to file under few diseases ("memory
   * impairment", "limited attention", "dizziness" — any brain, many systemic illnesses).
   */
  telling(f: number): boolean {
    return this.isSpecific(f) && !GENERAL_COMPLAINT.test(this.g.kg.nodeName(f)) && !isNonspecificFinding(this.g.kg.nodeName(f));
  }

  /** a complication or condition of another disease ("acute chest syndrome in sickle cell disease") */
  needsPremise(d: number): boolean {
    const kg = this.g.kg;
    // the name by either pattern; a synonym only by "… in <condition>" (synonyms list variants such as "exercise-induced asthma")
    return PREMISE_NAME.test(kg.nodeName(d).trim()) || kg.synonyms(d).some((n) => PREMISE_IN.test(n.trim()));
  }
}
