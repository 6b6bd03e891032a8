/**
 * What counts as a clinical finding. A stem built from "presents" edges must list signs and
 * symptoms, not the MeSH headings that merely co-occur with a disease in MEDLINE: "Body
 * Weight", "Birth Weight", grouping headings ("Signs and Symptoms, Digestive", "Neurologic
 * Manifestations"), or diseases and named syndromes filed beside the symptoms ("Down
 * Syndrome", "Huntington Disease"). The rules read MeSH tree numbers, the Symptom Ontology's
 * own hierarchy and, for Wikidata names, whether the name is a disease.
 */
import { bump, type BuildContext } from '../context';

/** MeSH C23.888: "Signs and Symptoms" (C23 is Pathological Conditions, Signs and Symptoms). */
export const SIGNS_AND_SYMPTOMS_TREE = 'C23.888';

/**
 * Disease branches of MeSH whose descriptors name diseases rather than findings even when
 * they are also filed under Signs and Symptoms: infections (C01), neoplasms (C04),
 * neurodegenerative diseases (C10.574), congenital and hereditary diseases (C16), immune
 * diseases (C20).
 */
const DISEASE_BRANCHES = ['C01.', 'C04.', 'C10.574.', 'C16.', 'C20.'];

export type MeshSymptomVerdict = 'finding' | 'not_signs_and_symptoms' | 'category_heading' | 'body_measurement' | 'named_disease';

/** Grouping headings: "Neurologic Manifestations", "Signs and Symptoms, Digestive", "Hearing Disorders", "Body Weight Changes" … */
const HEADING = /\b(Manifestations|Signs and Symptoms|Symptoms|Disorders|Changes)\b/;
/** Quantities measured on everyone, not abnormal findings: "Body Weight", "Birth Weight", "Fetal Weight", "Body Temperature Changes". */
const MEASUREMENT = /(^|\s)Weight$|^Body (Weight|Temperature|Constitution|Height|Size)/;
/** Named conditions: "Adie Syndrome", "Usher Syndromes", "Huntington Disease", "Sweating Sickness". */
const NAMED_CONDITION = /\b(Syndromes?|Disease|Sickness)\b/;

export function classifyMeshSymptom(name: string, treeNumbers: readonly string[]): MeshSymptomVerdict {
  if (!treeNumbers.some((t) => t === SIGNS_AND_SYMPTOMS_TREE || t.startsWith(`${SIGNS_AND_SYMPTOMS_TREE}.`))) return 'not_signs_and_symptoms';
  if (MEASUREMENT.test(name)) return 'body_measurement';
  if (HEADING.test(name)) return 'category_heading';
  if (NAMED_CONDITION.test(name) || treeNumbers.some((t) => DISEASE_BRANCHES.some((b) => t.startsWith(b)))) return 'named_disease';
  return 'finding';
}

/**
 * Symptom Ontology grouping terms: the root, its direct children (body-system groups) and
 * any term named "… symptom" that has narrower terms ("nervous system symptom", "head
 * symptom"). They organise the hierarchy but are never a patient's finding.
 */
export function symptomOntologyHeadings(terms: readonly { id: string; name: string; isA: readonly string[] }[]): Set<string> {
  const children = new Map<string, number>();
  for (const t of terms) for (const p of t.isA) children.set(p, (children.get(p) ?? 0) + 1);
  const roots = new Set(terms.filter((t) => t.isA.length === 0 && children.has(t.id)).map((t) => t.id));
  const out = new Set<string>(roots);
  for (const t of terms) {
    if (!children.has(t.id)) continue;
    if (t.isA.some((p) => roots.has(p)) || /\bsymptoms?$/i.test(t.name)) out.add(t.id);
  }
  return out;
}

/** Drop presents edges that point at a symptom node which is not a finding (kept as a node for the hierarchy). */
export function dropNonFindingPresents(ctx: BuildContext, nonFindings: ReadonlySet<string>): void {
  const m = ctx.edges.edges.get('presents');
  if (!m) return;
  for (const key of [...m.keys()]) {
    const symptom = key.slice(key.indexOf('\u0000') + 1);
    if (nonFindings.has(symptom)) {
      m.delete(key);
      bump(ctx, 'presents_dropped_non_finding');
    }
  }
}
