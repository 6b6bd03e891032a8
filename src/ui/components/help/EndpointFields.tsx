/**
 * The connection fields of an OpenAI-compatible endpoint (base URL, model, API key, whether to
 * remember the key), shared by the trajectory teacher and the LLM verifier panels.
 */
export interface EndpointFieldsProps {
  /** accessible-name prefix ("Verifier" → "Verifier base URL"); none → "Base URL" */
  name?: string;
  baseUrl: string;
  setBaseUrl: (v: string) => void;
  model: string;
  setModel: (v: string) => void;
  apiKey: string;
  setApiKey: (v: string) => void;
  remember: boolean;
  setRemember: (v: boolean) => void;
  disabled: boolean;
}

export function EndpointFields(p: EndpointFieldsProps) {
  const label = (s: string) => (p.name ? `${p.name} ${s === 'API key' ? s : s.toLowerCase()}` : s);
  return (
    <>
      <label>
        Base URL
        <input aria-label={label('Base URL')} value={p.baseUrl} onChange={(e) => p.setBaseUrl(e.target.value)} disabled={p.disabled} />
      </label>
      <label>
        Model
        <input aria-label={label('Model')} value={p.model} onChange={(e) => p.setModel(e.target.value)} disabled={p.disabled} />
      </label>
      <label>
        API key
        <input aria-label={label('API key')} type="password" value={p.apiKey} onChange={(e) => p.setApiKey(e.target.value)} disabled={p.disabled} autoComplete="off" />
      </label>
      <label title="Otherwise the key is kept in memory for this session only">
        <input type="checkbox" checked={p.remember} onChange={(e) => p.setRemember(e.target.checked)} disabled={p.disabled} /> remember the key on this device
      </label>
    </>
  );
}
