/** Symptoms: Symptom Ontology (ids, names, exact synonyms, is_a), then MeSH 2015 symptoms merged by name. */
import { datasetBit } from '../../../src/graph/attribution';
import { bump, srcPath, type BuildContext } from '../context';
import { parseObo } from '../obo';
import { readText, readTsv } from '../tsv';
import { normName, uninvert } from '../normalize';
import { classifyMeshSymptom, symptomOntologyHeadings } from './findings';

/** Xrefs in symp.obo use UMLS_CUI:C…; normalise to UMLS:C…. */
function sympXref(x: string): string | undefined {
  const m = /^UMLS_CUI:(C\d+)$/.exec(x);
  if (m) return `UMLS:${m[1]}`;
  if (/^MESH:D\d+$/.test(x)) return x;
  return undefined;
}

export function loadSymptomOntology(ctx: BuildContext): void {
  const bit = datasetBit('symptom_ontology');
  const terms = parseObo(readText(srcPath(ctx, 'symptom-ontology', 'symp.obo'))).filter((t) => !t.obsolete && t.id.startsWith('SYMP:') && t.name);
  for (const t of terms) {
    ctx.reg.upsert('symptom', t.id, t.name, bit, {
      xrefs: t.xrefs.map(sympXref).filter((x): x is string => !!x),
      synonyms: t.synonyms.filter((s) => s.scope === 'EXACT').map((s) => s.text),
    });
  }
  for (const t of terms) for (const p of t.isA) ctx.edges.add('symptom_is_a', t.id, p, bit);
  for (const id of symptomOntologyHeadings(terms)) ctx.lookup.nonFindingSymptoms.add(id);
  bump(ctx, 'symptoms_symp', terms.length);
}

/** MeSH 2015 tree numbers by descriptor (the findings test and the anatomy tree read them). */
export function loadMeshTrees(ctx: BuildContext): void {
  for (const r of readTsv(srcPath(ctx, 'mesh-2015', 'tree-numbers.tsv'))) {
    const id = `MESH:${r.mesh_id ?? ''}`;
    const t = r.mesh_tree_number ?? '';
    if (!t) continue;
    const list = ctx.lookup.meshTrees.get(id);
    if (list) list.push(t);
    else ctx.lookup.meshTrees.set(id, [t]);
  }
}

/**
 * MeSH 2015 symptom descriptors (the Hetionet Symptom nodes): join SYMP by name, else own
 * node. Descriptors that are not clinical findings are left out (and so are the Hetionet
 * presents edges to them).
 */
export function loadMeshSymptoms(ctx: BuildContext): void {
  const bit = datasetBit('mesh_2015');
  for (const r of readTsv(srcPath(ctx, 'mesh-2015', 'symptoms.tsv'))) {
    const mesh = `MESH:${r.mesh_id ?? ''}`;
    const name = r.mesh_name ?? '';
    const verdict = classifyMeshSymptom(name, ctx.lookup.meshTrees.get(mesh) ?? []);
    if (verdict !== 'finding') {
      ctx.lookup.nonFindingMesh.add(mesh);
      bump(ctx, `symptoms_mesh_not_a_finding_${verdict}`);
      continue;
    }
    const inv = uninvert(name);
    const hit = ctx.reg.resolve('symptom', { xrefs: [mesh], names: inv ? [name, inv] : [name] });
    if (hit) {
      const e = ctx.reg.get(hit.id)!;
      ctx.reg.addXref(e, mesh);
      ctx.reg.addSynonym(e, inv ?? name);
      e.datasets |= bit;
      bump(ctx, hit.via === 'xref' ? 'symptoms_mesh_joined_by_xref' : 'symptoms_mesh_joined_by_name');
    } else {
      // shown un-inverted ("Abdomen, Acute" reads "Acute Abdomen"); the MeSH form stays a synonym for search
      const e = ctx.reg.upsert('symptom', mesh, inv ?? name, bit);
      if (inv) ctx.reg.addSynonym(e, name);
      bump(ctx, 'symptoms_mesh_own_node');
    }
  }
}

/** MeSH 2015 descriptor names, as a lookup table (name -> MESH id) for name-only sources. */
export function loadMeshTerms(ctx: BuildContext): void {
  const seen = new Map<string, string | null>();
  for (const r of readTsv(srcPath(ctx, 'mesh-2015', 'terms.tsv'))) {
    const id = `MESH:${r.mesh_id ?? ''}`;
    const name = r.mesh_name ?? '';
    const inv = uninvert(name);
    for (const n of inv ? [name, inv] : [name]) {
      const k = normName(n);
      if (!k) continue;
      const cur = seen.get(k);
      seen.set(k, cur === undefined || cur === id ? id : null);
    }
  }
  for (const [k, v] of seen) if (v) ctx.lookup.meshByName.set(k, v);
}
