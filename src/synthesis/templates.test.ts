import { describe, expect, it } from 'vitest';
import { capitaliseFirst, inSentence, looksInverted, lowerHeading, optionName, sharedKeyWord, uninvertName } from './names';
import { listPhrase, renderStem, templateByType, TEMPLATES } from './templates';

describe('stem English', () => {
  it('joins findings with commas and "and", or semicolons when a name has a comma', () => {
    expect(listPhrase(['fever'])).toBe('fever');
    expect(listPhrase(['fever', 'cough'])).toBe('fever and cough');
    expect(listPhrase(['fever', 'cough', 'rash'])).toBe('fever, cough and rash');
    expect(listPhrase(['pain, severe', 'tinnitus', 'vertigo'])).toBe('pain, severe; tinnitus and vertigo');
  });

  it('un-inverts ontology names and lower-cases title-case headings, keeping acronyms, symbols and eponyms', () => {
    expect(uninvertName('Obesity, Abdominal')).toBe('Abdominal Obesity');
    expect(uninvertName('Purpura, Thrombocytopenic, Idiopathic')).toBe('Idiopathic Thrombocytopenic Purpura');
    expect(uninvertName('pseudohypoaldosteronism, type 2')).toBe('pseudohypoaldosteronism, type 2');
    expect(inSentence('Obesity, Abdominal')).toBe('abdominal obesity');
    expect(inSentence('Hearing Loss, Noise-Induced')).toBe('noise-induced hearing loss');
    expect(lowerHeading('Angina Pectoris')).toBe('angina pectoris');
    expect(lowerHeading('HIV infection')).toBe('HIV infection');
    expect(lowerHeading('familial Mediterranean fever')).toBe('familial Mediterranean fever');
    expect(lowerHeading('Alzheimer Disease')).toBe('Alzheimer disease');
    expect(lowerHeading('Hepatitis B Virus Nucleoside Analog Reverse Transcriptase Inhibitor')).toBe('hepatitis B virus nucleoside analog reverse transcriptase inhibitor');
    expect(lowerHeading('HMG-CoA Reductase Inhibitors')).toBe('HMG-CoA reductase inhibitors');
    expect(looksInverted('Vision, Low')).toBe(true);
    expect(looksInverted('low vision')).toBe(false);
  });

  it('starts options and stems with a capital, except symbols that must keep their case', () => {
    expect(optionName('esomeprazole')).toBe('Esomeprazole');
    expect(optionName('Kinase Inhibitor')).toBe('Kinase inhibitor');
    expect(optionName('[Haemophilus] ducreyi')).toBe('Haemophilus ducreyi');
    expect(optionName('ALOX5')).toBe('ALOX5');
    expect(capitaliseFirst('mRNA splicing')).toBe('mRNA splicing');
    const stem = renderStem(templateByType('drug_class'), 1, { findings: [], subject: 'ipilimumab' });
    expect(stem).toBe('Ipilimumab belongs to which class of drugs?');
    for (const t of TEMPLATES) {
      for (let v = 0; v < t.stems.length; v++) {
        const s = renderStem(t, v, { findings: ['Abdomen, Acute', 'fever', 'Cough'], subject: 'abdominal obesity', anatomy: 'uterus' });
        expect(s, `${t.type} ${v}`).toMatch(/^[A-Z]/);
        expect(s).not.toMatch(/Abdomen, Acute/);
      }
    }
  });

  it('finds a key word in the stem by root, organ adjective or Greek root', () => {
    expect(sharedKeyWord('Which anatomical structure is affected by uterine cancer?', 'uterus')).toBe('uterus');
    expect(sharedKeyWord('retinal vascular occlusion', 'vasculature of retina')).not.toBeNull();
    expect(sharedKeyWord('mandibular cancer', 'Mandible')).not.toBeNull();
    expect(sharedKeyWord('renal cell carcinoma', 'kidney')).toBe('kidney');
    expect(sharedKeyWord('In which structure does ophthalmomyiasis arise?', 'eye')).toBe('eye');
    expect(sharedKeyWord('A patient presents with fever and rash', 'measles')).toBeNull();
    // generic words never count: "disease" in both is no giveaway
    expect(sharedKeyWord('A patient has Crohn disease', 'Parkinson disease')).toBeNull();
  });
});
