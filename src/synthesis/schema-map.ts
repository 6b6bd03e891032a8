/**
 * Templates speak of roles ("a disease presents a symptom", "a drug treats a disease"); a
 * graph names its own node and edge types. This pure mapping finds, for each role, the
 * graph's type that plays it: the default graph and imported graphs use the app's names
 * already (the importers map Hetionet and PrimeKG onto them), other files may use
 * Hetionet's kinds and metaedge abbreviations (Compound, CtD), PrimeKG's relations
 * (indication, contraindication, disease_phenotype_positive) or plain synonyms. A relation
 * matches only when both endpoint types match too; it may be stored the other way round.
 */
import type { EdgeTypeInfo } from '../graph/format';

export const NODE_ROLES = ['disease', 'symptom', 'drug', 'pharmacologic_class', 'anatomy', 'gene', 'pathogen', 'pathway', 'specialty'] as const;
export type NodeRole = (typeof NODE_ROLES)[number];

export interface RelationRole {
  name: string;
  source: NodeRole;
  target: NodeRole;
  /** lower-cased names that mean this relation (besides the role name itself) */
  aliases: readonly string[];
}

export const RELATION_ROLES: readonly RelationRole[] = [
  { name: 'presents', source: 'disease', target: 'symptom', aliases: ['dps', 'disease_phenotype_positive', 'has_symptom', 'has symptom', 'has_phenotype', 'symptom'] },
  { name: 'treats', source: 'drug', target: 'disease', aliases: ['ctd', 'indication', 'indicated_for', 'treats_disease', 'treatment'] },
  { name: 'palliates', source: 'drug', target: 'disease', aliases: ['cpd', 'palliation'] },
  { name: 'not_indicated_for', source: 'drug', target: 'disease', aliases: ['contraindication', 'contraindicated_for', 'contraindicates', 'not_indicated'] },
  { name: 'treats_symptom', source: 'drug', target: 'symptom', aliases: ['relieves'] },
  { name: 'localizes', source: 'disease', target: 'anatomy', aliases: ['dla', 'localization', 'localisation', 'disease_has_location', 'location'] },
  { name: 'caused_by', source: 'disease', target: 'pathogen', aliases: ['has_material_basis_in', 'causative_agent', 'has_cause', 'cause'] },
  { name: 'is_a', source: 'disease', target: 'disease', aliases: ['subclass_of', 'disease_disease', 'parent', 'isa'] },
  { name: 'resembles', source: 'disease', target: 'disease', aliases: ['drd', 'similar_to'] },
  { name: 'in_specialty', source: 'disease', target: 'specialty', aliases: ['specialty', 'managed_in'] },
  { name: 'in_class', source: 'drug', target: 'pharmacologic_class', aliases: ['pcic', 'includes', 'member_of', 'has_class', 'drug_class'] },
  { name: 'targets', source: 'drug', target: 'gene', aliases: ['cbg', 'binds', 'drug_protein', 'target', 'drug_target'] },
  { name: 'participates_pathway', source: 'gene', target: 'pathway', aliases: ['gppw', 'pathway_protein', 'participates', 'in_pathway', 'member_of_pathway'] },
  { name: 'symptom_is_a', source: 'symptom', target: 'symptom', aliases: ['phenotype_phenotype', 'is_a'] },
  { name: 'anatomy_is_a', source: 'anatomy', target: 'anatomy', aliases: ['anatomy_anatomy', 'is_a', 'subclass_of'] },
  { name: 'anatomy_part_of', source: 'anatomy', target: 'anatomy', aliases: ['part_of', 'lies_within'] },
];

