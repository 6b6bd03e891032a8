/**
 * Canonical keys (review round 2, N5): the answer a clinician would give, not one a secondary
 * vocabulary happens to hold.
 *  - A drug's class: the FDA's Established Pharmacologic Class (EPC) when the drug has one,
 *    then a mechanism class (FDA MoA, ATC level 4), then a MeSH pharmacological action, then a
 *    ChEBI role. DrugCentral gives amiloride "Potassium-sparing Diuretic" (EPC) beside MeSH's
 *    "Acid Sensing Ion Channel Blockers", a research-use action; silodosin "alpha-Adrenergic
 *    Blocker" beside "Urological Agents". The graph keeps the FDA's EPC and MoA classes under
 *    one prefix (NDFRT:) without their kind; their names tell them apart: all 427 EPC names in
 *    DrugCentral 2016's pharm_class.tsv are singular ("HMG-CoA Reductase Inhibitor"), MoA names
 *    are MeSH-style plurals ("Hydroxymethylglutaryl-CoA Reductase Inhibitors") or "… Activity".
 *  - A disease's site: not a limb or body region for a nervous-system or muscle disease
 *    (Charcot-Marie-Tooth disease shows in the hand; its structure is the peripheral nerve).
 * Pure functions of names and ids, so they work on any graph.
 */
import { isMechanismPhrase } from './judges';

export type ClassKind = 'epc' | 'moa' | 'atc' | 'mesh' | 'chebi' | 'other';

/** the class system and kind of a pharmacologic class node, from its id and name */
export function classKind(id: string, name: string): ClassKind {
  const prefix = id.slice(0, Math.max(0, id.indexOf(':'))).toUpperCase();
  const n = name.trim();
  switch (prefix) {
    case 'NDFRT':
    case 'NDF-RT':
    case 'FDA':
      return /s$/.test(n) || isMechanismPhrase(n) ? 'moa' : 'epc';
    case 'ATC':
      return 'atc';
    case 'MESH':
      return 'mesh';
    case 'CHEBI':
      return 'chebi';
    default:
      // Hetionet's pharmacologic classes are NDF-RT ids without a prefix ("N0000175418")
      if (/^N\d{10}$/.test(id)) return /s$/.test(n) || isMechanismPhrase(n) ? 'moa' : 'epc';
      return 'other';
  }
}

/**
 * preference as a key, lower first: EPC, then MoA / ATC level 4, then a MeSH class named for
 * what the drug does to a target or a MeSH sub-heading ("Analgesics, Opioid"), then a MeSH
 * class named for an effect or a use, then anything else, then ChEBI roles. An effect class
 * keys only a drug with no class of its action (review round 4, N16: abciximab is a platelet
 * aggregation inhibitor before it is one of MeSH's "Anticoagulants"; loratadine an H1
 * antagonist, not an "antipruritic").
 */
/** classRank of a MeSH class named for an effect or a use */
export const USE_CLASS_RANK = 2.5;

export function classRank(id: string, name: string): number {
  switch (classKind(id, name)) {
    case 'epc':
      return 0;
    case 'moa':
    case 'atc':
      return 1;
    case 'mesh':
      return isActionNamed(name) ? (PROCESS_INHIBITOR.test(name) ? 2.25 : 2) : USE_CLASS_RANK;
    case 'other':
      return 3;
    case 'chebi':
      return 4;
  }
}

/**
 * An FDA class that names a chemical grouping, not what the drug does ("Vitamin B Complex
 * Member" for aminobenzoic acid, a sunscreen and antifibrotic; "Provitamin D2 Compound"): the
 * builder already drops the FDA's Chemical/Ingredient kind for this reason; these two slipped
 * in as EPCs.
 */
export const isChemicalGrouping = (name: string): boolean => /\b(member|compounds?)$/i.test(name.trim());

/** a class named for an action on a target ("Muscarinic Antagonists"), or a MeSH sub-heading that names a specific kind ("Anesthetics, Local") */
/**
 * An "inhibitor" class named for a process, not a molecular target ("Platelet Aggregation
 * Inhibitors", "Angiogenesis Inhibitors"): ranked after the target classes, so ketanserin keys
 * as a serotonin antagonist, not by its side effect on platelets (final sample of this round),
 * while abciximab, with no target class, still keys as a platelet aggregation inhibitor.
 */
export const PROCESS_INHIBITOR = /^(platelet aggregation|angiogenesis|nucleic acid synthesis|protein synthesis|growth|bone density conservation|cell cycle|mitosis|biofilm|lipid regulating) (inhibitors|agents)$/i;

