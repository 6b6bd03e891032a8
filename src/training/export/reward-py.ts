/**
 * The exported Python reward file: the app's rewards (task/reward.ts) rule for rule, standard
 * library only, for TRL's GRPOTrainer (`correctness_reward`, `format_reward`) and verl
 * (`compute_score`). scale-out.test.ts runs it with python3 on varied completions and
 * requires the same numbers as the app for every one.
 */
import { EOS_MARKERS } from '../task/reward';

export function rewardPy(weights: readonly [number, number]): string {
  const eos = EOS_MARKERS.map((m) => JSON.stringify(m)).join(', ');
  return String.raw`"""Rewards of a Fleming Workbench run, for TRL's GRPOTrainer and verl.

Written by Fleming Workbench (src/training/export/reward-py.ts). The rules are the app's own
(src/training/task/reward.ts), so a run here and a run under TRL score every completion alike:

- correctness: 1.0 when the LAST <answer>...</answer> names the gold option, by its letter
  ("B", "(B)", "B.", "b)") or by its text (case, spacing, **emphasis** and a final period
  ignored); a letter written with another option's text, or a text two options share, is 0.0.
- format: 1.0 when the completion is exactly one <think>...</think> (non-empty), optional
  whitespace, exactly one <answer>...</answer> (non-empty), then nothing but whitespace and
  end-of-sequence markers; else 0.0 (no partial credit).
- no length term.

Standard library only. Run "python3 reward.py FILE.jsonl" to score lines of
{"completion", "options", "answer"} and print {"correctness", "format", "reward", "chosen"} per line.
"""
import json
import re
import sys

# reward = REWARD_WEIGHTS[0] * correctness + REWARD_WEIGHTS[1] * format (GRPOConfig.reward_weights)
REWARD_WEIGHTS = (${weights[0]}, ${weights[1]})

# explicit whitespace: space, tab, LF, CR, FF, VT, no-break space (the app's definition)
WHITESPACE = " \t\n\r\f\v\u00a0"
_WS_RUN = re.compile("[ \t\n\r\f\v\u00a0]+")
EOS_MARKERS = (${eos})
_ANSWER = re.compile(r"<answer>(.*?)</answer>", re.S)
_LETTER_ONLY = re.compile(r"\(?([a-j])\)?:?")
_LETTER_AND_TEXT = re.compile(r"(?:\(([a-j])\)|([a-j])[.:)])[ ]*(.+)", re.S)


def strip_eos(text):
    t = text.rstrip(WHITESPACE)
    while True:
        for m in EOS_MARKERS:
            if t.endswith(m):
                t = t[: len(t) - len(m)].rstrip(WHITESPACE)
                break
        else:
            return t


def format_ok(completion):
    t = strip_eos(completion).lstrip(WHITESPACE)
    for tag in ("<think>", "</think>", "<answer>", "</answer>"):
        if t.count(tag) != 1:
            return False
    if not t.startswith("<think>") or not t.endswith("</answer>"):
        return False
    tc = t.index("</think>")
    ao = t.index("<answer>")
    if ao < tc:
        return False
    if t[tc + len("</think>") : ao].strip(WHITESPACE) != "":
        return False
    if t[len("<think>") : tc].strip(WHITESPACE) == "":
        return False
    if t[ao + len("<answer>") : len(t) - len("</answer>")].strip(WHITESPACE) == "":
        return False
    return True


def extract_answer_text(completion):
    found = _ANSWER.findall(completion)
    return found[-1] if found else None


def normalize_answer(s):
    s = _WS_RUN.sub(" ", s.lower())
    return s.lstrip(' *"` + "`" + String.raw`').rstrip(' *"` + "`" + String.raw`.')


def resolve_answer(answer, options):
    """The option letter an answer names, or None."""
    if answer is None:
        return None
    a = normalize_answer(answer)
    if a == "":
        return None
    by_text = [letter for letter in options if normalize_answer(options[letter]) == a]
    if len(by_text) == 1:
        return by_text[0]
    if len(by_text) > 1:
        return None
    m = _LETTER_ONLY.fullmatch(a)
    if m:
        letter = m.group(1).upper()
        return letter if letter in options else None
    m = _LETTER_AND_TEXT.fullmatch(a)
    if m:
        letter = (m.group(1) or m.group(2)).upper()
        return letter if letter in options and normalize_answer(options[letter]) == m.group(3) else None
    return None


def _text(completion):
    """TRL passes plain strings, or (conversational) a list of message dicts."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, dict):
        return completion.get("content") or ""
    if isinstance(completion, (list, tuple)):
        return "".join(_text(m) for m in completion)
    return str(completion)


def _options(value):
    """Options as the dataset holds them: a dict (missing letters None), a JSON string, or a list."""
    if value is None:
        return {}
    if isinstance(value, str):
        value = json.loads(value)
    if isinstance(value, (list, tuple)):
        return {chr(65 + i): v for i, v in enumerate(value) if v is not None}
    return {k: v for k, v in dict(value).items() if v is not None}


def score(completion, options, gold):
    """(correctness, format, chosen letter) of one completion"""
    text = _text(completion)
    chosen = resolve_answer(extract_answer_text(text), options)
    return (1.0 if chosen == gold else 0.0, 1.0 if format_ok(text) else 0.0, chosen)


def correctness_reward(completions, answer, options=None, answer_text=None, **kwargs):
    """TRL reward function: 1.0 when the completion names the gold option (the "answer" column, a letter)."""
    out = []
    for i, completion in enumerate(completions):
        opts = _options(options[i]) if options is not None else {}
        if not opts and answer_text is not None:
            # without the options column only the gold option's text is known
            opts = {answer[i]: answer_text[i]}
        out.append(score(completion, opts, answer[i])[0])
    return out


def format_reward(completions, **kwargs):
    """TRL reward function: 1.0 when the completion keeps the <think>...</think><answer>...</answer> format."""
    return [1.0 if format_ok(_text(c)) else 0.0 for c in completions]


def compute_score(data_source, solution_str, ground_truth, extra_info=None):
    """verl custom reward function: the weighted sum, options from extra_info when present."""
    extra = extra_info or {}
    opts = _options(extra.get("options"))
    if not opts and extra.get("answer_text") is not None:
        opts = {ground_truth: extra["answer_text"]}
    c, f, _ = score(solution_str, opts, ground_truth)
    return REWARD_WEIGHTS[0] * c + REWARD_WEIGHTS[1] * f


def _main(path):
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            c, f, chosen = score(row["completion"], _options(row.get("options")), row["answer"])
            print(json.dumps({"correctness": c, "format": f, "reward": REWARD_WEIGHTS[0] * c + REWARD_WEIGHTS[1] * f, "chosen": chosen}))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python3 reward.py FILE.jsonl  (lines of {\"completion\", \"options\", \"answer\"})")
    _main(sys.argv[1])
`;
}
