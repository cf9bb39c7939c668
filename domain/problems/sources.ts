/** Where problems come from (section 九 of the plan: 服务评价, 服务监控, 12345 热线, 省长信箱, …). */
export const PROBLEM_SOURCES: { code: string; name: string }[] = [
  { code: 'EVALUATION', name: '服务评价' },
  { code: 'MONITOR', name: '服务监控' },
  { code: 'HOTLINE_12345', name: '12345热线' },
  { code: 'GOVERNOR_MAILBOX', name: '省长信箱' },
  { code: 'CUSTOMER_SERVICE', name: '客服咨询' },
  { code: 'CANNOT_DO', name: '办不成事' },
  { code: 'WALKTHROUGH', name: '走流程' },
  { code: 'ONE_CLICK', name: '一键反馈' },
  { code: 'BUREAU', name: '省数据局' },
];
