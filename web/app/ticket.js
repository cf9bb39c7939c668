// 督办单详情: header, timeline of every event, progress reports, evidence (download, preview), and
// for bureau staff the review actions. Each action carries the version shown, so a ticket changed
// by someone else in the meantime is refused by the server with the reason in Chinese.
(function () {
  'use strict';
  const { api, esc, showError, clearError, STATUS, light } = Duban;
  const $ = (id) => document.getElementById(id);
  const id = Number((/^\/tickets\/(\d+)$/.exec(location.pathname) || [])[1]);
  const KIND = { PLAN: '方案任务', PROBLEM: '问题整改', RETURN: '报表报送' };
  let current = null;

  function size(n) {
    return n >= 1048576 ? (n / 1048576).toFixed(1) + ' MB' : n >= 1024 ? Math.round(n / 1024) + ' KB' : n + ' B';
  }

  function field(label, html) {
    return `<dt>${esc(label)}</dt><dd>${html}</dd>`;
  }

  function renderHead(t) {
    document.title = `督办 · 督办单 #${t.id}`;
    $('ticket-title').textContent = `督办单 #${t.id}　${t.title}`;
    const task = t.taskSeq ? `任务${t.taskSeq}${t.category ? ` <span class="tag">${esc(t.category)}</span>` : ''}<br><span class="small">${esc(t.taskContent || '')}</span>` : `<span class="tag">${esc(KIND[t.kind] || t.kind)}</span>`;
    const due = `${esc(t.due)}${t.due !== t.originalDue ? `（原定 ${esc(t.originalDue)}）` : ''}` +
      (t.status === 'DONE' ? '' : t.light === 'RED' ? ` <span class="violation">已逾期 ${t.overdueWorkdays} 个工作日</span>` : ` <span class="muted">剩 ${t.workdaysLeft} 个工作日</span>`);
    $('ticket-fields').innerHTML = [
      field('重点任务', task),
      t.milestone ? field('节点', `${esc(t.milestone.text)}（${esc(t.milestone.due)}）`) : '',
      field('承办单位', esc(t.unitName)),
      field('承办人', t.assignee ? esc(t.assignee.name) : '<span class="muted">未指定</span>'),
      field('状态', `<b id="ticket-status" data-status="${esc(t.status)}">${esc(t.statusLabel)}</b>${t.urgent ? ' <span class="tag">加急</span>' : ''}`),
      field('进度', `<span class="progress"><i style="width:${Math.max(0, Math.min(100, t.progress))}%"></i></span> ${t.progress}%`),
      field('完成时限', due),
      field('信号灯', light(t.light)),
      t.extension ? field('延期申请', `申请延至 <b>${esc(t.extension.due)}</b>：${esc(t.extension.reason)}（待审批）`) : '',
      t.disclaim ? field('退单申请', `${esc(t.disclaim.reason)}（${esc(t.disclaim.atText || '')}，待省数据局处理，办理时限暂停）`) : '',
      field('交办时间', esc(t.created ? t.created.atText : '')),
      t.accepted ? field('签收时间', esc(t.accepted.atText)) : '',
      t.submitted ? field('提交审核', esc(t.submitted.atText)) : '',
      t.done ? field('办结时间', esc(t.done.atText)) : '',
    ].join('');
    $('ticket-head').hidden = false;
  }

  function renderActions(d) {
    const a = d.actions;
    $('actions').hidden = a.length === 0;
    $('review-box').hidden = !(a.includes('approve') || a.includes('return'));
    $('act-approve').hidden = !a.includes('approve');
    $('act-return').hidden = !a.includes('return');
    $('extension-box').hidden = !a.includes('decideExtension');
    if (d.ticket.extension) $('extension-text').innerHTML = `承办单位申请将完成时限由 ${esc(d.ticket.due)} 延至 <b>${esc(d.ticket.extension.due)}</b>，理由：${esc(d.ticket.extension.reason)}`;
    $('chase-box').hidden = !a.includes('chase');
  }

  function renderTimeline(d) {
    $('timeline').innerHTML = d.events.map((e) => {
      const move = e.from && e.to && e.from !== e.to ? ` <span class="muted">${esc(STATUS[e.from] || e.from)} → ${esc(STATUS[e.to] || e.to)}</span>` : '';
      return `<li data-event="${esc(e.type)}"><span class="when">${esc(e.atText)}</span><b>${esc(e.label)}</b>${move}<br>` +
        `${esc(e.actorName)}（${esc(e.roleLabel)}${e.webUser ? ' · 网页端' : ''}）` +
        (e.note ? `：${esc(e.note)}` : '') + (e.detail ? `<br><span class="detail">${esc(e.detail)}</span>` : '') + '</li>';
    }).join('') || '<li class="muted">暂无记录</li>';
    if (d.eventsTotal > d.events.length) $('timeline').insertAdjacentHTML('beforeend', `<li class="muted">另有 ${d.eventsTotal - d.events.length} 条较新的记录未显示</li>`);
    $('timeline-panel').hidden = false;
  }

  function renderSide(d) {
    $('evidence').innerHTML = d.evidence.map((e) => {
      const preview = e.previewable
        ? e.mime.startsWith('image/')
          ? `<a href="${esc(e.previewUrl)}" target="_blank" rel="noopener"><img src="${esc(e.previewUrl)}" alt="${esc(e.name)}" loading="lazy"></a>`
          : `<a href="${esc(e.previewUrl)}" target="_blank" rel="noopener">在线预览</a>`
        : '';
      return `<li data-evidence="${e.id}"><div><b>${esc(e.name)}</b><br><span class="muted small">${esc(size(e.size))} · ${esc(e.uploaderName || '—')} · ${esc(e.atText)}</span><br>` +
        `<a href="${esc(e.downloadUrl)}" download>下载</a></div>${preview}</li>`;
    }).join('') || '<li class="muted">尚未提交佐证材料</li>';
    $('reports').innerHTML = d.reports.length
      ? '<thead><tr><th>时间</th><th class="num">进度</th><th>说明</th><th>报告人</th></tr></thead><tbody>' +
        d.reports.map((r) => `<tr><td class="nowrap">${esc(r.atText)}</td><td class="num">${r.percent}%</td><td class="what">${esc(r.note || '')}</td><td>${esc(r.reporterName || '—')}</td></tr>`).join('') + '</tbody>'
      : '<tbody><tr><td class="muted">暂无进度报告</td></tr></tbody>';
    $('side-panel').hidden = false;
  }

  async function load() {
    const d = await api(`/api/tickets/${id}`);
    current = d;
    renderHead(d.ticket);
    renderActions(d);
    renderTimeline(d);
    renderSide(d);
    document.body.dataset.loaded = 'true';
  }

  async function act(body, button) {
    clearError('ticket-error');
    $('ticket-notice').hidden = true;
    const buttons = document.querySelectorAll('#actions button');
    buttons.forEach((b) => (b.disabled = true));
    try {
      const r = await api(`/api/tickets/${id}/actions`, { json: Object.assign({ version: current.ticket.version }, body) });
      $('ticket-notice').textContent = r.message;
      $('ticket-notice').hidden = false;
      for (const t of ['act-note', 'ext-note', 'chase-note']) $(t).value = '';
      await load();
    } catch (e) {
      showError('ticket-error', e);
      // A stale page: show the current state so the next decision is taken on it.
      if (e.code === 'TICKET_STALE' || e.code === 'TICKET_CONCURRENT') await load().catch(() => {});
    } finally {
      buttons.forEach((b) => (b.disabled = false));
      if (button) button.blur();
    }
  }

  function wire() {
    $('act-approve').addEventListener('click', (e) => act({ action: 'approve', note: $('act-note').value.trim() || undefined }, e.target));
    $('act-return').addEventListener('click', (e) => {
      const reason = $('act-note').value.trim();
      if (!reason) {
        showError('ticket-error', '退回须填写原因：请在“审核意见”中写明退回原因。');
        $('act-note').focus();
        return;
      }
      act({ action: 'return', reason }, e.target);
    });
    $('act-ext-approve').addEventListener('click', (e) => act({ action: 'decideExtension', approve: true, note: $('ext-note').value.trim() || undefined }, e.target));
    $('act-ext-reject').addEventListener('click', (e) => act({ action: 'decideExtension', approve: false, note: $('ext-note').value.trim() || undefined }, e.target));
    $('act-chase').addEventListener('click', (e) => act({ action: 'chase', note: $('chase-note').value.trim() || undefined }, e.target));
  }

  async function start() {
    await Duban.shell('dashboard');
    if (!id) throw new Error('督办单编号不正确。');
    wire();
    await load();
  }

  start().catch((e) => showError('ticket-error', e));
})();
