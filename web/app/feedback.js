// 一键反馈登记: bureau staff file a problem for a caller. The form carries an id generated when it
// is opened (clientRef): submitting twice — a double click, a retry after a timeout — files once.
// The answer shows at once how the problem was graded and where it went.
(function () {
  'use strict';
  const { api, esc, showError, clearError } = Duban;
  const $ = (id) => document.getElementById(id);
  let clientRef = newRef();
  let busy = false;

  function newRef() {
    const b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return 'f' + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  }

  function field(label, html) {
    return `<dt>${esc(label)}</dt><dd>${html}</dd>`;
  }

  function renderResult(r) {
    const p = r.problem;
    $('fb-result-title').textContent = r.created ? `已登记问题 P${p.id}` : `该表单已登记为问题 P${p.id}，未重复登记`;
    const where = p.status === 'ROUTED'
      ? field('分派结果', `已交由 <b id="fb-unit">${esc(p.unitName)}</b> 整改：<a href="/tickets/${p.ticketId}">问题整改单 #${p.ticketId}</a>，整改时限 ${esc(p.due)}`)
      : field('分派结果', `<b id="fb-pending">${esc(p.statusLabel)}</b>：系统未能确定承办单位，请在问题详情中选择“交由某单位办理”或不予受理。`);
    $('fb-result-fields').innerHTML = [
      field('问题等级', `<b class="grade-${esc(p.grade)}" id="fb-grade">${esc(p.gradeLabel)}</b>（${esc(p.gradeReason)}）`),
      field('状态', `<span id="fb-status">${esc(p.statusLabel)}</span>`),
      where,
    ].join('');
    $('fb-open').href = `/problems?id=${p.id}`;
    $('fb-result').hidden = false;
  }

  async function suggest() {
    const q = $('fb-service').value.trim();
    if (!q) return;
    try {
      const r = await api('/api/problem-list/services?q=' + encodeURIComponent(q));
      $('fb-services').innerHTML = r.items.map((n) => `<option value="${esc(n)}">`).join('');
    } catch (e) {
      // Suggestions are a help only; typing freely still works.
    }
  }

  let timer = null;
  $('fb-service').addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(suggest, 250);
  });

  $('feedback-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    busy = true;
    $('fb-submit').disabled = true;
    clearError('feedback-error');
    const data = new FormData();
    data.append('clientRef', clientRef);
    for (const name of ['sourceCode', 'serviceName', 'description', 'contact']) data.append(name, $('feedback-form').elements[name].value);
    for (const f of $('fb-files').files) data.append('attachments', f, f.name);
    try {
      renderResult(await api('/api/problem-list', { method: 'POST', body: data }));
    } catch (err) {
      showError('feedback-error', err);
    } finally {
      busy = false;
      $('fb-submit').disabled = false;
    }
  });

  $('fb-again').addEventListener('click', () => {
    $('feedback-form').reset();
    $('fb-result').hidden = true;
    clientRef = newRef();
  });

  (async () => {
    await Duban.shell('problems');
    const r = await api('/api/problem-list?limit=1');
    $('fb-source').innerHTML = r.options.fileSources
      .map((s) => `<option value="${esc(s.code)}"${s.code === 'ONE_CLICK' ? ' selected' : ''}>${esc(s.name)}</option>`).join('');
  })().catch((e) => showError('feedback-error', e));
})();
