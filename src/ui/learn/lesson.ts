/**
 * The words of the Learn GRPO classroom: a plain explanation per control, the guided lesson
 * (about five minutes, one idea per step, each step setting the controls it talks about), and
 * what the Fleming-R1 paper does for each control, quoted from the paper (§3.3, eqs. 1–3).
 * Pure data: the view renders it, tests check it stays consistent with the controls.
 */
import type { LossType, ScaleRewards } from '../../gpu/kernels/grpo-cpu';
import type { ClassroomSettings } from './grpo-step';

export type ControlId = 'loss_type' | 'scale_rewards' | 'beta' | 'epsilon' | 'num_generations' | 'reward';

export const CONTROL_HELP: Record<ControlId, string> = {
  loss_type:
    'How the per-token terms are averaged into one loss. grpo: mean over each completion, then over the group (a short completion’s tokens weigh more). dapo: every token of the batch weighs the same. dr_grpo: divide by a constant (G × max_completion_length), so length changes nothing. paper: Fleming-R1’s eq. (1), −A·log π of the whole completion, no ratio or clip.',
  scale_rewards:
    'What the reward minus the group mean is divided by. group: the group’s standard deviation (so an almost-all-right group gets big advantages). none: nothing, the paper’s eq. (2) A = r − mean. batch: one std over the whole batch.',
  beta:
    'Weight of a KL penalty that pulls the policy back toward a frozen reference copy. 0 (TRL’s default now) means no pull and no reference model needed.',
  epsilon:
    'Trust region of the clip: once a token’s probability ratio π_new/π_old has moved past 1 ± ε in the direction the advantage wants, its gradient is switched off for this batch of rollouts.',
  num_generations: 'G, how many completions are sampled per prompt. The group mean is the baseline, so a bigger group gives a steadier baseline and more chances that someone gets it right.',
  reward: 'Reward = correctness of the extracted <answer> + weight × format (<think>…</think><answer>…</answer>). Nothing else: no length term.',
};

/** Explanations the view shows next to the numbers when they apply. */
export const INSIGHTS = {
  lossNearZero:
    'On-policy the ratio π_θ/π_old is exactly 1, so each completion’s term is just −A_i, and the advantages of a group add up to 0 (they are measured from the group mean): the loss is ≈ 0. Its gradient is not: ∂loss/∂log π of each token is −A_i × its weight, positive for losers and negative for winners, so the step still moves the model.',
  stdScaling:
    'Dividing by the group’s std makes every group’s advantages about the same size. A prompt the model nearly always gets right (std small) then pushes as hard as an informative one: easy and very hard prompts get extra weight. scale_rewards="none" (the paper’s eq. 2, and Dr. GRPO) keeps the raw differences.',
  allEqual:
    'All G rewards are equal, so every advantage is 0 and this group contributes no gradient (only the KL pull when β > 0). TRL counts such groups in frac_reward_zero_std. When most groups look like this the reward is “sparse” — the paper’s signal to leave stage 1.',
  clip:
    'After one step on these same rollouts the ratios are no longer 1. Tokens whose ratio went past 1+ε (advantage > 0) or below 1−ε (advantage < 0) are clipped: their gradient is 0, so repeated steps on old rollouts cannot push the policy too far.',
  paperLoss:
    'The paper’s eq. (1) has no ratio and no clip: −(1/k)·Σ A_i·log π_θ(y_i|x). Its gradient equals GRPO’s on-policy gradient up to how tokens are weighted, but its loss value is not ≈ 0: it includes the log-probabilities themselves.',
};

export interface LessonStep {
  id: string;
  title: string;
  /** what to look at, two or three sentences */
  body: string;
  /** controls this step sets (the rest stay as the teacher left them) */
  set?: Partial<ClassroomSettings>;
  /** what the step asks the presenter to do */
  action?: 'sample' | 'step' | 'equalise' | null;
  /** the part of the screen to highlight */
  focus: 'completions' | 'numberline' | 'tokens' | 'loss' | 'shift' | 'controls' | 'paper';
}

