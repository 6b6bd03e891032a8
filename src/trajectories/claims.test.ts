/** The claim reader on free-form sentences of the kind an LLM teacher writes, with real default-graph entities. */
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultGraph } from '../synthesis/test-helpers';
import { ClaimReader } from './claims';

let reader: ClaimReader;
beforeAll(async () => {
  reader = new ClaimReader(await defaultGraph());
});

const claims = (text: string) => reader.read(text).claims.map((c) => `${c.head.name} ${c.positive ? '' : 'NOT '}${c.relation} ${c.tail.name}: ${c.supported ? 'ok' : 'UNSUPPORTED'}`);

describe('ClaimReader', () => {
  it('reads a relation in active, passive and negated forms and checks it against the KG', () => {
    expect(claims('Telmisartan is used to treat hypertension.')).toEqual(['telmisartan treats hypertension: ok']);
    expect(claims('Hypertension is commonly treated with telmisartan.')).toEqual(['telmisartan treats hypertension: ok']);
    expect(claims("Telmisartan doesn't treat hypertension.")).toEqual(['telmisartan NOT treats hypertension: UNSUPPORTED']);
    expect(claims('Iloprost is not indicated for hypertension.')).toEqual(['iloprost not_indicated_for hypertension: ok']);
    expect(claims("Escitalopram treats Parkinson's disease.")).toEqual(["escitalopram treats Parkinson's disease: UNSUPPORTED"]);
  });

  it('splits clauses, follows coordination and relative clauses, and ignores hypotheses', () => {
    expect(claims('Louping ill is caused by Orthoflavivirus loupingi and presents with fever and lethargy.').sort()).toEqual([
      'louping ill caused_by Orthoflavivirus loupingi: ok',
      'louping ill presents fever: ok',
      'louping ill presents lethargy: ok',
    ]);
    expect(claims('The patient has fever, which is a symptom of louping ill.')).toEqual(['louping ill presents fever: ok']);
    expect(claims("If escitalopram treated Parkinson's disease, it would be a reasonable choice.")).toEqual([]);
    expect(claims('Moxonidine acts on the product of NISCH; however, it does not target ADRB2.')).toEqual(['moxonidine targets NISCH: ok']);
  });

  it('reports a term in an entity position that the KG does not know', () => {
    const r = reader.read('Telmisartan treats dragonpox.');
    expect(r.unresolved).toEqual(['dragonpox']);
    expect(r.claims).toEqual([]);
    expect(reader.read('Telmisartan treats the condition described.').unresolved).toEqual([]);
  });

  it('reads gene symbols case-sensitively, so ordinary words are not genes', () => {
    const genes = (t: string) => reader.read(t).mentions.filter((m) => m.types.includes('gene')).map((m) => m.text);
    expect(genes('Moxonidine targets NISCH.')).toEqual(['NISCH']);
    expect(genes('This set of drugs is used at max dose.')).toEqual([]);
  });
});
