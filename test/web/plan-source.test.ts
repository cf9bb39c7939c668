/** Finding a task's paragraph in the plan's source text (the review page highlights it). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SEED_PLAN_FILE } from '../../bot/config.ts';
import { parsePlan } from '../../domain/plan/parse.ts';
import { locateAll, locateContent, splitLines } from '../../web/server/read/plan-source.ts';

describe('task paragraphs in the source text', () => {
  it('places every task of the 2026 plan on the table line that begins its content, none on another task’s', () => {
    const text = readFileSync(SEED_PLAN_FILE, 'utf8');
    const plan = parsePlan(text);
    const lines = splitLines(text);
    const anchors = locateAll(lines, plan.tasks.map((t) => ({ id: String(t.seq), content: t.content })));
    expect(Object.keys(anchors)).toHaveLength(plan.tasks.length);
    for (const t of plan.tasks) {
      const line = lines[anchors[String(t.seq)]!.from]!.replace(/\s/g, '');
      expect(line.slice(0, 20)).toBe(t.content.replace(/\s/g, '').slice(0, 20));
    }
    // Tasks 2, 4, 8 and 25 all begin "2026年7月底前，省数据局…": each still finds its own line.
    expect(new Set(Object.values(anchors).map((a) => a.from)).size).toBe(plan.tasks.length);
  });

  it('spans a cell split over lines, ignoring marks, and stops at the next cell', () => {
    const lines = ['\t7', '\t2026年4月底前，省数据局下发不少于100项', '', '\t高频政务服务[bookmark: _x]事项清单；', '\t2026年12月', '\t省数据局'];
    expect(locateContent(lines, '2026年4月底前，省数据局下发不少于100项高频政务服务事项清单；')).toEqual({ from: 1, to: 3 });
  });

  it('falls back to a line that contains the content’s start, and finds nothing for text that is not there', () => {
    const lines = ['正文：（三）2026年7月底前，省数据局根据企业开办梳理下发清单。'];
    expect(locateContent(lines, '2026年7月底前，省数据局根据企业开办梳理下发清单。')).toEqual({ from: 0, to: 0 });
    expect(locateContent(lines, '完全不在原文中的一段任务内容')).toBeNull();
  });
});