export const LESSON: LessonStep[] = [
  {
    id: 'group',
    title: '1 · One question, G answers',
    body: 'The model answers the same question G times by sampling. Each answer gets a reward you can check: 1 if the letter in <answer> is right, plus a little for following the format. Nobody says which reasoning was good — only which answers scored.',
    set: { loss_type: 'grpo', scale_rewards: 'none', beta: 0 },
    action: 'sample',
    focus: 'completions',
  },
  {
    id: 'baseline',
    title: '2 · The group is its own baseline',
    body: 'On the number line: each reward, and their mean. The advantage of an answer is its reward minus the mean (the paper’s eq. 2). Better than the group → positive, worse → negative. No value network is needed: the group is the critic.',
    set: { scale_rewards: 'none' },
    focus: 'numberline',
  },
  {
    id: 'std',
    title: '3 · Divide by the spread?',
    body: 'Switch scale_rewards to “group”: advantages are divided by the group’s standard deviation. Compare an almost-solved question with a half-solved one in the table: the rare wrong answer of an easy question now counts as much as anything.',
    set: { scale_rewards: 'group' },
    focus: 'controls',
  },
  {
    id: 'tokens',
    title: '4 · Which tokens get pushed',
    body: 'Every token of an answer shares its advantage. Green tokens will become more likely after the step, red ones less; the stronger the colour, the bigger ∂loss/∂log π. Switch loss_type: grpo averages per answer, dapo per token, dr_grpo by a constant — watch the shading of short and long answers change.',
    focus: 'tokens',
  },
  {
    id: 'zero-loss',
    title: '5 · A loss of zero that still teaches',
    body: 'The loss shown is ≈ 0. That is not a bug: right after sampling, the ratio π_new/π_old is 1 and the advantages cancel out. The gradient does not cancel — it is what the Step uses.',
    set: { loss_type: 'grpo' },
    focus: 'loss',
  },
  {
    id: 'step',
    title: '6 · Press Step',
    body: 'One optimizer update with exactly these numbers. Then each answer’s log-probability is measured again: answers with positive advantage went up, negative ones went down.',
    action: 'step',
    focus: 'shift',
  },
  {
    id: 'clip',
    title: '7 · Step again: the clip',
    body: 'Same rollouts, a second update (num_iterations = 2). Now ratios differ from 1; tokens already moved past 1 ± ε in the advantage’s direction are clipped (outlined) and stop pulling. Try ε = 0.05 and ε = 0.5.',
    set: { epsilon: 0.2, epsilon_high: 0.2 },
    action: 'step',
    focus: 'tokens',
  },
  {
    id: 'equal',
    title: '8 · When everyone agrees',
    body: 'Make all answers score the same: every advantage becomes 0 and nothing is learned from this question. When most questions look like this, the reward has gone sparse — Fleming-R1 then moves to stage 2: it mines the questions the model keeps failing and samples more answers per question.',
    action: 'equalise',
    focus: 'numberline',
  },
  {
    id: 'paper',
    title: '9 · What Fleming-R1 chose',
    body: 'The paper’s loss is eq. (1): no ratio, no clip, no KL term, advantage = reward − group mean. Switch loss_type to “paper” and scale_rewards to “none” to train exactly that. The panel on the right maps every control to the paper.',
    set: { loss_type: 'paper', scale_rewards: 'none', beta: 0 },
    focus: 'paper',
  },
];

export interface PaperChoice {
  control: string;
  ours: string;
  paper: string;
  /** the paper's words, verbatim, with where they are */
  quote?: { text: string; where: string };
}

export const PAPER_CHOICES: PaperChoice[] = [
  {
    control: 'loss_type',
    ours: 'grpo · dapo · dr_grpo · bnpo · cispo (TRL) or paper',
    paper: '“paper”: −(1/k)·Σᵢ log π_θ(yᵢ|x)·A(x, yᵢ), no importance ratio and no clip',
    quote: { text: 'L_GRPO = −E_{x∼D, {yᵢ}ᵢ₌₁ᵏ∼π_θ(·|x)} [ (1/k) Σᵢ₌₁ᵏ log π_θ(yᵢ|x) · A(x, yᵢ) ]', where: '§3.3, eq. (1)' },
  },
  {
    control: 'scale_rewards',
    ours: 'group · batch · none',
    paper: '“none”: the advantage is the reward minus the group mean, not divided by a std',
    quote: { text: 'A(x, yᵢ) = r(x, yᵢ) − r̄_G(x), with r̄_G(x) = (1/k) Σⱼ₌₁ᵏ r(x, yⱼ)', where: '§3.3, eqs. (2)–(3)' },
  },
  {
    control: 'num_generations (G)',
    ours: 'G per prompt; stage 2 raises it (stage2_num_generations)',
    paper: 'k candidates per input; more rollouts in stage 2. The paper gives no value for k.',
    quote: { text: 'Furthermore, we increase the number of rollouts during on-policy training to encourage broader exploration.', where: '§3.3' },
  },
  {
    control: 'beta (KL)',
    ours: '0 by default (TRL’s default), a reference copy when > 0',
    paper: 'No KL term: eq. (1) has none and the paper does not mention one.',
  },
  {
    control: 'epsilon (clip)',
    ours: '0.2 (TRL’s default)',
    paper: 'No clipping: eq. (1) has no ratio to clip. The paper does not mention ε.',
  },
  {
    control: 'reward',
    ours: 'correctness + weight × format, no length term',
    paper: 'Correctness and format only.',
    quote: {
      text: 'our reward scheme is deliberately restricted to two criteria: correctness of the final answer and adherence to the required reasoning format. We deliberately exclude all other potential confounding factors—e.g., response length—from influencing the reward signal.',
      where: '§3.3',
    },
  },
  {
    control: 'curriculum',
    ours: 'stage 1 on Easy + Moderate until a plateau (flat reward or high frac_reward_zero_std); stage 2 mines repeated failures, Difficult first, re-mining every N steps',
    paper: 'Two phases: Easy + Moderate until reward sparsity, then adaptive hard-sample mining over the full set.',
    quote: {
      text: 'Once the model’s performance plateaus—signaled by the emergence of reward sparsity—we transition to the second phase […] the model is evaluated across the full dataset, and its repeated failures—particularly on Difficult questions requiring multi-step inference or specialized knowledge—are identified as high-priority training samples.',
      where: '§3.3',
    },
  },
];

export const LOSS_TYPE_CHOICES: readonly LossType[] = ['grpo', 'dapo', 'dr_grpo', 'bnpo', 'paper', 'cispo'];
export const SCALE_CHOICES: readonly ScaleRewards[] = ['group', 'none', 'batch'];
