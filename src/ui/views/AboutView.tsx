/** About: what the app is, and the credit every data source's licence asks for. */
import { DATASETS, LICENCE_NOTES, WIKIDATA_EXTRACT_MIT_NOTICE } from '../../graph/attribution';

export function AboutView() {
  return (
    <section className="about">
      <h2>About Fleming Workbench</h2>
      <p>
        Fleming Workbench reproduces in miniature, in your browser, the recipe of the Fleming-R1 paper (medical reasoning through reinforcement
        learning): questions synthesised from a medical knowledge graph, chain-of-thought cold start, and two-stage GRPO on your own GPU. The
        heavy work runs in WebGPU kernels in Web Workers and everything is stored in this browser's IndexedDB.
      </p>
      <section data-testid="network-statement" aria-labelledby="network-heading">
        <h3 id="network-heading">What leaves this machine, and what never does</h3>
        <p>
          The app is a set of files served from this site; after they load it works offline. It sends nothing anywhere unless you ask it to,
          in one of these four ways — each only when you start it, and only to the address you give or name:
        </p>
        <ul>
          <li>
            <strong>An OpenAI-compatible teacher</strong> (Trajectories → Teacher → OpenAI-compatible endpoint): for each question, its text,
            its options and its correct answer — and, in refinement rounds, the previous reasoning with the checks it failed — go to the base URL
            you type, with your API key if you give one.
          </li>
          <li>
            <strong>An LLM verifier</strong> (Questions → Verify with an LLM): each question's text and options, without the answer, go to the base URL
            you type, once per vote, with your API key if you give one.
          </li>
          <li>
            <strong>A model in the browser</strong> (Trajectories → transformers.js teacher): the model's files (weights, tokenizer, configuration)
            are downloaded from the Hugging Face hub (huggingface.co and the servers it redirects to). Only the model id is sent; your questions
            stay here, because the model runs in this browser.
          </li>
          <li>
            <strong>A starting checkpoint from the hub</strong> (Train → model: HF hub): the checkpoint's files
            (configuration, tokenizer, weights) are downloaded from huggingface.co. Only the model id is sent.
          </li>
        </ul>
        <p>
          Nothing else: no telemetry, no analytics, no error reports, no fonts or scripts from other sites. Your graphs, questions (with their
          edit history), trajectories, training runs, metrics and checkpoints stay in this browser's storage (IndexedDB; downloaded model files
          in its cache) and leave only as files you export. API keys are kept in memory for the session, or on this device if you tick
          "remember the key".
        </p>
        <p className="muted">
          The page enforces this with a Content-Security-Policy: no inline or injected script runs, and scripts, workers and styles load only
          from this site. Requests may go to any http(s) address because the teacher endpoint is yours to choose (often a server on this
          machine); the browser-based test suite checks that a full tour of the app with no teacher configured makes no request to another site.
        </p>
      </section>
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
