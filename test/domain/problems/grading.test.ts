import { describe, expect, it } from 'vitest';
import { DEFAULT_GRADING_RULES, gradeProblem } from '../../../domain/problems/grading.ts';
import type { GradingRuleInput } from '../../../domain/problems/types.ts';

const defaults: GradingRuleInput[] = DEFAULT_GRADING_RULES.map((r, i) => ({ ...r, id: i + 1 }));
const none = (): number => 1;
const counts =
  (byWindow: Record<number, number>) =>
  (w: number): number =>
    byWindow[w] ?? 1;

describe('gradeProblem with the default rules', () => {
  it('grades an ordinary report 一般 and says no rule matched', () => {
    const g = gradeProblem({ sourceCode: 'EVALUATION', description: '页面加载有点慢' }, defaults, none);
    expect(g).toEqual({ grade: 'GENERAL', reason: '未命中分级规则，按一般问题处理', ruleId: null });
  });

  it('grades a letter to 省长信箱 较重, naming the source', () => {
    const g = gradeProblem({ sourceCode: 'GOVERNOR_MAILBOX', description: '公积金提取到账慢' }, defaults, none);
    expect(g.grade).toBe('SERIOUS');
    expect(g.reason).toBe('来源为省长信箱（省长信箱来件），定为较重问题');
    expect(g.ruleId).toBe(defaults.find((r) => r.sourceCode === 'GOVERNOR_MAILBOX')!.id);
  });

  it.each([
    ['无法办理', '系统提示无法办理，换了三个浏览器', 'SERIOUS'],
    ['多次', '已多次反映没有人处理', 'SERIOUS'],
    ['投诉', '我要投诉这个服务', 'SERIOUS'],
    ['媒体', '已经有媒体来采访这个事情', 'SEVERE'],
    ['群体', '小区业主群体反映不动产证办不下来', 'SEVERE'],
    ['泄露', '办理后个人信息被泄露，接到诈骗电话', 'SEVERE'],
  ])('keyword 「%s」 in the description grades %s', (keyword, description, grade) => {
    const g = gradeProblem({ sourceCode: 'HOTLINE_12345', description }, defaults, none);
    expect(g.grade).toBe(grade);
    expect(g.reason).toContain(`描述含「${keyword}」`);
  });

  it('matches keywords across full-width characters and spaces', () => {
    const g = gradeProblem({ sourceCode: 'EVALUATION', description: '无法 办理' }, defaults, none);
    expect(g.grade).toBe('SERIOUS');
  });

  it('the most severe matching rule wins over an earlier, milder one', () => {
    const g = gradeProblem({ sourceCode: 'GOVERNOR_MAILBOX', description: '多次投诉无果，准备找媒体' }, defaults, none);
    expect(g.grade).toBe('SEVERE');
    expect(g.reason).toContain('描述含「媒体」');
  });

  it('3 reports of a service within 7 days grade 较重, 10 within 30 days 严重', () => {
    const p = { sourceCode: 'EVALUATION', description: '提交后没反应' };
    expect(gradeProblem(p, defaults, counts({ 7: 2, 30: 2 })).grade).toBe('GENERAL');
    const serious = gradeProblem(p, defaults, counts({ 7: 3, 30: 3 }));
    expect(serious.grade).toBe('SERIOUS');
    expect(serious.reason).toBe('同一服务7天内已反映3次（≥3次）（同一服务短期重复反映），定为较重问题');
    const severe = gradeProblem(p, defaults, counts({ 7: 4, 30: 10 }));
    expect(severe.grade).toBe('SEVERE');
    expect(severe.reason).toContain('同一服务30天内已反映10次（≥10次）');
  });
});

describe('gradeProblem with the bureau’s own rules', () => {
  const rule = (r: Partial<GradingRuleInput> & Pick<GradingRuleInput, 'grade'>): GradingRuleInput => ({
    id: null,
    sourceCode: null,
    keyword: null,
    minRepeats: null,
    windowDays: null,
    note: null,
    ...r,
  });

  it('requires every condition of a rule (source and keyword)', () => {
    const rules = [rule({ id: 7, grade: 'SEVERE', sourceCode: 'HOTLINE_12345', keyword: '老人' })];
    expect(gradeProblem({ sourceCode: 'HOTLINE_12345', description: '老人办不了' }, rules, none).grade).toBe('SEVERE');
    expect(gradeProblem({ sourceCode: 'EVALUATION', description: '老人办不了' }, rules, none).grade).toBe('GENERAL');
    expect(gradeProblem({ sourceCode: 'HOTLINE_12345', description: '年轻人办不了' }, rules, none).grade).toBe('GENERAL');
    expect(gradeProblem({ sourceCode: 'HOTLINE_12345', description: '老人办不了' }, rules, none)).toEqual({
      grade: 'SEVERE',
      reason: '来源为12345热线且描述含「老人」，定为严重问题',
      ruleId: 7,
    });
  });

  it('ignores a rule without any condition rather than grading everything', () => {
    const rules = [rule({ id: 1, grade: 'SEVERE' })];
    expect(gradeProblem({ sourceCode: 'EVALUATION', description: 'x' }, rules, none).grade).toBe('GENERAL');
  });

  it('among equally severe rules the first listed gives the reason', () => {
    const rules = [rule({ id: 1, grade: 'SERIOUS', keyword: '慢' }), rule({ id: 2, grade: 'SERIOUS', keyword: '卡' })];
    expect(gradeProblem({ sourceCode: 'EVALUATION', description: '又慢又卡' }, rules, none).ruleId).toBe(1);
  });

  it('asks for repeat counts only for the windows the rules use', () => {
    const asked: number[] = [];
    const rules = [rule({ grade: 'SERIOUS', minRepeats: 5, windowDays: 14 })];
    gradeProblem({ sourceCode: 'EVALUATION', description: 'x' }, rules, (w) => (asked.push(w), 1));
    expect(asked).toEqual([14]);
  });
});
