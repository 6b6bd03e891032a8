import { describe, expect, it } from 'vitest';
import { isStrongMask, policyFor, trustTable } from './edge-trust';

const ids = ['hetionet', 'disease_ontology', 'drugcentral', 'pharmacotherapydb', 'labeledin', 'medline_cooccurrence', 'wikidata', 'disease_ontology_facets'];
const bits = (...names: string[]) => names.reduce((m, n) => m | (1 << ids.indexOf(n)), 0);

describe('edge trust', () => {
  it('makes a treatment key only from a physician-curated source or two independent ones', () => {
    const p = policyFor('treats');
    expect(isStrongMask(bits('pharmacotherapydb'), ids, p)).toBe(true);
    expect(isStrongMask(bits('drugcentral'), ids, p)).toBe(false); // one label row (sodium phosphate for MS)
    expect(isStrongMask(bits('wikidata'), ids, p)).toBe(false); // one crowd statement (apremilast for MS)
    expect(isStrongMask(bits('drugcentral', 'wikidata'), ids, p)).toBe(true);
    expect(isStrongMask(bits('drugcentral', 'labeledin'), ids, p)).toBe(true);
    // Hetionet's CtD rows are PharmacotherapyDB's: the compilation adds no second family
    expect(isStrongMask(bits('hetionet', 'drugcentral'), ids, p)).toBe(false);
  });

  it('never takes MEDLINE co-occurrence or an inferred facet alone as a finding or a site', () => {
    expect(isStrongMask(bits('hetionet', 'medline_cooccurrence'), ids, policyFor('presents'))).toBe(false);
    expect(isStrongMask(bits('disease_ontology_facets'), ids, policyFor('presents'))).toBe(false);
    expect(isStrongMask(bits('wikidata', 'medline_cooccurrence'), ids, policyFor('presents'))).toBe(true);
    expect(isStrongMask(bits('disease_ontology'), ids, policyFor('presents'))).toBe(true);
    expect(isStrongMask(bits('hetionet', 'medline_cooccurrence'), ids, policyFor('localizes'))).toBe(false);
    expect(isStrongMask(bits('disease_ontology_facets'), ids, policyFor('localizes'))).toBe(false);
  });

  it('lets the user exclude a dataset from evidence and keys', () => {
    const p = policyFor('treats');
    expect(isStrongMask(bits('pharmacotherapydb', 'wikidata'), ids, p, new Set(['pharmacotherapydb']))).toBe(false);
    expect(isStrongMask(bits('pharmacotherapydb', 'wikidata', 'drugcentral'), ids, p, new Set(['pharmacotherapydb']))).toBe(true);
  });

  it('grades an imported file by its named sources, the file itself only when an edge names none', () => {
    const table = trustTable([
      { id: 'file', name: 'hetionet-v1.0.json' },
      { id: 'source-1', name: 'MEDLINE' },
      { id: 'source-2', name: 'Disease Ontology' },
    ]).map((t, i) => ({ ...t, id: ['file', 'source-1', 'source-2'][i]! }));
    expect(table.map((t) => t.grade)).toEqual(['compilation', 'text_mined', 'expert']);
    expect(isStrongMask(0b011, table, policyFor('presents'))).toBe(false); // file + MEDLINE
    expect(isStrongMask(0b101, table, policyFor('presents'))).toBe(true); // file + Disease Ontology
    expect(isStrongMask(0b001, table, policyFor('presents'))).toBe(true); // the file alone: all there is
  });
});
