/**
 * How the builder marks indication rows by support (issue 10, second clinical review): low
 * agreement in PharmacotherapyDB, crowd-only LabeledIn rows and DrugCentral prevention rows
 * get their own dataset bits, so that synthesis can hold them to a higher bar; and organisms
 * are named as clinicians name them.
 */
import { describe, expect, it } from 'vitest';
import { pharmacotherapyDbAgreed } from './sources/indications';
import { preventedCondition } from './sources/drugcentral';
import { CLINICAL_PATHOGEN_NAMES, commonNamesFromDefinitions } from './sources/pathogen-names';

describe('indication trust in the builder', () => {
  it('marks PharmacotherapyDB rows with one curator, or one source resource for an indication, as low agreement', () => {
    expect(pharmacotherapyDbAgreed('DM', 1, 3)).toBe(false); // irbesartan, type 2 diabetes
    expect(pharmacotherapyDbAgreed('DM', 2, 1)).toBe(false); // orlistat, type 2 diabetes; ergocalciferol, rheumatoid arthritis
    expect(pharmacotherapyDbAgreed('DM', 3, 3)).toBe(true); // raloxifene, breast cancer (a prevention row says otherwise)
    expect(pharmacotherapyDbAgreed('NOT', 3, 1)).toBe(true); // varenicline NOT for type 2 diabetes: the resources listed it, the curators refused
    expect(pharmacotherapyDbAgreed('NOT', 1, 1)).toBe(false);
  });

  it('reads the condition of a prevention or risk-reduction row', () => {
    expect(preventedCondition('Prevention of Breast Carcinoma')).toBe('Breast Carcinoma');
    expect(preventedCondition('Post-Menopausal Osteoporosis Prevention')).toBe('Post-Menopausal Osteoporosis');
    expect(preventedCondition('Post-Exposure Anthrax Prevention')).toBe('Anthrax');
    expect(preventedCondition('Hypertension')).toBeNull();
  });
});

describe('organisms by their clinical names', () => {
  it('takes the common name a DO definition gives beside the binomial', () => {
    const names = commonNamesFromDefinitions([
      'A viral infectious disease that has_material_basis_in Omsk hemorrhagic fever virus (Orthoflavivirus omskense), which is transmitted_by ticks (Ixodes sp).',
      'caused by the acquisition of Zika virus (Orthoflavivirus zikaense).',
      'persistent infection of the wild-type measles virus (Morbillivirus hominis); has_material_basis_in Measles virus (Morbillivirus hominis)',
    ]);
    expect(names.get('Orthoflavivirus omskense')).toBe('Omsk hemorrhagic fever virus');
    expect(names.get('Orthoflavivirus zikaense')).toBe('Zika virus');
    expect(names.get('Morbillivirus hominis')).toBe('Measles virus');
    expect(names.has('Ixodes sp')).toBe(false); // a tick named in brackets is no virus
  });

  it('names Epstein-Barr virus and Neorickettsia sennetsu as clinicians do', () => {
    expect(CLINICAL_PATHOGEN_NAMES['Lymphocryptovirus humangamma4']).toBe('Epstein-Barr virus');
    expect(CLINICAL_PATHOGEN_NAMES['NCBITaxon:951']).toBe('Neorickettsia sennetsu');
  });
});
