import { describe, expect, it } from 'vitest';
import { listPhrase, lower } from './templates';

describe('stem English', () => {
  it('joins findings with commas and "and", or semicolons when a name has a comma', () => {
    expect(listPhrase(['fever'])).toBe('fever');
    expect(listPhrase(['fever', 'cough'])).toBe('fever and cough');
    expect(listPhrase(['fever', 'cough', 'rash'])).toBe('fever, cough and rash');
    expect(listPhrase(['Hearing Loss, Noise-Induced', 'tinnitus', 'vertigo'])).toBe('Hearing Loss, Noise-Induced; tinnitus; and vertigo');
  });

  it('lower-cases title-case headings but keeps acronyms and eponyms', () => {
    expect(lower('Angina Pectoris')).toBe('angina pectoris');
    expect(lower('Cerebellar Ataxia')).toBe('cerebellar ataxia');
    expect(lower('Fever')).toBe('fever');
    expect(lower('HIV infection')).toBe('HIV infection');
    expect(lower('Parkinson disease')).toBe('Parkinson disease');
    expect(lower('muscle weakness')).toBe('muscle weakness');
  });
});
