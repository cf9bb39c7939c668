// 晾晒排名: 省直单位 and 市州 side by side, the score's five parts, rank and change against the
// previous digest, and — beside the score, not part of it — problems and returns compliance.
// The numbers are the digest's; the rules text below is the published one.
(function () {
  'use strict';
  const { api, esc, showError, clearError, qs } = Duban;
  const $ = (id) => document.getElementById(id);
  let period = ['week', 'month', 'plan'].includes(qs().get('period')) ? qs().get('period') : 'week';
  let current = null;

  const pct = (v) => (v === null || v === undefined ? '—' : v.toFixed(1) + '%');
  const pts = (v) => v.toFixed(1);

  function arrow(r) {
    if (!r.arrow) return '<span class="muted">—</span>';
    if (r.arrow === '↑') return `<span class="arrow-up" title="较上期上升 ${r.delta} 名">↑${r.delta}</span>`;
    if (r.arrow === '↓') return `<span class="arrow-down" title="较上期下降 ${-r.delta} 名">↓${-r.delta}</span>`;
    if (r.arrow === '新') return '<span class="muted" title="上期未参与排名">新</span>';
    return '<span class="muted" title="与上期持平">—</span>';
  }

  function problems(p) {
    if (!p) return '<td class="num muted">—</td><td class="num muted">—</td><td class="num muted">—</td>';
    return `<td class="num">${p.received}</td><td class="num">${pct(p.onTimeRate)}</td><td class="num${p.overdueOpen ? ' violation' : ''}" title="${p.overdueOpen ? `其中 ${p.overdueOpen} 件已超期` : ''}">${p.open}</td>`;
  }

  function returns(r) {
    if (!r) return '<td class="num muted">—</td>';
    const missing = r.missingAnnexes.length ? `未报：${r.missingAnnexes.map((a) => '附件' + a).join('、')}` : '';
    return `<td class="num" title="${esc(missing)}">${pct(r.compliance)}</td>`;
  }

  function group(g) {
    const w = current.weights;
    const part = (label, max) => `<th class="num">${label}<br><span class="muted small">${max}分</span></th>`;
    const head = '<thead><tr><th>名次</th><th>变化</th><th>单位</th><th class="num">得分<br><span class="muted small">100分</span></th>' +
      part('按时完成率', w.onTime) + part('完成率', w.completion) + part('逾期扣分', w.overdue) + part('响应速度', w.response) + part('审核退回', w.returns) +
      '<th class="num">纳入考核/办结</th><th class="num">本期办结</th>' +
      '<th class="num">问题数</th><th class="num">按期整改率</th><th class="num">未销号</th><th class="num">填报合规率</th></tr></thead>';
    const rows = g.rows.map((r) => `<tr data-unit="${esc(r.unitCode)}">
      <td class="rank">${r.rank}${r.tied ? '<span class="muted small">并列</span>' : ''}</td><td>${arrow(r)}</td>
      <td>${esc(r.unitName)}</td><td class="num score">${pts(r.score)}</td>
      <td class="num">${pts(r.parts.onTime)}</td><td class="num">${pts(r.parts.completion)}</td><td class="num">${pts(r.parts.overdue)}</td>
      <td class="num">${pts(r.parts.response)}</td><td class="num">${pts(r.parts.returns)}</td>
      <td class="num">${r.total}/${r.done}${r.overdueOpen ? `<br><span class="violation small">逾期 ${r.overdueOpen}</span>` : ''}</td><td class="num">${r.doneInPeriod}</td>
      ${problems(r.problems)}${returns(r.returns)}</tr>`).join('');
    const unranked = g.unranked.length
      ? `<p class="muted small">未参与排名（无纳入考核的督办单）：${g.unranked.map((u) => esc(u.unitName)).join('、')}</p>`
      : '';
    $(`group-${g.kind}`).innerHTML = `<h2>${esc(g.label)}排名 <span class="muted small">${g.rows.length} 个单位</span></h2>` +
      `<div class="table-wrap"><table class="rank-table">${head}<tbody>${rows || '<tr><td colspan="15" class="muted">暂无参与排名的单位</td></tr>'}</tbody></table></div>${unranked}`;
  }

  // The published rules are Markdown (a heading, one table, a list): render just that, escaped.
  function rules(md) {
    const out = [];
    let table = null;
    let list = null;
    const inline = (s) => esc(s).replace(/\*\*(.+?)\*\*/g, '<b>$1</b>');
    const flush = () => {
      if (table) out.push(`<div class="table-wrap"><table>${table.join('')}</table></div>`);
      if (list) out.push(`<ul>${list.join('')}</ul>`);
      table = null;
      list = null;
    };
    for (const line of md.split('\n')) {
      if (/^\|/.test(line)) {
        if (/^\|[\s|:-]+\|$/.test(line)) continue;
        const cells = line.split('|').slice(1, -1).map((c) => c.trim());
        const tag = table ? 'td' : 'th';
        table = table || [];
        table.push('<tr>' + cells.map((c) => `<${tag}>${inline(c)}</${tag}>`).join('') + '</tr>');
        continue;
      }
      if (/^- /.test(line)) {
        if (table) flush();
        list = list || [];
        list.push(`<li>${inline(line.slice(2))}</li>`);
        continue;
      }
      flush();
      if (/^#+ /.test(line)) out.push(`<h2>${inline(line.replace(/^#+ /, ''))}</h2>`);
      else if (line.trim()) out.push(`<p>${inline(line)}</p>`);
    }
    flush();
    return out.join('');
  }

  async function load() {
    clearError('ranking-error');
    document.querySelectorAll('[data-period]').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.period === period)));
    history.replaceState(null, '', `/ranking?period=${period}`);
    try {
      const r = await api(`/api/ranking?period=${period}`);
      current = r;
      const compare = r.period === 'plan' ? '不比较名次变化' : r.comparedWith ? `名次变化与上一期${r.period === 'week' ? '周报' : '月报'}（${r.comparedWith}）比较` : '尚无上一期通报，名次变化显示为“新”';
      $('ranking-note').textContent = `得分按截至 ${r.asOf} 的累计情况计算（与通报一致）；${compare}；“本期办结”“问题数”统计${r.periodLabel}。问题与填报情况不计入得分。`;
      r.groups.forEach(group);
      $('rules').innerHTML = rules(r.rulesMarkdown);
      document.body.dataset.loaded = 'true';
    } catch (e) {
      showError('ranking-error', e);
    }
  }

  async function start() {
    await Duban.shell('ranking');
    document.querySelectorAll('[data-period]').forEach((b) => b.addEventListener('click', () => {
      period = b.dataset.period;
      load();
    }));
    await load();
  }

  start().catch((e) => showError('ranking-error', e));
})();