export const isActionNamed = (name: string): boolean =>
  /\b(antagonists?|agonists?|inhibitors?|blockers?|blocking agents|activators?|openers?|stimulators?|analogs?|reactivators?)\b/i.test(name) || /^[^,]+, [^,]+/.test(name.trim());

/**
 * MeSH pharmacological-action headings that are no drug class a clinician would name (review
 * round 4, N16): a property or formulation role ("Cosmetics", "Adjuvants, Pharmaceutic",
 * "Buffers"), a legal category ("Narcotics"), an organ-system grouping ("Hematologic Agents",
 * "Central Nervous System Depressants"), or the parent heading that holds a transmitter's
 * agonists and antagonists alike ("Cholinergic Agents" for hyoscyamine, an anticholinergic).
 */
const NOT_A_DRUG_CLASS = new RegExp(
  '^(' +
    [
      'cosmetics',
      'adjuvants, .*',
      'pharmaceutic .*',
      'excipients',
      'solvents',
      'vehicles',
      'biocompatible materials',
      'buffers',
      'oxidants',
      'reducing agents',
      'antioxidants',
      'free radical scavengers',
      'protective agents',
      'growth inhibitors',
      'growth substances',
      'micronutrients',
      'trace elements',
      'hygroscopic agents',
      'antifoaming agents',
      'surface-active agents',
      'detergents',
      'caustics',
      'indicators and reagents',
      'food additives',
      'flavoring agents',
      'narcotics',
      // MeSH's parent of "Hemostatics": DrugCentral gives both to the same 17 drugs, so membership cannot tell them apart
      'coagulants',
      // a physiological-effect heading (busulfan, cyclophosphamide before stem-cell transplant), not what the drugs are
      'myeloablative agonists',
      // a use outside medicine, or a role of an excipient (potassium nitrate "explosive agents", crospovidone "plasma substitutes")
      'explosive agents',
      'plasma substitutes',
      'blood substitutes',
      // top headings that hold whole therapeutic areas ("Hormone antagonists" for pranlukast, a leukotriene antagonist)
      'hormone antagonists',
      'antineoplastic agents',
      'anti-infective agents',
      'contraceptive agents',
      'hormones',
      'hormones, hormone substitutes, and hormone antagonists',
      'neurotransmitter agents',
      'membrane transport modulators',
      'enzyme inhibitors',
      'central nervous system depressants',
      '.*\\bsystem agents',
      '(hematologic|dermatologic|gastrointestinal|cardiovascular|renal|autonomic|neuromuscular|reproductive control|sensory system) agents',
      '(cholinergic|adrenergic|histamine|serotonin|dopamine|gaba|glutamate|excitatory amino acid|purinergic|neurotransmitter|hormone|cannabinoid receptor) (agents|modulators)',
    ].join('|') +
    ')$',
  'i',
);
export const isNotADrugClass = (name: string): boolean => NOT_A_DRUG_CLASS.test(name.trim());

/** a class that is the drug itself under another name ("L-triiodothyronine" for liothyronine, "L-thyroxine" for levothyroxine) */
export function restatesDrug(className: string, drugNames: readonly string[]): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/^(l|d|dl)-|^levo/, '').replace(/[^a-z0-9]/g, '');
  const c = norm(className);
  return c.length >= 4 && drugNames.some((n) => {
    const d = norm(n);
    if (d === c || (d.length >= 6 && (d.endsWith(c) || c.endsWith(d)))) return true;
    // one molecule under two INNs or trivial names (liothyronine / triiodothyronine) shares a long stem ending
    let k = 0;
    while (k < d.length && k < c.length && d[d.length - 1 - k] === c[c.length - 1 - k]) k++;
    return k >= 8;
  });
}

/** limbs and body regions: where a neuromuscular disease shows, not the structure it affects */
const BODY_REGION =
  /^(hand|hands|foot|feet|leg|legs|arm|arms|limb|limbs|forelimb|hindlimb|upper limb|lower limb|finger|fingers|thumb|toe|toes|pedal digit|manual digit|digit|forearm|thigh|knee|wrist|ankle|elbow|shoulder|trunk|back|head|neck|face|muscle of leg|muscle of arm|limb muscle|hindlimb muscle|forelimb muscle|leg muscle|arm muscle|pelvic appendage|pectoral appendage|limb segment|upper limb segment|lower limb segment)$/i;
export const isBodyRegion = (name: string): boolean => BODY_REGION.test(name.trim());

/** disease branches whose sites are nerves, muscles or the nervous system, never a body region */
export const NEUROMUSCULAR_BRANCH = /\b(nervous system disease|neuromuscular disease|neuropathy|muscular disease|muscle tissue disease|myopathy|motor neuron disease|muscular dystrophy|muscular atrophy)\b/i;
