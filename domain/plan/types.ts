/** Structured form of a work-plan document, as printed by `duban plan parse FILE --json`. */

/** A calendar date in Asia/Shanghai, `YYYY-MM-DD`. */
export type ISODate = string;

export type UnitKind = 'PROVINCIAL' | 'CITY' | 'BUREAU';

export interface PlanUnit {
  /** Stable ASCII code, e.g. `bureau`, `p-gongan`, `c-changsha`. Never changes once published. */
  code: string;
  /** Canonical Chinese name, e.g. 省公安厅. */
  name: string;
  kind: UnitKind;
  /** Other names seen in documents, e.g. 湖南日报 for 湖南日报社. */
  aliases: string[];
  /** False for units that are not part of the collective phrase 省直各单位 (e.g. 湘江新区管委会行政审批局). */
  collective: boolean;
}

export interface PlanMilestone {
  due: ISODate;
  /** The clause of the task text that carries this deadline. */
  text: string;
  /** Units that act on this milestone (those the clause names, else the task's responsible units). */
  units: string[];
  /** Collective phrases in this clause that could not be resolved without a decision. */
  unresolved: string[];
}

export interface PlanTask {
  /** Sequence number as printed (the seed skips 22). */
  seq: number;
  category: string;
  content: string;
  /** Final due date from the completion column, null for 持续. */
  due: ISODate | null;
  recurring: boolean;
  milestones: PlanMilestone[];
  sla: { workdays: number } | null;
  responsible: { text: string; units: string[]; unresolved: string[] };
}

export interface PlanServiceList {
  unit: string;
  /** 3 = 附件3 高频服务清单, 4 = 附件4 适老、适残高频服务清单. */
  annex: 3 | 4;
  services: string[];
}

export interface ParsedPlan {
  plan: { title: string; docNo: string; year: number };
  tasks: PlanTask[];
  units: PlanUnit[];
  services: PlanServiceList[];
}
