/** The builder's rules that keep non-findings, vectors, non-classes and jargon out of the default graph. */
import { describe, expect, it } from 'vitest';
import { classifyMeshSymptom, symptomOntologyHeadings } from './sources/findings';
import { animalKind, clauseFillers, isVectorName } from './sources/disease-ontology';
import { isPharmacologicClassRow } from './sources/drugcentral';
import { meshContainment, nearestAncestorsIn, parseUberonSubclasses, preferredAnatomyName } from './sources/anatomy-hierarchy';
import { isFindingName } from './sources/wikidata';
import { normName } from './normalize';

describe('clinical findings', () => {
  it('keeps MeSH Signs and Symptoms, drops headings, body measurements and named diseases', () => {
    expect(classifyMeshSymptom('Fever', ['C23.888.119.344'])).toBe('finding');
    expect(classifyMeshSymptom('Abdomen, Acute', ['C23.888.646.100.200'])).toBe('finding');
    expect(classifyMeshSymptom('Body Weight', ['C23.888.144', 'G07.100.100.160.120'])).toBe('body_measurement');
    expect(classifyMeshSymptom('Birth Weight', ['C23.888.144.186'])).toBe('body_measurement');
    expect(classifyMeshSymptom('Signs and Symptoms, Digestive', ['C23.888.821'])).toBe('category_heading');
    expect(classifyMeshSymptom('Neurologic Manifestations', ['C10.597', 'C23.888.592'])).toBe('category_heading');
    expect(classifyMeshSymptom('Usher Syndromes', ['C09.218.458.341.186.500.500', 'C23.888.592.763.393.341.887.886'])).toBe('named_disease');
    expect(classifyMeshSymptom('Tinea Pedis', ['C01.539.800.200.720.760', 'C23.888.885.625.500'])).toBe('named_disease');
    expect(classifyMeshSymptom('Down Syndrome', ['C10.597.606.643.220', 'C16.131.077.327'])).toBe('not_signs_and_symptoms');
  });

  it('treats Symptom Ontology groupings as headings, not findings', () => {
    const terms = [
      { id: 'S:0', name: 'symptom', isA: [] },
      { id: 'S:1', name: 'nervous system symptom', isA: ['S:0'] },
      { id: 'S:2', name: 'headache', isA: ['S:1'] },
      { id: 'S:3', name: 'head symptom', isA: ['S:0'] },
      { id: 'S:4', name: 'pain', isA: ['S:3'] },
      { id: 'S:5', name: 'facial pain', isA: ['S:4'] },
    ];
    expect([...symptomOntologyHeadings(terms)].sort()).toEqual(['S:0', 'S:1', 'S:3']);
  });

  it('accepts Wikidata symptom names only when they name a finding', () => {
    expect(isFindingName('wheeze')).toBe(true);
    expect(isFindingName('memory loss that disrupts daily life')).toBe(false);
    expect(isFindingName('poisoning')).toBe(false);
    expect(isFindingName('bacterial infection')).toBe(false);
  });
});

describe('causative organisms', () => {
  it('reads vectors from DO "transmitted by" unions, genus included', () => {
    const expr = "'has material basis in' some 'Mammarenavirus guanaritoense'|'transmitted by' some ('Sigmodon alstoni' or 'Zygodontomys brevicauda')";
    expect(clauseFillers(expr, 'transmitted by')).toEqual(['Sigmodon alstoni', 'Zygodontomys brevicauda']);
    expect(clauseFillers(expr, 'has material basis in')).toEqual(['Mammarenavirus guanaritoense']);
    const vectors = new Set(clauseFillers(expr, 'transmitted by').map(normName));
    expect(isVectorName('Zygodontomys', vectors)).toBe(true);
    expect(isVectorName('Mammarenavirus guanaritoense', vectors)).toBe(false);
  });

  it('classifies ticks, mosquitoes and rodents as animals by the MeSH organism tree, and agents as not', () => {
    const mesh: Record<string, string[]> = {
      ixodes: ['B01.050.500.131.166.132.832.400.425'],
      sigmodontinae: ['B01.050.150.900.649.865.635.680'],
      rickettsia: ['B03.440.647.650.650'],
      schistosoma: ['B01.050.500.500.736.715.770.680'],
    };
    const trees = (n: string) => mesh[n.toLowerCase()] ?? [];
    expect(animalKind('Ixodes scapularis', trees)).toBe('arthropod');
    expect(animalKind('Sigmodontinae', trees)).toBe('vertebrate');
    expect(animalKind('Amblyomma americanum', trees)).toBe('arthropod');
    expect(animalKind('Zygodontomys', trees)).toBe('vertebrate');
    expect(animalKind('Rickettsia conorii', trees)).toBeNull();
    expect(animalKind('Schistosoma mansoni', trees)).toBeNull();
  });
});

