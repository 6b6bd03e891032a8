/**
 * The exported TRL script of the scale-out bundle: the same recipe as the app — optional SFT
 * cold start, GRPO stage 1 on Easy + Moderate until the reward plateaus (same detector as
 * rl/curriculum.ts, as a TrainerCallback), then stage 2 on items the policy repeatedly fails
 * (Difficult first, replay share of solved items, more generations per prompt), re-mined
 * every remine_every steps. Settings come from grpo_config.json / sft_config.json (TRL
 * names) and recipe.json (the curriculum).
 */
export const TRAIN_GRPO_PY = String.raw`"""Run a Fleming Workbench recipe under TRL (written by Fleming Workbench, src/training/export).

usage: python train_grpo.py [MODEL] [--output-dir DIR]
  MODEL: a Hugging Face model id or folder (default: recipe.json "model")

Needs: pip install trl datasets transformers accelerate
"""
import argparse
import json
import os
import random

from datasets import load_dataset
from transformers import AutoModelForCausalLM, AutoTokenizer, TrainerCallback
from trl import GRPOConfig, GRPOTrainer, SFTConfig, SFTTrainer

from reward import _options, correctness_reward, format_reward, score

HERE = os.path.dirname(os.path.abspath(__file__))
TIER_RANK = {"difficult": 0, "moderate": 1, "easy": 2}


def load_json(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as fh:
        return json.load(fh)


def moving_average(xs, w):
    return [sum(xs[i - w + 1 : i + 1]) / w for i in range(w - 1, len(xs))]


def ls_slope(ys):
    n = len(ys)
    if n < 2:
        return 0.0
    mx, my = (n - 1) / 2, sum(ys) / n
    return sum((i - mx) * (y - my) for i, y in enumerate(ys)) / sum((i - mx) ** 2 for i in range(n))


def plateau(rewards, zero_std, c):
    """The app's detector (src/training/rl/curriculum.ts): None, or the reason it fired."""
    w = c["plateau_window"]
    if len(zero_std) >= w and sum(zero_std[-w:]) / w > c["plateau_zero_std"]:
        return "mean frac_reward_zero_std %.3f > %s over the last %d steps" % (sum(zero_std[-w:]) / w, c["plateau_zero_std"], w)
    if len(rewards) >= 2 * w - 1:
        slope = ls_slope(moving_average(rewards, w)[-w:])
        if slope < c["plateau_slope"]:
            return "reward moving average slope %.2e/step < %s over the last %d steps" % (slope, c["plateau_slope"], w)
    return None


class PlateauStop(TrainerCallback):
    """Stops stage 1 when the reward plateaus (needs logging_steps = 1)."""

    def __init__(self, curriculum):
        self.c, self.rewards, self.zero_std, self.reason = curriculum, [], [], None

    def on_log(self, args, state, control, logs=None, **kwargs):
        if not logs or "reward" not in logs:
            return
        self.rewards.append(logs["reward"])
        self.zero_std.append(logs.get("frac_reward_zero_std", 0.0))
        self.reason = plateau(self.rewards, self.zero_std, self.c)
        if self.reason:
            control.should_training_stop = True


def prompt_text(tok, prompt):
    if isinstance(prompt, str):
        return prompt
    return tok.apply_chat_template(prompt, tokenize=False, add_generation_prompt=True)


def mine(model, tok, rows, n, cfg):
    """Score the policy on every training item (n samples each) and rank the failures, Difficult first."""
    outcomes = []
    model.eval()
    for row in rows:
        enc = tok(prompt_text(tok, row["prompt"]), return_tensors="pt", add_special_tokens=isinstance(row["prompt"], str)).to(model.device)
        out = model.generate(**enc, do_sample=True, temperature=cfg["temperature"], top_p=cfg["top_p"], max_new_tokens=cfg["max_completion_length"], num_return_sequences=n, pad_token_id=tok.pad_token_id or tok.eos_token_id)
        texts = tok.batch_decode(out[:, enc["input_ids"].shape[1] :], skip_special_tokens=True)
        correct = sum(score(t, _options(row.get("options")), row["answer"])[0] for t in texts)
        outcomes.append((row, correct))
    model.train()
    failing = [(r, c) for r, c in outcomes if c < n]
    failing.sort(key=lambda rc: (TIER_RANK.get(rc[0]["difficulty"], 3), rc[1]))
    solved = [r for r, c in outcomes if c == n] or [r for r, c in outcomes if c > 0 and c / n >= 0.5]
    return [r for r, _ in failing], solved


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model", nargs="?")
    ap.add_argument("--output-dir", default="runs/fleming")
    args = ap.parse_args()
    recipe = load_json("recipe.json")
    cur = recipe["curriculum"]
    model_id = args.model or recipe["model"]
    tok = AutoTokenizer.from_pretrained(model_id)
    model = AutoModelForCausalLM.from_pretrained(model_id)
    data = lambda name: load_dataset("json", data_files=os.path.join(HERE, "data", name), split="train")
    rewards = [correctness_reward, format_reward]

    if os.path.exists(os.path.join(HERE, "data", "sft.jsonl")) and os.path.exists(os.path.join(HERE, "sft_config.json")):
        sft_args = SFTConfig(output_dir=os.path.join(args.output_dir, "sft"), **load_json("sft_config.json"))
        SFTTrainer(model=model, args=sft_args, train_dataset=data("sft.jsonl"), processing_class=tok).train()

    grpo = load_json("grpo_config.json")
    train = data("train.jsonl")
    stage1 = train.filter(lambda r: r["difficulty"] in cur["stage1_tiers"])
    stop = PlateauStop(cur)
    s1 = dict(grpo, max_steps=min(grpo["max_steps"], cur["stage1_max_steps"]), logging_steps=1)
    trainer = GRPOTrainer(model=model, reward_funcs=rewards, args=GRPOConfig(output_dir=os.path.join(args.output_dir, "stage1"), **s1), train_dataset=stage1, processing_class=tok, callbacks=[stop])
    trainer.train()
    print("stage 1 ended:", stop.reason or "stage1_max_steps reached")

    left = grpo["max_steps"] - trainer.state.global_step
    rows = list(train)
    rng = random.Random(recipe["seed"])
    s2 = dict(grpo, num_generations=cur["stage2_num_generations"], logging_steps=1)
    s2["per_device_train_batch_size"] = grpo["per_device_train_batch_size"] // grpo["num_generations"] * cur["stage2_num_generations"]
    round_ = 0
    while left > 0:
        mined, solved = mine(model, tok, rows, cur["mine_samples"], grpo)
        print("mined %d items (%d difficult), %d solved" % (len(mined), sum(r["difficulty"] == "difficult" for r in mined), len(solved)))
        if not mined:
            break
        steps = min(left, cur["remine_every"])
        need = steps * (s2["per_device_train_batch_size"] // s2["num_generations"])
        n_replay = int(round(need * cur["stage2_replay"])) if solved else 0
        picked = [mined[i % len(mined)] for i in range(need - n_replay)] + [rng.choice(solved) for _ in range(n_replay)]
        ds = train.from_list(picked)
        cfg = GRPOConfig(output_dir=os.path.join(args.output_dir, "stage2-%d" % round_), **dict(s2, max_steps=steps, shuffle_dataset=False))
        GRPOTrainer(model=model, reward_funcs=rewards, args=cfg, train_dataset=ds, processing_class=tok).train()
        left -= steps
        round_ += 1
    model.save_pretrained(os.path.join(args.output_dir, "final"))
    tok.save_pretrained(os.path.join(args.output_dir, "final"))


if __name__ == "__main__":
    main()
`;
