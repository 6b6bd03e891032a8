/**
 * The demographic or obstetric premise a disease's name (or an ancestor's) implies: infant
 * botulism happens to infants, severe pre-eclampsia to a pregnant woman. A picture stem about
 * such a disease that says only "A patient" asks the reader to diagnose from findings that
 * would be read differently in an adult or a non-pregnant patient, so the stem opens with the
 * premise ("A 3-month-old presents with …") or, where no single age fits (a congenital
 * condition may present at any age), the item is not made. The phrases avoid the disease's
 * own words ("infant", "neonatal", "gestational"), which the key-word filter would take as a cue.
 * Also here: the umbrella categories a treatment stem may not name (the other scope rule).
 */
import type { SynthGraph } from './kg-view';
import type { Hierarchies } from './relatedness';

/** name patterns, first match wins: [pattern, the stem's subject, or 'unstatable'] */
const PREMISES: readonly (readonly [RegExp, string])[] = [
  [/\b(puerperal|postpartum|post-partum|puerperium)\b/i, 'A woman five days after giving birth'],
  [/\b(pre-?eclampsia|eclampsia|hellp|gestational|placenta[l]?|amniotic|chorioamnionitis)\b/i, "A woman at 34 weeks' gestation"],
  [/\b(pregnancy|pregnant|obstetric|hyperemesis gravidarum|ectopic pregnancy)\b/i, 'A pregnant woman'],
  [/\b(neonatal|neonatorum|newborn|perinatal)\b/i, 'A 6-day-old'],
  [/\b(infant|infantile|infancy|early congenital)\b/i, 'A 3-month-old'],
  [/\b(late congenital|juvenile|childhood|pediatric|paediatric)\b/i, 'A 9-year-old'],
  // present from birth, but diagnosed at any age: no one age phrase is safe
  [/\bcongenital\b/i, 'unstatable'],
];

/** the premise of a name alone: a stem subject phrase, 'unstatable', or null */
export function premiseOfName(name: string): string | null {
  for (const [re, phrase] of PREMISES) if (re.test(name)) return phrase;
  return null;
}

/**
 * The premise of a disease from its name, then its ancestors' (DO is-a): the stem subject
 * phrase ("A 3-month-old"), 'unstatable' when the item cannot carry it, or null when the
 * disease implies none.
 */
export function premiseOf(d: number, g: SynthGraph, h: Hierarchies): string | null {
  const own = premiseOfName(g.kg.nodeName(d));
  if (own) return own;
  let found: string | null = null;
  for (const a of h.diseaseAncestors(d)) {
    if (a === d) continue;
    const p = premiseOfName(g.kg.nodeName(a));
    // an ancestor's pregnancy or age premise holds for every subtype; 'unstatable' wins over a phrase
    if (p === 'unstatable') return p;
    found ??= p;
  }
  return found;
}

/** a grouping of at least this many DO subtypes named by a qualifier and "disease" is a category, not a diagnosis to treat */
const UMBRELLA_MIN_SUBTYPES = 10;
const UMBRELLA_NAME =
  /^(allergic|autoimmune|collagen|connective tissue|immune system|hematopoietic system|hematologic|blood|skin|integumentary system|lipid metabolism|metabolic|inherited metabolic|genetic|infectious|inflammatory|psychotic|mental|nervous system|central nervous system|peripheral nervous system|cardiovascular system|vascular|respiratory system|gastrointestinal system|musculoskeletal system|bone|endocrine system|urinary system|(fe)?male reproductive system|reproductive system) (disease|disorder)s?$/i;

/**
 * A vague category as a named disease ("allergic disease", "autoimmune disease", "collagen
 * disease", "skin disease"): a DO grouping with many subtypes whose name is a qualifier plus
 * "disease" or "disorder". A stem cannot ask what treats it: its members are treated, each
 * differently. Named diseases with many subtypes (epilepsy, breast cancer, asthma) are not
 * umbrellas: they have treatments of their own.
 */
export function isUmbrellaDisease(name: string, subtypes: number): boolean {
  return subtypes >= UMBRELLA_MIN_SUBTYPES && UMBRELLA_NAME.test(name.trim());
}

/** findings no one can observe in an infant: a 3-month-old has no measurable intellect, speech or fertility (review round 6) */
const NOT_IN_INFANTS = /intellectual|mental retardation|learning|speech|language|dementia|memory|cognitive|infertil|impoten|erectile|menstru|menorrh|amenorrh|dyspareunia|libido|behaviou?r/i;

/** is a finding out of place for the stem's premise ("A 3-month-old presents with intellectual disability")? */
export function findingImplausibleFor(premise: string | undefined, finding: string): boolean {
  return premise !== undefined && /month-old|newborn|neonate|infant/i.test(premise) && NOT_IN_INFANTS.test(finding);
}
