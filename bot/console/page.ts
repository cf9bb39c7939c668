/** Server-rendered console home page (Chinese, no client script). Every value is escaped. */
import { STATUS_LABELS, type Summary } from './read-model.ts';

export function esc(v: unknown): string {
  return String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const LIGHTS = { GREEN: '🟢', YELLOW: '🟡', RED: '🔴' } as const;

interface HomeView {
  summary: Summary;
  today: string;
  outbox: { total: number; rows: { id: number; kind: string; target: string; platform: string; createdAt: Date }[] };
  tickets: { total: number; rows: { id: number; title: string; status: string; due: string; progress: number; light: 'GREEN' | 'YELLOW' | 'RED'; unit: { name: string } }[] };
}

export function renderHome(v: HomeView): string {
  const s = v.summary;
  const statusCells = Object.entries(STATUS_LABELS)
    .map(([k, label]) => `<div class="stat"><b>${s.ticketsByStatus[k] ?? 0}</b><span>${label}</span></div>`)
    .join('');
  const plan = s.plan
    ? `<h2>${esc(s.plan.title)}</h2><p class="muted">${esc(s.plan.docNo)} · 重点任务 ${s.plan.tasks} 项 · 节点 ${s.plan.milestones} 个</p>`
    : '<h2>尚未导入方案</h2><p class="muted">运行 <code>duban plan load 文件</code> 导入工作方案。</p>';
  const outboxRows = v.outbox.rows
    .map((r) => `<tr><td>${r.id}</td><td>${esc(r.kind)}</td><td>${esc(r.target)}</td><td>${esc(r.platform)}</td></tr>`)
    .join('');
  const ticketRows = v.tickets.rows
    .map((t) => `<tr><td>#${t.id}</td><td>${esc(t.unit.name)}</td><td>${esc(t.title)}</td><td>${LIGHTS[t.light]} ${esc(t.due)}</td><td>${esc(STATUS_LABELS[t.status] ?? t.status)}</td><td>${t.progress}%</td></tr>`)
    .join('');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>督办 · 控制台</title>
<style>
@font-face{font-family:"DubanCJK";src:url(/fonts/duban-cjk.otf) format("opentype");font-display:swap}
body{font-family:system-ui,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei","DubanCJK",sans-serif;margin:0;background:#f5f6f8;color:#1f2329}
header{background:#1f4e8c;color:#fff;padding:12px 20px}main{padding:16px 20px;max-width:1100px;margin:auto}
.stats{display:flex;gap:12px;flex-wrap:wrap}.stat{background:#fff;border-radius:8px;padding:10px 16px;min-width:90px}
.stat b{display:block;font-size:22px}.stat span{color:#646a73;font-size:13px}.muted{color:#646a73}
table{width:100%;border-collapse:collapse;background:#fff;border-radius:8px;overflow:hidden;font-size:14px}
th,td{padding:6px 10px;border-bottom:1px solid #eee;text-align:left;vertical-align:top}th{background:#fafafa}
section{margin:20px 0}code{background:#eef;padding:1px 4px;border-radius:4px}
</style></head><body>
<header><strong>督办</strong> · 控制台（今天 ${esc(v.today)}）</header>
<main>
${plan}
<section><div class="stats">${statusCells}<div class="stat"><b>${s.overdue}</b><span>已逾期</span></div>
<div class="stat"><b>${s.outbox.PENDING ?? 0}</b><span>待发送消息</span></div></div></section>
<section><h3>督办单（共 ${v.tickets.total} 件，按办结时限排序，前 ${v.tickets.rows.length} 件）</h3>
<table><thead><tr><th>编号</th><th>承办单位</th><th>事项</th><th>时限</th><th>状态</th><th>进度</th></tr></thead><tbody>${ticketRows}</tbody></table></section>
<section><h3>待发送消息（共 ${v.outbox.total} 条，前 ${v.outbox.rows.length} 条）</h3>
<p class="muted">控制台适配器将待发送的卡片保存在发件箱中；接入企业微信、钉钉后由投递进程发送。</p>
<table><thead><tr><th>编号</th><th>类型</th><th>接收方</th><th>平台</th></tr></thead><tbody>${outboxRows}</tbody></table></section>
<p class="muted">接口：<code>/api/summary</code> · <code>/api/tickets?unit=&amp;status=&amp;limit=&amp;offset=</code> · <code>/api/outbox</code> · <code>/healthz</code></p>
</main></body></html>`;
}
