/**
 * Findings named in the Human Disease Ontology's curated definitions. DO's symptom axioms
 * cover a few hundred diseases; its definitions describe thousands: "A congenital myopathy
 * that is characterized by neonatal hypotonia, poor feeding, fractures of the long bones, and
 * respiratory insufficiency that has_material_basis_in …". Reading them conservatively:
 * - only the clauses that state the disease's own features are read ("characterized by",
 *   "has_symptom", "symptoms include", "manifests with", "presents with"), each up to the
 *   next DO relation (has_material_basis_in, located_in, transmitted_by …) or sentence end;
 * - a clause is cut into chunks at commas and semicolons; a chunk with a negation or a
 *   normal-state word ("without fever", "little or no psychomotor development", "normal
 *   intelligence", "afebrile period") is dropped whole;
 * - a phrase counts only when it is exactly the name or an exact synonym of a Symptom
 *   Ontology or MeSH finding (longest match first, so "maculopapular rash" before "rash").
 * The result is a curators' assertion read by exact lookup: its own dataset bit, so that
 * edge trust and the attribution can tell it from DO's axioms.
 */
import { datasetBit } from '../../../src/graph/attribution';
import { normName } from '../normalize';
import { bump, type BuildContext } from '../context';
import { doFacetRows } from './common';

/** The phrases that open a list of the disease's features. */
const CUE = /\b(?:characteri[sz]ed (?:by|with)|has_symptoms?|has symptoms?(?: of)?|(?:the )?symptoms? (?:include|includes|including|are|of)|manifest(?:s|ed|ing)? (?:with|as|by)|present(?:s|ing)? with|clinical features (?:include|are))\s+/gi;
/** Where a features clause ends: the next DO relation, or a sentence end. */
const CLAUSE_END = /\b(?:that |which |and )?(?:has_material_basis_in|is located_in|located_in|results_in|caused_by|transmitted_by|derives_from|develops_from|has_material_basis|is_a|composed_of|occurs_with|has_onset|onset_in|(?:may be |is |are )?associated with|secondary to|due to|caused by|(?:may|can|which may|that may) (?:lead|progress|result|evolve)|leading to)\b|\.(?:\s|$)/i;
/** A chunk that denies or normalises something: no finding is read from it. */
const NEGATION = /\b(?:no|not|non|never|without|absen(?:ce|t)|lack(?:s|ing)?|little|normal(?:ly)?|unaffected|spared?|rather than|instead of|unlike|except|afebrile|free of|resolv\w*|prevent\w*|risk of)\b/i;
/** longest phrase looked up (words) */
const MAX_PHRASE_WORDS = 6;

/** The feature clauses of one definition, in order. */
export function featureClauses(definition: string): string[] {
  const out: string[] = [];
  for (const m of definition.matchAll(CUE)) {
    const rest = definition.slice(m.index! + m[0].length);
    const end = CLAUSE_END.exec(rest);
    const clause = (end ? rest.slice(0, end.index) : rest).trim();
    if (clause) out.push(clause);
  }
  return out;
}

/** Chunks of a clause that may name findings: split at commas, semicolons and brackets; chunks with a negation dropped. */
export function affirmedChunks(clause: string): string[] {
  return clause
    .split(/[,;()[\]]/)
    .map((c) => c.trim())
    .filter((c) => c && !NEGATION.test(c));
}

/**
 * Words that may stand before a one-word finding without changing what it names ("severe
 * hypotonia", "recurrent fever"). Any other word makes a new concept of it ("night blindness",
 * "salt wasting", "facial weakness" where no finding has that name): the match is refused.
 */
const MODIFIERS = new Set(
  (
    'a an the of and or with in to by as at from including includes include also often usually typically sometimes mainly predominantly particularly especially ' +
    'severe severely mild mildly moderate moderately profound profoundly marked markedly extreme significant global ' +
    'progressive progressively slowly rapidly chronic acute subacute recurrent recurring repeated episodic episode intermittent paroxysmal transient persistent prolonged frequent occasional variable variably ' +
    'generalized generalised diffuse widespread local localized localised bilateral unilateral symmetric symmetrical asymmetric ' +
    'congenital neonatal infantile childhood juvenile adult early late onset prenatal postnatal sudden gradual later subsequent subsequently then followed ' +
    'increased decreased reduced'
  ).split(' '),
);

/**
 * Finding ids named in a chunk: scan left to right, at each word the longest run of up to
 * six words that names a finding wins and is skipped over. A longer run that names a disease
 * ("rheumatic fever") is skipped over without a finding, and a one-word finding counts only
 * after a modifier or at the start (MODIFIERS) and not before "of" ("paralysis of …").
 */