describe('pharmacologic classes', () => {
  it('keeps established classes, mechanisms and therapeutic roles; drops effects, chemistry and interaction liabilities', () => {
    expect(isPharmacologicClassRow('EPC', 'FDA', 'Kinase Inhibitor')).toBe(true);
    expect(isPharmacologicClassRow('MoA', 'FDA', 'Cyclooxygenase Inhibitors')).toBe(true);
    expect(isPharmacologicClassRow('MoA', 'FDA', 'Cytochrome P450 17A1 Inhibitors')).toBe(true);
    expect(isPharmacologicClassRow('PA', 'MeSH', 'Anti-Bacterial Agents')).toBe(true);
    expect(isPharmacologicClassRow('has role', 'CHEBI', 'antibacterial drug')).toBe(true);
    expect(isPharmacologicClassRow('PE', 'FDA', 'Increased T Lymphocyte Activation')).toBe(false);
    expect(isPharmacologicClassRow('Chemical/Ingredient', 'FDA', 'Boron Compounds')).toBe(false);
    expect(isPharmacologicClassRow('MoA', 'FDA', 'Cytochrome P450 2D6 Inhibitors')).toBe(false);
    expect(isPharmacologicClassRow('MoA', 'FDA', 'P-Glycoprotein Inhibitors')).toBe(false);
    expect(isPharmacologicClassRow('has role', 'CHEBI', 'prodrug')).toBe(false);
    expect(isPharmacologicClassRow('has role', 'CHEBI', 'food colouring')).toBe(false);
    expect(isPharmacologicClassRow('PA', 'MeSH', 'Rodenticides')).toBe(false);
    expect(isPharmacologicClassRow('PA', 'MeSH', 'Pharmaceutic Aids')).toBe(false);
    expect(isPharmacologicClassRow('PA', 'MeSH', 'Cytochrome P-450 CYP3A Inhibitors')).toBe(false);
  });
});

describe('anatomy hierarchy', () => {
  it('reads Uberon subclass axioms and shortens chains to graph nodes', () => {
    const owl = `<owl:Class rdf:about="http://purl.obolibrary.org/obo/UBERON_0001296">
        <rdfs:subClassOf rdf:resource="http://purl.obolibrary.org/obo/UBERON_0034933"/>
    </owl:Class>
    <owl:Class rdf:about="http://purl.obolibrary.org/obo/UBERON_0034933">
        <rdfs:subClassOf rdf:resource="http://purl.obolibrary.org/obo/UBERON_0018260"/>
    </owl:Class>`;
    const sub = parseUberonSubclasses(owl);
    expect(sub.get('UBERON:0001296')).toEqual(['UBERON:0034933']);
    const near = nearestAncestorsIn(new Set(['UBERON:0001296', 'UBERON:0018260']), (id) => sub.get(id) ?? []);
    expect(near.get('UBERON:0001296')).toEqual(['UBERON:0018260']);
  });

  it('links a structure to the nearest broader structure of the MeSH anatomy tree', () => {
    const mesh: Record<string, string> = { uterus: 'M:U', endometrium: 'M:E', genitalia: 'M:G' };
    const trees: Record<string, string[]> = { 'M:U': ['A05.360.319.679'], 'M:E': ['A05.360.319.679.490'], 'M:G': ['A05.360.319'] };
    expect(meshContainment(['endometrium', 'uterus', 'genitalia'], (id) => mesh[id], (m) => trees[m] ?? [])).toEqual([
      ['endometrium', 'uterus'],
      ['uterus', 'genitalia'],
    ]);
  });

  it('shows the MeSH heading where the Uberon label is jargon', () => {
    expect(preferredAnatomyName('female gonad', 'Ovary')).toBe('Ovary');
    expect(preferredAnatomyName('pes', 'Foot')).toBe('Foot');
    expect(preferredAnatomyName('uterus', 'Uterus')).toBe('uterus');
    expect(preferredAnatomyName('bone tissue', 'Bone and Bones')).toBe('bone tissue');
  });
});
