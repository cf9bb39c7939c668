/**
 * Grading (分级): how serious a reported problem is, from the bureau's rules. A rule matches when
 * every condition it sets holds (source, keyword in the description, repeats of the same service
 * within a window); the most severe matching rule wins, the first listed among equals. No match:
 * 一般 (GENERAL).
 *
 * Defaults for a provincial bureau (seeded into grading_rule when the table is empty):
 *   严重 SEVERE  — 媒体 / 舆情 / 群体 / 泄露 in the description (public exposure, collective
 *                 complaints, leaked personal data); the same service 10 times in 30 days.
 *   较重 SERIOUS — from 省长信箱 (the governor's mailbox is answered in the governor's name) or from
 *                 办不成事 (a citizen could not get the matter done at all); 无法办理 / 办不了 /
 *                 多次 / 反复 / 投诉 in the description; the same service 3 times in 7 days.
 *   一般 GENERAL — everything else.
 */
import { PROBLEM_SOURCES } from './sources.ts';
import { GRADE_LABELS, GRADE_ORDER, type GradeResult, type GradingRuleInput } from './types.ts';

export const DEFAULT_GRADING_RULES: Omit<GradingRuleInput, 'id'>[] = [
  { grade: 'SEVERE', sourceCode: null, keyword: '媒体', minRepeats: null, windowDays: null, note: '涉及媒体曝光' },
  { grade: 'SEVERE', sourceCode: null, keyword: '舆情', minRepeats: null, windowDays: null, note: '可能引发舆情' },
  { grade: 'SEVERE', sourceCode: null, keyword: '群体', minRepeats: null, windowDays: null, note: '群体性诉求' },
  { grade: 'SEVERE', sourceCode: null, keyword: '泄露', minRepeats: null, windowDays: null, note: '涉及个人信息泄露' },
  { grade: 'SEVERE', sourceCode: null, keyword: null, minRepeats: 10, windowDays: 30, note: '同一服务集中反映' },
  { grade: 'SERIOUS', sourceCode: 'GOVERNOR_MAILBOX', keyword: null, minRepeats: null, windowDays: null, note: '省长信箱来件' },
  { grade: 'SERIOUS', sourceCode: 'CANNOT_DO', keyword: null, minRepeats: null, windowDays: null, note: '“办不成事”反映' },
  { grade: 'SERIOUS', sourceCode: null, keyword: '无法办理', minRepeats: null, windowDays: null, note: '服务无法办理' },
  { grade: 'SERIOUS', sourceCode: null, keyword: '办不了', minRepeats: null, windowDays: null, note: '服务无法办理' },
  { grade: 'SERIOUS', sourceCode: null, keyword: '多次', minRepeats: null, windowDays: null, note: '多次反映未解决' },
  { grade: 'SERIOUS', sourceCode: null, keyword: '反复', minRepeats: null, windowDays: null, note: '反复出现' },
  { grade: 'SERIOUS', sourceCode: null, keyword: '投诉', minRepeats: null, windowDays: null, note: '群众投诉' },
  { grade: 'SERIOUS', sourceCode: null, keyword: null, minRepeats: 3, windowDays: 7, note: '同一服务短期重复反映' },
];

const sourceName = (code: string): string => PROBLEM_SOURCES.find((s) => s.code === code)?.name ?? code;

/** Keywords match ignoring spaces and full-/half-width differences (“１２３４５” = “12345”). */
const fold = (s: string): string => s.normalize('NFKC').replace(/[\s\u3000]+/g, '').toLowerCase();

/** The conditions of a rule that hold, in Chinese, or null when one fails (or none is set). */
function matchRule(
  rule: GradingRuleInput,
  p: { sourceCode: string; description: string },
  repeats: (windowDays: number) => number,
): string[] | null {
  const why: string[] = [];
  if (rule.sourceCode !== null) {
    if (rule.sourceCode !== p.sourceCode) return null;
    why.push(`来源为${sourceName(rule.sourceCode)}`);
  }
  if (rule.keyword !== null && rule.keyword.trim() !== '') {
    if (!fold(p.description).includes(fold(rule.keyword))) return null;
    why.push(`描述含「${rule.keyword.trim()}」`);
  }
  if (rule.minRepeats !== null && rule.windowDays !== null) {
    const n = repeats(rule.windowDays);
    if (n < rule.minRepeats) return null;
    why.push(`同一服务${rule.windowDays}天内已反映${n}次（≥${rule.minRepeats}次）`);
  }
  // A rule with no condition would grade everything; the bureau writes the default grade instead.
  return why.length > 0 ? why : null;
}

/**
 * The grade of a problem: the most severe rule that matches. `repeats(windowDays)` is the number
 * of problems about the same service reported within that many days, this one included.
 */
export function gradeProblem(
  p: { sourceCode: string; description: string },
  rules: GradingRuleInput[],
  repeats: (windowDays: number) => number,
): GradeResult {
  let best: { rule: GradingRuleInput; why: string[] } | null = null;
  for (const rule of rules) {
    if (best && GRADE_ORDER[rule.grade] <= GRADE_ORDER[best.rule.grade]) continue;
    const why = matchRule(rule, p, repeats);
    if (why) best = { rule, why };
  }
  if (!best) return { grade: 'GENERAL', reason: '未命中分级规则，按一般问题处理', ruleId: null };
  const { rule, why } = best;
  const note = rule.note ? `（${rule.note}）` : '';
  return {
    grade: rule.grade,
    reason: `${why.join('且')}${note}，定为${GRADE_LABELS[rule.grade]}问题`,
    ruleId: rule.id,
  };
}