export function findingsInChunk(chunk: string, lookup: (normalisedName: string) => string | undefined, isDiseaseName: (normalisedName: string) => boolean = () => false): string[] {
  const words = normName(chunk).split(' ').filter(Boolean);
  const out: string[] = [];
  for (let i = 0; i < words.length; ) {
    let step = 1;
    for (let n = Math.min(MAX_PHRASE_WORDS, words.length - i); n >= 1; n--) {
      const phrase = words.slice(i, i + n).join(' ');
      const hit = lookup(phrase);
      if (hit) {
        const before = words[i - 1];
        // "paralysis of the cervical sympathetic nerves", "weakness of extraocular muscles": the one word names a narrower thing than the finding
        const narrowed = n === 1 && words[i + 1] === 'of';
        if ((n > 1 || before === undefined || MODIFIERS.has(before)) && !narrowed && !out.includes(hit)) out.push(hit);
        step = n;
        break;
      }
      if (n > 1 && isDiseaseName(phrase)) {
        step = n;
        break;
      }
    }
    i += step;
  }
  return out;
}

/** Every finding id a definition affirms. */
export function findingsInDefinition(definition: string, lookup: (normalisedName: string) => string | undefined, isDiseaseName: (normalisedName: string) => boolean = () => false): string[] {
  const out = new Set<string>();
  for (const clause of featureClauses(definition)) for (const chunk of affirmedChunks(clause)) for (const f of findingsInChunk(chunk, lookup, isDiseaseName)) out.add(f);
  return [...out];
}

/**
 * Names that resolve to exactly one curated finding: Symptom Ontology or MeSH symptom nodes
 * only (never a node that a Wikidata statement alone created) and no grouping terms. A name
 * that is also a disease's ("diarrhea", "thrombocytopenia", "intellectual disability") is
 * still read: in a curator's list of a disease's features it names a feature, unlike a crowd
 * statement that lists a comorbidity (wikidata.ts refuses those).
 */
/**
 * The definitions' wording for findings whose curated name differs (checked one by one):
 * definition phrase → the Symptom Ontology / MeSH name it means. Only exact equivalents; a
 * broader or narrower reading ("decreased vision" for "loss of vision") is not listed.
 */
export const DEFINITION_ALIASES: Readonly<Record<string, string>> = {
  hypotonia: 'muscle hypotonia',
  'muscular hypotonia': 'muscle hypotonia',
  'impaired intellectual development': 'intellectual disability',
  'intellectual deficit': 'intellectual disability',
  'intellectual impairment': 'intellectual disability',
  'mental retardation': 'intellectual disability',
  'blurry vision': 'blurred vision',
  pruritus: 'itching',
  pruritis: 'itching',
  coughing: 'cough',
  'neck stiffness': 'stiff neck',
  'blood in the feces': 'bloody stool',
  'blood in the stool': 'bloody stool',
  'redness of the eye': 'bloodshot eye',
  'red eye': 'bloodshot eye',
  'acute kidney failure': 'acute renal failure',
  'kidney failure': 'renal failure',
};

export function curatedFindingLookup(ctx: BuildContext): (normalisedName: string) => string | undefined {
  const curated = datasetBit('symptom_ontology') | datasetBit('mesh_2015');
  const byName = new Map<string, string | null>();
  for (const e of ctx.reg.entities.values()) {
    if (e.type !== 'symptom' || !(e.datasets & curated) || ctx.lookup.nonFindingSymptoms.has(e.id) || ctx.lookup.nonFindingMesh.has(e.id)) continue;
    for (const n of new Set([e.name, ...e.synonyms].map(normName))) {
      if (!n || n.length < 4) continue;
      const cur = byName.get(n);
      byName.set(n, cur === undefined || cur === e.id ? e.id : null);
    }
  }
  for (const [alias, name] of Object.entries(DEFINITION_ALIASES)) {
    const id = byName.get(normName(name));
    if (id && !byName.has(normName(alias))) byName.set(normName(alias), id);
  }
  return (n) => byName.get(n) ?? undefined;
}

export function loadDefinitionFindings(ctx: BuildContext): void {
  const bit = datasetBit('disease_ontology_definitions');
  const lookup = curatedFindingLookup(ctx);
  const isDiseaseName = (n: string): boolean => ctx.reg.byName('disease', n) !== undefined;
  const seen = new Set<string>();
  for (const r of doFacetRows(ctx)) {
    const id = r.id ?? '';
    if (seen.has(id) || !r.definition || ctx.reg.get(id)?.type !== 'disease') continue;
    seen.add(id);
    for (const f of findingsInDefinition(r.definition, lookup, isDiseaseName)) {
      if (ctx.edges.add('presents', id, f, bit)) bump(ctx, 'do_definition_presents');
    }
  }
}