/** graph node type names (lower-cased) -> role */
const NODE_ALIASES: Record<string, NodeRole> = {
  disease: 'disease',
  symptom: 'symptom',
  phenotype: 'symptom',
  'effect/phenotype': 'symptom',
  'clinical finding': 'symptom',
  finding: 'symptom',
  drug: 'drug',
  compound: 'drug',
  chemical: 'drug',
  pharmacologic_class: 'pharmacologic_class',
  'pharmacologic class': 'pharmacologic_class',
  'drug class': 'pharmacologic_class',
  anatomy: 'anatomy',
  tissue: 'anatomy',
  'anatomical structure': 'anatomy',
  gene: 'gene',
  protein: 'gene',
  'gene/protein': 'gene',
  pathogen: 'pathogen',
  organism: 'pathogen',
  microbe: 'pathogen',
  pathway: 'pathway',
  specialty: 'specialty',
};

export interface MappedRelation {
  /** index into the graph's edge types */
  index: number;
  name: string;
  /** true when the graph stores it target → source */
  reversed: boolean;
}

export interface SchemaMapping {
  /** role -> graph node type name */
  nodeTypes: Partial<Record<NodeRole, string>>;
  /** relation role -> graph edge type */
  relations: Partial<Record<string, MappedRelation>>;
}

const norm = (s: string) => s.trim().toLowerCase().replace(/[\s-]+/g, '_');

export function nodeRoleOf(typeName: string): NodeRole | undefined {
  const t = typeName.trim().toLowerCase();
  const own = (k: string) => (Object.hasOwn(NODE_ALIASES, k) ? NODE_ALIASES[k] : undefined); // imported type names may be "constructor", "__proto__"
  return own(t) ?? own(t.replace(/_/g, ' '));
}

/** Map a graph's node and edge types onto the template roles. Pure: the header is all it reads. */
export function mapSchema(header: { nodeTypes: readonly string[]; edgeTypes: readonly EdgeTypeInfo[] }): SchemaMapping {
  const nodeTypes: Partial<Record<NodeRole, string>> = {};
  for (const t of header.nodeTypes) {
    const r = nodeRoleOf(t);
    if (r && !nodeTypes[r]) nodeTypes[r] = t;
  }
  const roleOfType = (t: string) => nodeRoleOf(t);
  const relations: Partial<Record<string, MappedRelation>> = {};
  for (const role of RELATION_ROLES) {
    const names = new Set([role.name, ...role.aliases].map(norm));
    let best: MappedRelation | undefined;
    header.edgeTypes.forEach((e, index) => {
      if (best && !best.reversed) return;
      const n = norm(e.name);
      if (!names.has(n) && !(n.startsWith(`${norm(role.name)}_`) && /_\d+$/.test(n))) return;
      const s = roleOfType(e.source);
      const t = roleOfType(e.target);
      if (s === role.source && t === role.target) best = { index, name: e.name, reversed: false };
      else if (!best && s === role.target && t === role.source) best = { index, name: e.name, reversed: true };
    });
    // the exact name wins over an alias (a graph with both "is_a" for diseases and symptoms)
    if (best) relations[role.name] = best;
  }
  return { nodeTypes, relations };
}

export function relationRole(name: string): RelationRole {
  const r = RELATION_ROLES.find((x) => x.name === name);
  if (!r) throw new Error(`unknown relation role "${name}"`);
  return r;
}

/** Why a template cannot run on this graph (null when it can): the first role it needs that the graph lacks. */
export function missingRoles(mapping: SchemaMapping, requires: readonly string[]): string | null {
  const missing = requires.filter((r) => !mapping.relations[r]);
  if (!missing.length) return null;
  return missing
    .map((m) => {
      const role = relationRole(m);
      const st = mapping.nodeTypes[role.source];
      const tt = mapping.nodeTypes[role.target];
      if (!st || !tt) return `"${m}" (${role.source} → ${role.target}): the graph has no ${!st ? role.source : role.target} node type`;
      return `"${m}" (${role.source} → ${role.target}): no edge type between ${st} and ${tt} is named like it (accepted names: ${[role.name, ...role.aliases].join(', ')})`;
    })
    .join('; ');
}
