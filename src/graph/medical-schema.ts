/**
 * The medical schema of the default graph: node types and typed, directed edge types with
 * their English labels. The KG builder writes it, importers map other graphs onto it, and
 * synthesis templates rely on its names, so it lives in one place.
 */
import type { EdgeTypeInfo } from './format';

export interface MedicalEdgeType extends EdgeTypeInfo {
  /** stored once per pair; read in both directions */
  symmetric?: boolean;
}

export const NODE_TYPES = [
  'disease',
  'symptom',
  'drug',
  'pharmacologic_class',
  'anatomy',
  'gene',
  'specialty',
  'pathogen',
  'biological_process',
  'cellular_component',
  'molecular_function',
  'pathway',
] as const;
export type NodeType = (typeof NODE_TYPES)[number];

export const EDGE_TYPES: readonly MedicalEdgeType[] = [
  { name: 'is_a', source: 'disease', target: 'disease', label: 'is a', inverseLabel: 'has subtype' },
  { name: 'presents', source: 'disease', target: 'symptom', label: 'presents with', inverseLabel: 'is a symptom of' },
  { name: 'localizes', source: 'disease', target: 'anatomy', label: 'localizes to', inverseLabel: 'is the site of' },
  { name: 'caused_by', source: 'disease', target: 'pathogen', label: 'is caused by', inverseLabel: 'causes' },
  { name: 'associates', source: 'disease', target: 'gene', label: 'is associated with gene', inverseLabel: 'is associated with disease' },
  { name: 'resembles', source: 'disease', target: 'disease', label: 'resembles', inverseLabel: 'resembles', symmetric: true },
  { name: 'in_specialty', source: 'disease', target: 'specialty', label: 'is managed in', inverseLabel: 'manages' },
  { name: 'treats', source: 'drug', target: 'disease', label: 'treats', inverseLabel: 'is treated by' },
  { name: 'palliates', source: 'drug', target: 'disease', label: 'palliates', inverseLabel: 'is palliated by' },
  { name: 'not_indicated_for', source: 'drug', target: 'disease', label: 'is not indicated for', inverseLabel: 'should not be treated with' },
  { name: 'treats_symptom', source: 'drug', target: 'symptom', label: 'relieves', inverseLabel: 'is relieved by' },
  { name: 'in_class', source: 'drug', target: 'pharmacologic_class', label: 'is in class', inverseLabel: 'includes' },
  { name: 'targets', source: 'drug', target: 'gene', label: 'targets', inverseLabel: 'is targeted by' },
  { name: 'symptom_is_a', source: 'symptom', target: 'symptom', label: 'is a', inverseLabel: 'has subtype' },
  // anatomy hierarchy: Uberon subclass axioms, and the MeSH anatomy tree (a narrower heading lies within the broader one)
  { name: 'anatomy_is_a', source: 'anatomy', target: 'anatomy', label: 'is a', inverseLabel: 'has subtype' },
  { name: 'anatomy_part_of', source: 'anatomy', target: 'anatomy', label: 'lies within', inverseLabel: 'contains' },
  { name: 'participates_process', source: 'gene', target: 'biological_process', label: 'participates in', inverseLabel: 'involves' },
  { name: 'participates_component', source: 'gene', target: 'cellular_component', label: 'is located in', inverseLabel: 'contains' },
  { name: 'participates_function', source: 'gene', target: 'molecular_function', label: 'has function', inverseLabel: 'is a function of' },
  { name: 'participates_pathway', source: 'gene', target: 'pathway', label: 'participates in', inverseLabel: 'involves' },
];
