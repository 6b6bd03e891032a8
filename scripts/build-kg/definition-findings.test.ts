/** Findings read from DO's curated definitions: what is read, and the phrasings that must not become findings. */
import { describe, expect, it } from 'vitest';
import { affirmedChunks, DEFINITION_ALIASES, featureClauses, findingsInDefinition } from './sources/definition-findings';
import { normName } from './normalize';

// a small finding vocabulary standing in for the Symptom Ontology / MeSH names (normalised name → id)
const FINDINGS = ['fever', 'rash', 'headache', 'joint pain', 'seizure', 'muscle hypotonia', 'ataxia', 'dysarthria', 'spasticity', 'nystagmus', 'blindness', 'wasting', 'weakness', 'muscle weakness', 'intellectual disability', 'respiratory failure', 'itching', 'stiff neck', 'short stature', 'cough', 'chronic cough', 'hearing loss', 'sensorineural hearing loss'];
const vocab = new Map(FINDINGS.map((f) => [normName(f), `F:${f}`]));
for (const [alias, name] of Object.entries(DEFINITION_ALIASES)) if (vocab.has(normName(name))) vocab.set(normName(alias), vocab.get(normName(name))!);
const lookup = (n: string) => vocab.get(n);
const DISEASES = new Set(['rheumatic fever', 'systemic lupus erythematosus', 'night blindness'].map(normName));
const isDisease = (n: string) => DISEASES.has(n);
const read = (def: string) => findingsInDefinition(def, lookup, isDisease).map((id) => id.slice(2));

describe('findings named in Disease Ontology definitions', () => {
  it('reads the feature clause of a syndrome (DOID:0060787, hypomyelinating leukodystrophy 2) and stops at has_material_basis_in', () => {
    const def = 'A hypomyelinating leukodystrophy characterized by autosomal recessive inheritance of nystagmus, impaired motor development, ataxia, choreoathetotic movements, dysarthria, and progressive spasticity that has_material_basis_in homozygous or compound heterozygous mutation in the GJC2 gene on chromosome 1q42.';
    expect(read(def)).toEqual(['nystagmus', 'ataxia', 'dysarthria', 'spasticity']);
    expect(featureClauses(def)[0]).not.toMatch(/GJC2/);
  });

  it('reads has_symptom lists (Zika fever) and the definitions\' own wording through the alias table ("hypotonia", "neck stiffness")', () => {
    expect(read('A viral infectious disease that has_material_basis_in Zika virus, which is transmitted_by Aedes aegypti mosquitoes and has_symptom fever, has_symptom rash, has_symptom headaches and has_symptom joint pain.').sort()).toEqual(['fever', 'headache', 'joint pain', 'rash']);
    expect(read('A syndrome that is characterized by delayed psychomotor development, severe intellectual disability with poor or absent speech, hypotonia, feeding difficulties.')).toEqual(['muscle hypotonia']);
    expect(read('A chronic meningitis. Symptoms of this condition range from mild headache to severe, throbbing headache, fever, neck stiffness.')).toEqual(['headache', 'fever', 'stiff neck']);
  });

  it('skips a chunk with a negation or a normal state: "with little or no …", "without fever", "normal intelligence"', () => {
    expect(affirmedChunks('onset at birth of progressive encephalopathy with little or no psychomotor development, seizures')).toEqual(['seizures']);
    expect(read('A disease characterized by rash without fever, and normal intelligence.')).toEqual([]);
    expect(read('A syndrome characterized by seizures, no fever, and ataxia.')).toEqual(['seizure', 'ataxia']);
  });

  it('does not read a finding out of a disease name or an association (Jaccoud\'s syndrome: "rheumatic fever")', () => {
    expect(read("An autoimmune disease that is characterized by severe non-erosive arthropathy with ulnar deviation, and may be associated with systemic lupus erythematosus, rheumatic fever, and ligamentous laxity.")).toEqual([]);
    expect(findingsInDefinition('A syndrome characterized by rheumatic fever and rash.', lookup, isDisease).map((x) => x.slice(2))).toEqual(['rash']);
  });

  it('refuses a one-word finding that another word turns into a different concept ("night blindness", "salt wasting")', () => {
    expect(read('A retinitis pigmentosa characterized by night blindness followed by progressive narrowing of visual fields.')).toEqual([]);
    expect(read('A pseudohypoaldosteronism characterized by renal salt wasting and high concentrations of sodium in sweat.')).toEqual([]);
    expect(read('A myopathy characterized by facial weakness and severe weakness.')).toEqual(['weakness']);
    expect(read('A mitochondrial myopathy characterized by weakness of extraocular muscles, usually evident from bilateral ptosis.')).toEqual([]);
    // a longer finding name wins over its last word
    expect(read('A primary ciliary dyskinesia characterized by recurrent respiratory infections, chronic cough, and bronchiectasis.')).toEqual(['chronic cough']);
    expect(read('A deafness characterized by congenital profound sensorineural hearing loss and cochlear aplasia.')).toEqual(['sensorineural hearing loss']);
  });

  it('does not read a complication that the disease "may lead to" (pulmonary edema → respiratory failure)', () => {
    expect(read('A respiratory failure that is characterized by the accumulation of fluid in the lung tissues causing disturbance of the gas exchange that may lead to respiratory failure.')).toEqual([]);
  });

  it('reads nothing from a definition without a feature clause', () => {
    expect(read('A spotted fever that has_material_basis_in Rickettsia africae, which is transmitted_by ticks.')).toEqual([]);
  });
});
