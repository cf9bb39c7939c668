/** The templates are the plan's annex tables: every printed header, in the printed order. */
import { describe, expect, it } from 'vitest';
import { splitSections } from '../../../domain/plan/table.ts';
import { compactText } from '../../../domain/returns/cells.ts';
import { TEMPLATES, type AnnexNo } from '../../../domain/returns/templates.ts';
import { seedText } from '../plan/fixtures.ts';

describe('return templates', () => {
  const sections = splitSections(seedText());
  it.each([1, 5, 6] as AnnexNo[])('附件%i has the columns printed in the plan, in order', (annex) => {
    const table = sections.find((s) => s.annex === annex)?.table;
    expect(table).toBeTruthy();
    const printed = table!.header.map(compactText);
    expect(TEMPLATES[annex].columns.map((c) => compactText(c.header))).toEqual(printed);
  });

  it('names the printed title of each annex', () => {
    for (const annex of [5, 6] as AnnexNo[]) {
      const s = sections.find((x) => x.annex === annex)!;
      expect(s.title).toContain(TEMPLATES[annex].printedTitle);
    }
    expect(sections.find((x) => x.annex === 1)!.title.startsWith(TEMPLATES[1].printedTitle)).toBe(true);
    expect(TEMPLATES[5].title).toBe('附件5 服务上线计划表');
  });

  it('checks 附件5 against the 附件3 list and 附件6 against the 附件4 list', () => {
    expect([TEMPLATES[1].catalogueAnnex, TEMPLATES[5].catalogueAnnex, TEMPLATES[6].catalogueAnnex]).toEqual([null, 3, 4]);
  });
});
