import { describe, expect, it } from 'vitest';
import { EDGE_TYPES, NODE_TYPES } from '../graph/medical-schema';
import { mapSchema, missingRoles } from './schema-map';
import { TEMPLATES } from './templates';

const edge = (name: string, source: string, target: string) => ({ name, source, target, label: name, inverseLabel: `${name} (reverse)` });

describe('template roles mapped onto a graph', () => {
  it('maps the default schema one to one, and every template runs on it', () => {
    const m = mapSchema({ nodeTypes: NODE_TYPES, edgeTypes: EDGE_TYPES });
    for (const e of EDGE_TYPES) if (m.relations[e.name]) expect(m.relations[e.name]!.name).toBe(e.name);
    for (const t of TEMPLATES) expect(missingRoles(m, t.requires), t.type).toBeNull();
  });

  it('maps raw Hetionet kinds and metaedges, and PrimeKG relations, including reversed storage', () => {
    const hetionet = mapSchema({
      nodeTypes: ['Compound', 'Disease', 'Symptom', 'Anatomy', 'Pharmacologic Class', 'Gene', 'Pathway'],
      edgeTypes: [edge('CtD', 'Compound', 'Disease'), edge('DpS', 'Disease', 'Symptom'), edge('includes', 'Pharmacologic Class', 'Compound'), edge('binds', 'Compound', 'Gene'), edge('participates', 'Gene', 'Pathway')],
    });
    expect(hetionet.nodeTypes.drug).toBe('Compound');
    expect(hetionet.relations.treats).toMatchObject({ name: 'CtD', reversed: false });
    expect(hetionet.relations.presents).toMatchObject({ name: 'DpS', reversed: false });
    expect(hetionet.relations.in_class).toMatchObject({ name: 'includes', reversed: true });
    expect(hetionet.relations.targets?.name).toBe('binds');
    const primekg = mapSchema({
      nodeTypes: ['drug', 'disease', 'effect/phenotype', 'gene/protein'],
      edgeTypes: [edge('indication', 'drug', 'disease'), edge('contraindication', 'disease', 'drug'), edge('disease_phenotype_positive', 'disease', 'effect/phenotype'), edge('drug_protein', 'drug', 'gene/protein')],
    });
    expect(primekg.relations.treats?.name).toBe('indication');
    expect(primekg.relations.not_indicated_for).toMatchObject({ name: 'contraindication', reversed: true });
    expect(primekg.relations.presents?.name).toBe('disease_phenotype_positive');
    expect(primekg.nodeTypes.symptom).toBe('effect/phenotype');
  });

  it('says what a template lacks, by role, types and accepted names', () => {
    const m = mapSchema({ nodeTypes: ['Disease', 'Tissue', 'Gene'], edgeTypes: [edge('localization', 'Disease', 'Tissue')] });
    expect(missingRoles(m, ['localizes'])).toBeNull();
    expect(missingRoles(m, ['presents'])).toMatch(/"presents" \(disease → symptom\): the graph has no symptom node type/);
    const n = mapSchema({ nodeTypes: ['disease', 'drug'], edgeTypes: [edge('mentions', 'drug', 'disease')] });
    expect(missingRoles(n, ['treats'])).toMatch(/no edge type between drug and disease is named like it \(accepted names: treats, ctd, indication/);
  });
});
