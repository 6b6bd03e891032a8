/**
 * DO's facets.tsv lists, per disease, every anatomy/symptom/taxon class it falls under
 * (inferred, ancestors included). To turn that closure into direct-ish edges we keep,
 * per disease, only the most specific terms: a term is dropped when another term of the
 * same disease annotates a strict subset of its diseases (i.e. is inferred narrower).
 * Terms annotating more than `maxShare` of all annotated diseases are too generic
 * ("anatomical structure") and never emitted. Every emitted pair is a fact in the file.
 */
export function mostSpecificFacetPairs(pairs: Iterable<[disease: string, term: string]>, maxShare = 0.1): [string, string][] {
  const byTerm = new Map<string, Set<string>>();
  const byDisease = new Map<string, Set<string>>();
  for (const [d, t] of pairs) {
    let ds = byTerm.get(t);
    if (!ds) byTerm.set(t, (ds = new Set()));
    ds.add(d);
    let ts = byDisease.get(d);
    if (!ts) byDisease.set(d, (ts = new Set()));
    ts.add(t);
  }
  const limit = Math.max(1, Math.floor(byDisease.size * maxShare));
  const isStrictSubset = (a: Set<string>, b: Set<string>): boolean => {
    if (a.size >= b.size) return false;
    for (const x of a) if (!b.has(x)) return false;
    return true;
  };
  const out: [string, string][] = [];
  const diseases = [...byDisease.keys()].sort();
  for (const d of diseases) {
    const terms = [...byDisease.get(d)!].sort();
    for (const u of terms) {
      const du = byTerm.get(u)!;
      if (du.size > limit) continue;
      const narrower = terms.some((v) => v !== u && isStrictSubset(byTerm.get(v)!, du));
      if (!narrower) out.push([d, u]);
    }
  }
  return out;
}
