/**
 * Setting up a run: the question set (built-in KG task or curated questions, with tier counts and
 * the imported share), the model (a preset, or a Hugging Face base from a folder or the hub, with
 * LoRA), the backend, and every SFT / GRPO / curriculum setting under its TRL name with a
 * one-line explanation. Starting-point recipes fill the settings in one click.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { DIFFICULTIES, type Difficulty } from '../../../synthesis/record';
import { filesFromPicked } from '../../../training/hf/browser-files';
import { parameterCount, presetConfig, PRESET_NAMES, type PresetName } from '../../../training/model/config';
import { validateRunSettings } from '../../../training/run/settings';
import type { DatasetSummary } from '../../../storage/run-store';
import type { ModelChoice, StartRequest } from '../../../../workers/training-api';
import { FIELDS, fieldValue, GROUP_TITLES, withField, type FieldGroup, type FieldSpec } from './settings-fields';
import { RECIPES, useSetup, type RecipeId } from './setup-store';
import { trainingWorker } from './session';
import { useApp } from '../../store';

const PRESET_HELP: Record<PresetName, string> = {
  micro: 'tests and software GPUs',
  workshop: 'classroom machines',
  laptop: 'an integrated GPU',
  desktop: 'a discrete GPU',
};

const fmtParams = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : `${Math.round(n / 1e3)}K`);

export function RunSetup({ disabled, onStart }: { disabled: boolean; onStart: (req: StartRequest) => void }) {
  const s = useSetup();
  const gpu = useApp((a) => a.gpu);
  const noGpu = gpu.phase === 'done' && !gpu.status.ok;
  const [summary, setSummary] = useState<{ data: string; value: DatasetSummary | null; error: string | null } | null>(null);
  const [advanced, setAdvanced] = useState(false);
  const [picked, setPicked] = useState<{ name: string; files: Array<{ name: string; file: Blob }> } | null>(null);
  const [pickError, setPickError] = useState<string | null>(null);
  const dataKey = JSON.stringify(s.data);

  useEffect(() => {
    let live = true;
    setSummary({ data: dataKey, value: null, error: null });
    const t = setTimeout(() => {
      trainingWorker()
        .describeData(s.data)
        .then((value) => live && setSummary({ data: dataKey, value, error: null }))
        .catch((e: Error) => live && setSummary({ data: dataKey, value: null, error: e.message }));
    }, 250);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [dataKey]); // eslint-disable-line react-hooks/exhaustive-deps

  const errors = useMemo(() => validateRunSettings(s.settings), [s.settings]);
  const modelChoice: ModelChoice | null = s.model.kind === 'preset' ? { kind: 'preset', preset: s.model.preset } : s.model.kind === 'hf-hub' ? (s.model.model_id.trim() ? { kind: 'hf-hub', model_id: s.model.model_id.trim() } : null) : picked ? { kind: 'hf-files', name: picked.name, files: picked.files } : null;
  const canStart = !disabled && errors.length === 0 && modelChoice !== null && !summary?.error;

  const start = () => {
    if (!modelChoice) return;
    const settings = { ...s.settings, lora: s.model.kind !== 'preset' && s.lora.enabled ? { r: s.lora.r, alpha: s.lora.alpha, target_modules: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'] } : null };
    onStart({ name: s.name, data: s.data, model: modelChoice, settings, backend: s.backend });
  };

  const folderInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    folderInput.current?.setAttribute('webkitdirectory', '');
  }, [s.model.kind]);

  return (
    <div className="run-setup" data-testid="run-setup">
      <div className="recipes">
        <span className="muted">Start from:</span>
        {(Object.keys(RECIPES) as RecipeId[]).map((id) => (
          <button key={id} type="button" disabled={disabled} title={RECIPES[id].help} onClick={() => s.apply(id)}>
            {RECIPES[id].label}
          </button>
        ))}
      </div>
      <div className="setup-grid">
        <fieldset disabled={disabled}>
          <legend>Question set</legend>
          <label className="radio">
            <input type="radio" name="data-kind" checked={s.data.kind === 'kg-task'} onChange={() => s.set({ data: { kind: 'kg-task', size: 'tiny', seed: 1 } })} /> Built-in KG task
            <span className="help">closed-book multi-hop chains over a fixed KG region, one token per entity — a design a model this small can learn</span>
          </label>
          <label className="radio">
            <input type="radio" name="data-kind" checked={s.data.kind === 'questions'} onChange={() => s.set({ data: { kind: 'questions', status: 'accepted', heldout_share: 0.2, vocab_size: 2048, max_items: 5000 } })} /> Curated questions
            <span className="help">the Questions view’s items (synthetic and imported) with their trajectories for SFT</span>
          </label>
          {s.data.kind === 'kg-task' ? (
            <div className="row">
              <label>
                size{' '}
                <select aria-label="Task size" value={s.data.size} onChange={(e) => s.set({ data: { ...s.data, size: e.target.value as 'tiny' } as typeof s.data })}>
                  <option value="tiny">tiny (≈60–120 entities)</option>
                  <option value="small">small (≈120–200 entities)</option>
                  <option value="standard">standard (≈400 entities)</option>
                </select>
              </label>
              <label>
                task seed <input type="number" aria-label="Task seed" min={0} value={s.data.seed} onChange={(e) => s.set({ data: { ...s.data, seed: Number(e.target.value) } as typeof s.data })} />
              </label>
            </div>
          ) : (
            <div className="row">
              <label>
                items{' '}
                <select aria-label="Which questions" value={s.data.status} onChange={(e) => s.set({ data: { ...s.data, status: e.target.value as 'accepted' } as typeof s.data })}>
                  <option value="accepted">accepted only</option>
                  <option value="not-rejected">every question not rejected</option>
                </select>
              </label>
              <label title="share of items kept out of training for evaluation (chosen by a hash of the id, so the same items every time)">
                held out <input type="number" aria-label="Held-out share" min={0} max={0.9} step={0.05} value={s.data.heldout_share} onChange={(e) => s.set({ data: { ...s.data, heldout_share: Number(e.target.value) } as typeof s.data })} />
              </label>
              <label title="BPE vocabulary size of the tokenizer trained for a preset model">
                vocab_size <input type="number" aria-label="Vocabulary size" min={300} step={256} value={s.data.vocab_size} onChange={(e) => s.set({ data: { ...s.data, vocab_size: Number(e.target.value) } as typeof s.data })} />
              </label>
            </div>
          )}
          <DataSummary summary={summary?.value ?? null} error={summary?.error ?? null} loading={!!summary && !summary.value && !summary.error} />
        </fieldset>

        <fieldset disabled={disabled}>
          <legend>Model</legend>
          <div className="row">
            <label>
              <input type="radio" name="model-kind" checked={s.model.kind === 'preset'} onChange={() => s.set({ model: { kind: 'preset', preset: 'micro' } })} /> from scratch
            </label>
            <label>
              <input type="radio" name="model-kind" checked={s.model.kind === 'hf-files'} onChange={() => s.set({ model: { kind: 'hf-files' } })} /> HF folder
            </label>
            <label>
              <input type="radio" name="model-kind" checked={s.model.kind === 'hf-hub'} onChange={() => s.set({ model: { kind: 'hf-hub', model_id: '' } })} /> HF hub
            </label>
          </div>
          {s.model.kind === 'preset' && (
            <label className="block">
              preset{' '}
              <select aria-label="Model preset" value={s.model.preset} onChange={(e) => s.set({ model: { kind: 'preset', preset: e.target.value as PresetName } })}>
                {PRESET_NAMES.map((p) => (
                  <option key={p} value={p}>
                    {p} — {fmtParams(parameterCount(presetConfig(p, 1024)))} params, {PRESET_HELP[p]}
                  </option>
                ))}
              </select>
              <span className="help">Llama layout (RMSNorm, RoPE, GQA, SwiGLU, tied head); the vocabulary comes from the tokenizer trained on the run’s texts.</span>
            </label>
          )}
          {s.model.kind === 'hf-files' && (
            <label className="block">
              checkpoint folder{' '}
              <input
                ref={folderInput}
                type="file"
                multiple
                aria-label="Checkpoint folder"
                onChange={(e) => {
                  try {
                    const files = filesFromPicked([...(e.target.files ?? [])]);
                    const first = e.target.files?.[0] as (File & { webkitRelativePath?: string }) | undefined;
                    setPicked({ name: first?.webkitRelativePath?.split('/')[0] || 'local checkpoint', files: [...files].map(([name, file]) => ({ name, file: file as Blob })) });
                    setPickError(null);
                  } catch (err) {
                    setPicked(null);
                    setPickError((err as Error).message);
                  }
                }}
              />
              <span className="help">A Hugging Face Llama folder: config.json, tokenizer.json, model.safetensors (F32/F16/BF16, GQA, tied or untied head).</span>
              {picked && <span className="ok-text">{picked.files.length} files from {picked.name}</span>}
              {pickError && <span className="error-text">{pickError}</span>}
            </label>
          )}
          {s.model.kind === 'hf-hub' && (
            <label className="block">
              model id <input aria-label="Hub model id" placeholder="karpathy/tinyllamas or HuggingFaceTB/SmolLM2-135M-Instruct" value={s.model.model_id} onChange={(e) => s.set({ model: { kind: 'hf-hub', model_id: e.target.value } })} />
              <span className="help">Downloaded by this browser from huggingface.co and kept in its cache.</span>
            </label>
          )}
          {s.model.kind !== 'preset' && (
            <div className="row">
              <label>
                <input type="checkbox" checked={s.lora.enabled} onChange={(e) => s.set({ lora: { ...s.lora, enabled: e.target.checked } })} /> LoRA
              </label>
              <label title="rank of the adapters">
                r <input type="number" min={1} value={s.lora.r} onChange={(e) => s.set({ lora: { ...s.lora, r: Number(e.target.value) } })} />
              </label>
              <label title="scale alpha / r">
                alpha <input type="number" min={1} value={s.lora.alpha} onChange={(e) => s.set({ lora: { ...s.lora, alpha: Number(e.target.value) } })} />
              </label>
            </div>
          )}
          <label className="block">
            device{' '}
            <select aria-label="Backend" value={s.backend} onChange={(e) => s.set({ backend: e.target.value as typeof s.backend })}>
              <option value="auto">GPU (WebGPU) when available, else CPU</option>
              <option value="webgpu">GPU (WebGPU) only</option>
              <option value="cpu">CPU reference model (slow; no GPU needed)</option>
            </select>
            {noGpu && (
              <span className="warn-text" data-testid="cpu-fallback-note">
                No usable WebGPU in this browser: {s.backend === 'webgpu' ? 'a GPU-only run cannot start — choose “GPU when available” or the CPU model.' : 'the run trains on the CPU reference model (the same maths, in JavaScript, on one core). The micro preset trains at a usable pace (a fraction of a second a step with the quick demo’s batches); the bigger presets are too slow to be practical.'}
              </span>
            )}
          </label>
          <label className="block">
            run name <input aria-label="Run name" placeholder="(automatic)" value={s.name} onChange={(e) => s.set({ name: e.target.value })} />
          </label>
        </fieldset>
      </div>

      <div className="settings-groups">
        {(['sft', 'grpo', 'curriculum', 'run'] as FieldGroup[]).map((g) => (
          <fieldset key={g} disabled={disabled} className={`settings-group group-${g}`}>
            <legend>{GROUP_TITLES[g]}</legend>
            {FIELDS.filter((f) => f.group === g && (advanced || !f.advanced)).map((f) => (
              <SettingField key={`${f.group}.${f.key}`} spec={f} />
            ))}
          </fieldset>
        ))}
      </div>
      <div className="setup-actions">
        <label>
          <input type="checkbox" checked={advanced} onChange={(e) => setAdvanced(e.target.checked)} /> show every setting
        </label>
        {errors.length > 0 && (
          <ul className="error-text" role="alert">
            {errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        )}
        <button className="primary" type="button" disabled={!canStart} onClick={start}>
          Start training
        </button>
      </div>
    </div>
  );
}

function DataSummary({ summary, error, loading }: { summary: DatasetSummary | null; error: string | null; loading: boolean }) {
  if (error) return <p className="error-text" data-testid="data-summary">{error}</p>;
  if (loading || !summary) return <p className="muted" data-testid="data-summary">counting the items…</p>;
  const importedShare = summary.train ? summary.imported / summary.train : 0;
  return (
    <div className="data-summary" data-testid="data-summary">
      <p>
        <b>{summary.train}</b> training items · <b>{summary.heldout}</b> held out{summary.heldoutImported ? ` · ${summary.heldoutImported} imported benchmark items to evaluate on` : ''}
      </p>
      <p className="tiers">
        {DIFFICULTIES.map((d) => (
          <span key={d} className={`tier-chip tier-${d}`}>
            {d} {summary.tiers[d] ?? 0}
          </span>
        ))}
        <span className="muted"> · imported in training: {summary.imported} ({(importedShare * 100).toFixed(0)}%)</span>
      </p>
      {summary.detail && <p className="help">{summary.detail}</p>}
    </div>
  );
}

function SettingField({ spec }: { spec: FieldSpec }) {
  const settings = useSetup((s) => s.settings);
  const set = useSetup((s) => s.set);
  const v = fieldValue(settings, spec);
  const id = `set-${spec.group}-${spec.key}`;
  const change = (value: unknown) => set({ settings: withField(settings, spec, value) });
  let input: React.ReactNode;
  if (spec.kind === 'select')
    input = (
      <select id={id} value={String(v)} onChange={(e) => change(e.target.value)}>
        {spec.options!.map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
    );
  else if (spec.kind === 'bool') input = <input id={id} type="checkbox" checked={Boolean(v)} onChange={(e) => change(e.target.checked)} />;
  else if (spec.kind === 'tiers') {
    const tiers = v as Difficulty[];
    input = (
      <span id={id} className="tier-picks">
        {DIFFICULTIES.map((d) => (
          <label key={d}>
            <input type="checkbox" checked={tiers.includes(d)} onChange={(e) => change(e.target.checked ? DIFFICULTIES.filter((x) => x === d || tiers.includes(x)) : tiers.filter((x) => x !== d))} /> {d}
          </label>
        ))}
      </span>
    );
  } else if (spec.kind === 'pair') {
    const [a, b] = v as [number, number];
    input = (
      <span id={id} className="pair">
        <input type="number" aria-label={`${spec.key} correctness`} step={0.1} value={a} onChange={(e) => change([Number(e.target.value), b])} />
        <input type="number" aria-label={`${spec.key} format`} step={0.1} value={b} onChange={(e) => change([a, Number(e.target.value)])} />
      </span>
    );
  } else
    input = (
      <input
        id={id}
        type="number"
        value={Number.isFinite(v as number) ? (v as number) : ''}
        {...(spec.min !== undefined ? { min: spec.min } : {})}
        {...(spec.max !== undefined ? { max: spec.max } : {})}
        step={spec.step ?? 1}
        onChange={(e) => change(e.target.value === '' ? NaN : Number(e.target.value))}
      />
    );
  return (
    <div className="setting" data-field={`${spec.group}.${spec.key}`}>
      <label htmlFor={id} className="setting-name">
        {spec.key}
      </label>
      {input}
      <span className="help">{spec.help}</span>
    </div>
  );
}
