/**
 * Pathogens under the names clinicians use. DO's organism facets carry the current ICTV
 * binomials ("Lymphocryptovirus humangamma4", "Orthoflavivirus omskense"), which a reader
 * does not recognise as Epstein–Barr virus or Omsk hemorrhagic fever virus. DO's own
 * definitions name the virus first and the binomial in brackets ("has_material_basis_in
 * Omsk hemorrhagic fever virus (Orthoflavivirus omskense)"): that common name becomes the
 * node's name and the binomial a synonym (search still finds it). A short table gives the
 * clinical name where the definition's is itself a taxonomic one ("Human herpesvirus 4" →
 * "Epstein-Barr virus") or outdated ("Ehrlichia sennetsu" → "Neorickettsia sennetsu", as
 * DO's definition of sennetsu fever and NCBI Taxonomy 951 call it).
 */
import { bump, type BuildContext } from '../context';
import { doFacetRows } from './common';

/** NCBITaxon id or binomial → clinical name, where the definitions do not give one. */
export const CLINICAL_PATHOGEN_NAMES: Readonly<Record<string, string>> = {
  'Lymphocryptovirus humangamma4': 'Epstein-Barr virus',
  'Simplexvirus humanalpha1': 'Herpes simplex virus 1',
  'Simplexvirus humanalpha2': 'Herpes simplex virus 2',
  'Varicellovirus humanalpha3': 'Varicella-zoster virus',
  'Cytomegalovirus humanbeta5': 'Cytomegalovirus',
  'Roseolovirus humanbeta6b': 'Human herpesvirus 6B',
  'Roseolovirus humanbeta7': 'Human herpesvirus 7',
  'Rhadinovirus humangamma8': 'Kaposi sarcoma-associated herpesvirus',
  'Lentivirus humimdef1': 'Human immunodeficiency virus 1',
  'Lentivirus humimdef2': 'Human immunodeficiency virus 2',
  'Orthorubulavirus parotitidis': 'Mumps virus',
  'Hepacivirus hominis': 'Hepatitis C virus',
  'Lyssavirus rabies': 'Rabies virus',
  'Mammarenavirus juninense': 'Junin virus',
  'Erythroparvovirus primate1': 'Parvovirus B19',
  'Orthopneumovirus hominis': 'Respiratory syncytial virus',
  'Orthohantavirus sinnombreense': 'Sin Nombre virus',
  'Orthohantavirus andesense': 'Andes virus',
  'Orthohantavirus bayoui': 'Bayou virus',
  'Orthohantavirus hantanense': 'Hantaan virus',
  'Orthohantavirus negraense': 'Laguna Negra virus',
  'Orthohantavirus nigrorivense': 'Black Creek Canal virus',
  'Orthohantavirus puumalaense': 'Puumala virus',
  'Orthohantavirus seoulense': 'Seoul virus',
  'Alphapapillomavirus 10': 'Human papillomavirus 6/11',
  'Deltaretrovirus priTlym1': 'Human T-lymphotropic virus 1',
  'Betacoronavirus cameli': 'Middle East respiratory syndrome coronavirus',
  'Orthohepacivirus hominis': 'Hepatitis C virus',
  'Orthoebolavirus zairense': 'Zaire ebolavirus',
  'NCBITaxon:951': 'Neorickettsia sennetsu',
  'Ehrlichia sennetsu': 'Neorickettsia sennetsu',
};

/** "<common name> (<Binomial>)" inside a DO definition; the common name ends in "virus" (optionally a number or letter). */
const NAMED_BINOMIAL = /([A-Za-z][A-Za-z0-9.'’ -]{1,60}?virus(?: [A-Z0-9]{1,3})?) \(([A-Z][a-z]+ [a-z0-9]+)\)/g;
/** words that start a clause, not a name ("the acquisition of Zika virus") */
const LEAD = /^(?:.*\b(?:of|the|by|in|with|and|or|to|which|that|a|an)\s+)/;

/** Common names per binomial found in DO definitions, the most frequent first (ties: the shortest). */
export function commonNamesFromDefinitions(definitions: Iterable<string>): Map<string, string> {
  const counts = new Map<string, Map<string, number>>();
  for (const def of definitions) {
    for (const m of def.matchAll(NAMED_BINOMIAL)) {
      let name = m[1]!.trim();
      const cut = LEAD.exec(name);
      if (cut) name = name.slice(cut[0].length);
      name = name.replace(/^(wild-type|an?|the)\s+/i, '').trim();
      if (name.split(/\s+/).length < 2 && !/^[A-Z]/.test(name)) continue;
      const binomial = m[2]!;
      let per = counts.get(binomial);
      if (!per) counts.set(binomial, (per = new Map()));
      // one spelling per name: capitalised as a sentence start ("measles virus" → "Measles virus")
      const key = name.charAt(0).toUpperCase() + name.slice(1);
      per.set(key, (per.get(key) ?? 0) + 1);
    }
  }
  const out = new Map<string, string>();
  for (const [binomial, per] of counts) {
    const best = [...per.entries()].sort((a, b) => b[1] - a[1] || a[0].length - b[0].length || a[0].localeCompare(b[0]))[0]!;
    out.set(binomial, best[0]);
  }
  return out;
}

/** Renames pathogen nodes to their clinical name, keeping the taxonomic name as a synonym. */
export function applyPathogenNames(ctx: BuildContext): void {
  const defs: string[] = [];
  for (const r of doFacetRows(ctx)) if (r.facet === 'ncbitaxon' && r.definition) defs.push(r.definition);
  const common = commonNamesFromDefinitions(new Set(defs));
  for (const e of ctx.reg.entities.values()) {
    if (e.type !== 'pathogen') continue;
    // NCBI rank qualifiers ("Aspergillus <genus>", "Hymenolepis <flatworms>") are markup, not part of the name
    const bare = e.name.replace(/\s*<[^>]*>/g, '').trim();
    const clinical = CLINICAL_PATHOGEN_NAMES[e.id] ?? CLINICAL_PATHOGEN_NAMES[bare] ?? common.get(bare) ?? (bare !== e.name ? bare : undefined);
    if (!clinical || clinical === e.name) continue;
    const old = e.name;
    e.name = clinical;
    e.synonyms.delete(clinical);
    ctx.reg.addSynonym(e, old);
    bump(ctx, 'pathogens_renamed_to_clinical_name');
  }
}
