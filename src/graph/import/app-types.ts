/**
 * How imported graphs map onto the app's node and edge types, so that synthesis
 * templates (disease presents symptom, drug treats disease …) work on them too.
 * Anything not listed is kept exactly as the file names it.
 */
import type { EdgeTypeInfo } from '../format';
import { EDGE_TYPES } from '../medical-schema';

/** The default graph's edge types: name → (source, target, labels). */
export const APP_EDGE_TYPES: readonly EdgeTypeInfo[] = EDGE_TYPES;

/** Node type names used by Hetionet, PrimeKG and common triple files → the app's. Keys are lower-cased. */
const NODE_TYPE_ALIASES: Record<string, string> = {
  disease: 'disease',
  symptom: 'symptom',
  'effect/phenotype': 'symptom',
  phenotype: 'symptom',
  compound: 'drug',
  drug: 'drug',
  chemical: 'drug',
  anatomy: 'anatomy',
  gene: 'gene',
  protein: 'gene',
  'gene/protein': 'gene',
  'pharmacologic class': 'pharmacologic_class',
  pharmacologic_class: 'pharmacologic_class',
  'biological process': 'biological_process',
  biological_process: 'biological_process',
  'cellular component': 'cellular_component',
  cellular_component: 'cellular_component',
  'molecular function': 'molecular_function',
  molecular_function: 'molecular_function',
  pathway: 'pathway',
  pathogen: 'pathogen',
  specialty: 'specialty',
};

export function mapNodeType(raw: string): string {
  const k = raw.trim().toLowerCase();
  // own keys only: a type named "constructor" or "__proto__" must not find Object.prototype's members
  return (Object.hasOwn(NODE_TYPE_ALIASES, k) ? NODE_TYPE_ALIASES[k] : undefined) ?? raw.trim();
}

/**
 * Relation names (lower-cased) → app edge type, with whether the file's direction is
 * the reverse of the app's (Hetionet's "Pharmacologic Class includes Compound" is the
 * app's "drug in_class pharmacologic_class").
 */
const RELATION_ALIASES: Record<string, string> = {
  treats: 'treats',
  indication: 'treats',
  palliates: 'palliates',
  presents: 'presents',
  disease_phenotype_positive: 'presents',
  localizes: 'localizes',
  localization: 'localizes',
  associates: 'associates',
  association: 'associates',
  disease_protein: 'associates',
  resembles: 'resembles',
  binds: 'targets',
  drug_protein: 'targets',
  targets: 'targets',
  includes: 'in_class',
  in_class: 'in_class',
  participates: 'participates',
  bioprocess_protein: 'participates_process',
  cellcomp_protein: 'participates_component',
  molfunc_protein: 'participates_function',
  pathway_protein: 'participates_pathway',
  is_a: 'is_a',
  phenotype_phenotype: 'symptom_is_a',
  caused_by: 'caused_by',
  in_specialty: 'in_specialty',
  not_indicated_for: 'not_indicated_for',
  treats_symptom: 'treats_symptom',
};

export interface MappedRelation {
  info: EdgeTypeInfo;
  /** true when the file's head is the app's tail */
  reversed: boolean;
}

/**
 * The app edge type for (relation, head type, tail type), when the relation and both
 * endpoint types match one; otherwise null and the caller keeps the relation as is.
 * "participates" (Hetionet) resolves by the target type.
 */
export function mapRelation(relation: string, headType: string, tailType: string): MappedRelation | null {
  const k = relation.trim().toLowerCase();
  const alias = Object.hasOwn(RELATION_ALIASES, k) ? RELATION_ALIASES[k] : undefined;
  if (!alias) return null;
  for (const et of APP_EDGE_TYPES) {
    const nameOk = alias === 'participates' ? et.name.startsWith('participates_') : et.name === alias;
    if (!nameOk) continue;
    if (et.source === headType && et.target === tailType) return { info: et, reversed: false };
    if (et.source === tailType && et.target === headType) return { info: et, reversed: true };
  }
  return null;
}
