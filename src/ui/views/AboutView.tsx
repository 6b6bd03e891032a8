/** About: what the app is, and the credit every data source's licence asks for. */
import { DATASETS, LICENCE_NOTES, WIKIDATA_EXTRACT_MIT_NOTICE } from '../../graph/attribution';

export function AboutView() {
  return (
    <section className="about">
      <h2>About Fleming Workbench</h2>
      <p>
        Fleming Workbench reproduces in miniature, in your browser, the recipe of the Fleming-R1 paper (medical reasoning through reinforcement
        learning): questions synthesised from a medical knowledge graph, chain-of-thought cold start, and two-stage GRPO on your own GPU. Nothing
        leaves your machine: the heavy work runs in WebGPU kernels in Web Workers and everything is stored in this browser's IndexedDB.
      </p>
      <h3>Data sources of the default knowledge graph</h3>
      <p>
        The built-in graph keeps facts only (identifiers, names, synonyms, types and typed relations) taken from the sources below; no text was
        copied. The same credits are in <a href="ATTRIBUTION.md">ATTRIBUTION.md</a>.
      </p>
      <ul className="attribution" data-testid="attribution">
        {DATASETS.map((d) => (
          <li key={d.id}>
            <strong>{d.name}</strong> — {d.licence}. {d.attribution}
            {d.url ? (
              <>
                {' '}
                <a href={d.url} rel="noreferrer" target="_blank">{d.url}</a>
              </>
            ) : null}
          </li>
        ))}
      </ul>
      <h3>What was left out, and why</h3>
      <ul>
        {LICENCE_NOTES.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
      <h3>Notice for the Wikidata extract</h3>
      <pre className="notice">{WIKIDATA_EXTRACT_MIT_NOTICE}</pre>
    </section>
  );
}
