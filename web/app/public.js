// The public 晾晒 view: counts per unit only, no sign-in. Deliberately does not load common.js
// (which asks who is signed in); the figures come from GET /api/public/problems.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const esc = (v) => String(v == null ? '' : v).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  const fmt = (n) => Number(n).toLocaleString('zh-CN');
  const pct = (r) => (r === null ? '—' : r.toFixed(1) + '%');

  function table(id, part) {
    const rows = part.units.map((u) =>
      `<tr><td>${esc(u.unitName)}</td><td class="num">${fmt(u.received)}</td><td class="num">${fmt(u.closed)}</td><td class="num">${pct(u.onTimeRate)}</td>` +
      `<td class="num">${fmt(u.open)}</td><td class="num${u.overdue ? ' violation' : ''}">${fmt(u.overdue)}</td></tr>`).join('');
    const t = part.totals;
    $(id).innerHTML = '<thead><tr><th>单位</th><th class="num">受理</th><th class="num">销号</th><th class="num">按时整改率</th><th class="num">未销号</th><th class="num">逾期</th></tr></thead>' +
      `<tbody>${rows || '<tr><td colspan="6" class="muted">暂无单位</td></tr>'}</tbody>` +
      `<tfoot><tr><th>合计</th><th class="num">${fmt(t.received)}</th><th class="num">${fmt(t.closed)}</th><th class="num">${pct(t.onTimeRate)}</th><th class="num">${fmt(t.open)}</th><th class="num">${fmt(t.overdue)}</th></tr></tfoot>`;
  }

  function stat(value, label) {
    return `<div class="stat"><b>${esc(value)}</b><span>${esc(label)}</span></div>`;
  }

  async function load() {
    const period = $('period').value;
    history.replaceState(null, '', period === 'month' ? '/public/problems' : `/public/problems?period=${encodeURIComponent(period)}`);
    $('public-error').hidden = true;
    try {
      const res = await fetch('/api/public/problems?period=' + encodeURIComponent(period));
      const d = await res.json();
      if (!res.ok) throw new Error(d.message || '加载失败');
      const span = d.period.start ? `${d.period.start} 至 ${d.period.end}` : `截至 ${d.period.end}`;
      $('public-line').textContent = `统计期间：${d.period.label}（${span}）；未销号、逾期为 ${d.asOf} 当前数。`;
      const t = d.totals;
      $('public-totals').innerHTML = [stat(fmt(t.received), '受理'), stat(fmt(t.closed), '销号'), stat(pct(t.onTimeRate), '按时整改率'), stat(fmt(t.open), '未销号'), stat(fmt(t.overdue), '逾期')].join('');
      table('table-provincial', d.provincial);
      table('table-city', d.city);
      $('public-rules').textContent = d.rules;
    } catch (e) {
      $('public-error').hidden = false;
      $('public-error').textContent = e.message;
    }
  }

  const p = new URLSearchParams(location.search).get('period');
  if (p && ['week', 'month', 'year', 'all'].includes(p)) $('period').value = p;
  $('period').addEventListener('change', load);
  load();
})();
