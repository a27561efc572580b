// Host console: plain DOM, same-origin fetch and EventSource. Everything shown from the server goes
// through textContent, never innerHTML.
'use strict';

(() => {
  const KEY_STORE = 'callbridge.apiKey';
  const RECENT_STORE = 'callbridge.recentConferences';
  const NOTICE_TYPES = ['decision', 'e2ee_impact', 'gateway_state', 'unsupported_client', 'subscriber_dropped', 'call_progress', 'conference_ended'];
  const STATE_LABELS = {
    Starting: 'Joining', Running: 'Running', Stopping: 'Leaving', Stopped: 'Stopped', LeftForE2ee: 'Left for E2EE', Failed: 'Failed',
    Joining: 'Joining', Leaving: 'Leaving', Left: 'Left (confirmed)', ForceStopped: 'Force-stopped',
  };
  const API_KIND_LABELS = { recording: 'Recording', captions: 'Captions', 'dial-out': 'Dial-out', 'dial-in': 'Dial-in', presence: 'Presence' };
  const KIND_LABELS = { Recording: 'Recording', PstnDialOut: 'Dial-out', PstnDialIn: 'Dial-in', ServerCaptions: 'Captions', PresenceOnly: 'Presence' };
  const OUTCOME_LABELS = { Allow: 'allowed', Refuse: 'refused', LeaveNow: 'ordered to leave' };

  const $ = (id) => document.getElementById(id);
  let conferenceId = null;
  let stream = null;

  const apiKey = () => sessionStorage.getItem(KEY_STORE);
  const api = (path) => '/api/v1/conferences/' + encodeURIComponent(conferenceId) + path;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function showResult(text, kind) {
    const result = $('last-result');
    result.textContent = text;
    result.dataset.kind = kind;
  }

  async function call(method, path, body) {
    const headers = { 'X-Api-Key': apiKey() || '' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(api(path), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    return { status: response.status, ok: response.ok, json };
  }

  function describeProblem(r) {
    if (!r.json) return 'HTTP ' + r.status;
    const parts = [r.json.title || ('HTTP ' + r.status)];
    if (r.json.reasonCode) parts.push('(' + r.json.reasonCode + ')');
    if (r.json.detail) parts.push(r.json.detail);
    return parts.join(' ');
  }

  // ---- API key ----
  function renderKeyState() {
    const has = !!apiKey();
    $('key-state').textContent = has
      ? 'A key is in use for this tab (session storage). Close the tab or press "Forget key" to remove it.'
      : 'No key yet. It is kept in this tab only (session storage) until you close it.';
    $('conf-form').querySelector('button').disabled = !has;
  }

  $('key-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const value = $('api-key').value.trim();
    if (!value) return;
    sessionStorage.setItem(KEY_STORE, value);
    $('api-key').value = '';
    renderKeyState();
    if (conferenceId) openConference(conferenceId);
  });

  $('forget-key').addEventListener('click', () => {
    sessionStorage.removeItem(KEY_STORE);
    closeStream();
    renderKeyState();
  });

  // ---- conferences ----
  function recent() {
    try { return JSON.parse(sessionStorage.getItem(RECENT_STORE) || '[]'); } catch { return []; }
  }

  function remember(id) {
    const list = [id, ...recent().filter((x) => x !== id)].slice(0, 8);
    sessionStorage.setItem(RECENT_STORE, JSON.stringify(list));
    renderRecent();
  }

  function renderRecent() {
    const list = recent();
    const ul = $('recent');
    ul.replaceChildren();
    for (const id of list) {
      const li = el('li');
      const b = el('button', null, id);
      b.type = 'button';
      b.setAttribute('aria-label', 'Open conference ' + id);
      b.addEventListener('click', () => { $('conference-id').value = id; openConference(id); });
      li.append(b);
      ul.append(li);
    }
    $('recent-block').hidden = list.length === 0;
  }

  $('conf-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const id = $('conference-id').value.trim();
    if (id) openConference(id);
  });

  async function openConference(id) {
    conferenceId = id;
    remember(id);
    $('conf-label').textContent = id;
    $('conference-panel').hidden = false;
    $('notices-panel').hidden = false;
    $('gateways-panel').hidden = false;
    $('captions-panel').hidden = false;
    $('notices').replaceChildren();
    $('captions').replaceChildren();
    $('captions-empty').hidden = false;
    showResult('', '');
    await refreshState();
    await refreshGateways();
    openStream();
  }

  async function refreshState() {
    const r = await call('GET', '');
    const indicator = $('e2ee-indicator');
    if (!r.ok) {
      indicator.dataset.state = 'unknown';
      indicator.textContent = 'E2EE: unknown (' + describeProblem(r) + ')';
      return;
    }
    const s = r.json;
    $('fact-exists').textContent = s.exists ? 'yes' : 'no such room';
    $('fact-room').textContent = s.requiresE2ee ? 'yes (require_e2ee)' : 'no';
    $('fact-toggle').textContent = { NeverToggled: 'never toggled', TurnedOn: 'turned on', TurnedOff: 'turned off' }[s.hostToggle] || s.hostToggle;
    $('fact-participants').textContent = String(s.participants);
    let why = [];
    if (s.requiresE2ee) why.push('required by the room policy');
    if (s.hostToggle === 'TurnedOn') why.push('turned on by the host');
    $('e2ee-on').setAttribute('aria-pressed', String(s.hostToggle === 'TurnedOn'));
    $('e2ee-off').setAttribute('aria-pressed', String(s.hostToggle === 'TurnedOff'));
    indicator.dataset.state = s.e2eeActive ? 'on' : 'off';
    indicator.textContent = s.e2eeActive
      ? 'End-to-end encrypted: ' + (why.length ? why.join(' and ') : 'encrypted media seen') + '. Recording, dial-out and server captions cannot join.'
      : 'Not end-to-end encrypted: server features may join.';
    await refreshPreview();
  }

  // What turning E2EE on would stop, with the gateways running now and the participants' clients.
  async function refreshPreview() {
    const r = await call('GET', '/e2ee/preview');
    const list = $('preview-consequences');
    const clients = $('preview-clients');
    list.replaceChildren();
    clients.replaceChildren();
    if (!r.ok || !r.json) { $('preview-summary').textContent = 'Preview unavailable: ' + describeProblem(r); return; }
    const p = r.json;
    $('preview-summary').textContent = p.e2eeActive
      ? 'End-to-end encryption is already in effect.'
      : (p.consequences.length ? 'If you turn E2EE on now:' : 'If you turn E2EE on now, no server feature will stop.');
    for (const c of p.consequences) list.append(el('li', 'consequence', c));
    if (p.participants.length === 0) clients.append(el('li', 'hint', 'None known.'));
    for (const c of p.participants) {
      const li = el('li', 'client');
      li.dataset.participant = c.participantId;
      li.dataset.support = c.support;
      li.append(el('strong', null, c.displayName + ': '), document.createTextNode(c.reason));
      clients.append(li);
    }
  }

  // ---- gateways ----
  async function refreshGateways() {
    const r = await call('GET', '/gateways');
    if (!r.ok || !Array.isArray(r.json)) return;
    const rows = $('gateway-rows');
    rows.replaceChildren();
    for (const g of r.json) rows.append(gatewayRow(g));
    $('gateways').hidden = r.json.length === 0;
    $('gateways-empty').hidden = r.json.length !== 0;
  }

  function gatewayRow(g) {
    const tr = el('tr', 'gateway');
    tr.dataset.gatewayId = g.gatewayId;
    tr.dataset.state = g.state;
    const name = el('td', 'label', g.label);
    name.append(el('div', 'hint', (API_KIND_LABELS[g.kind] || g.kind) + ' \u00b7 ' + g.gatewayId));
    tr.append(name);
    const state = el('td', 'state', STATE_LABELS[g.state] || g.state);
    if (g.callProgress) state.append(el('div', 'hint', 'Call: ' + g.callProgress));
    tr.append(state);
    const why = el('td', 'why');
    if (g.reason) why.append(el('p', 'reason-words', g.reason));
    if (g.reasonCode) {
      const code = el('span', 'reason', 'reason ');
      code.append(el('code', 'reason-code', g.reasonCode));
      why.append(code);
    }
    tr.append(why);
    const outcome = el('td', 'outcome');
    if (g.outcome) {
      outcome.append(el('p', 'summary', g.outcome.summary));
      if (g.outcome.outputs && g.outcome.outputs.length) {
        const ul = el('ul', 'outputs');
        for (const o of g.outcome.outputs) ul.append(el('li', null, o));
        outcome.append(ul);
      }
    }
    tr.append(outcome);
    const actions = el('td', 'actions');
    if (!g.outcome) {
      const stop = el('button', null, 'Stop');
      stop.type = 'button';
      stop.setAttribute('aria-label', 'Stop ' + g.label);
      stop.addEventListener('click', () => stopGateway(g));
      actions.append(stop);
    }
    tr.append(actions);
    return tr;
  }

  async function stopGateway(g) {
    const r = await call('DELETE', '/gateways/' + encodeURIComponent(g.gatewayId));
    if (r.ok) showResult(g.label + ' stopped.', 'ok');
    else showResult(g.label + ' not stopped: ' + describeProblem(r), 'error');
    await refreshGateways();
    await refreshPreview();
  }

  // ---- captions: partials are replaced by later partials and the final of the same utterance ----
  function showCaption(c) {
    $('captions-empty').hidden = true;
    const list = $('captions');
    let li = Array.from(list.children).find((x) => x.dataset.utterance === c.utterance_id && x.dataset.gateway === c.gateway_id);
    if (!li) {
      li = el('li', 'caption');
      li.dataset.utterance = c.utterance_id;
      li.dataset.gateway = c.gateway_id;
      li.append(el('span', 'speaker'), el('span', 'caption-text'));
      list.append(li);
      while (list.children.length > 200) list.firstElementChild.remove();
    }
    li.dataset.final = String(!!c.is_final);
    li.querySelector('.speaker').textContent = (c.display_name || c.participant_id) + ':';
    li.querySelector('.caption-text').textContent = c.text;
  }

  // ---- actions ----
  async function start(kind, extra) {
    const body = Object.assign({ kind }, extra || {});
    const r = await call('POST', '/gateways', body);
    const label = { recording: 'Recording', captions: 'Captions', 'dial-out': 'Dial-out' }[kind] || kind;
    if (r.ok) showResult(label + ' started: ' + (r.json && r.json.state ? r.json.state : 'accepted'), 'ok');
    else showResult(label + ' not started: ' + describeProblem(r), 'error');
  }

  $('start-recording').addEventListener('click', () => start('recording'));
  $('start-captions').addEventListener('click', () => start('captions'));
  $('start-dialout').addEventListener('click', () => {
    const number = $('dial-number').value.trim();
    if (!number) { showResult('Enter the number to call first.', 'error'); $('dial-number').focus(); return; }
    start('dial-out', { destination: number });
  });

  async function toggle(enabled) {
    const r = await call('POST', '/e2ee', { enabled });
    if (r.ok) showResult('E2EE turned ' + (enabled ? 'on' : 'off') + ' by the host.', 'ok');
    else showResult('E2EE toggle failed: ' + describeProblem(r), 'error');
    await refreshState();
  }

  $('e2ee-on').addEventListener('click', () => toggle(true));
  $('e2ee-off').addEventListener('click', () => toggle(false));

  // ---- notices ----
  function closeStream() {
    if (stream) { stream.close(); stream = null; }
    $('stream-state').textContent = 'Not connected.';
  }

  function openStream() {
    closeStream();
    // EventSource cannot send headers: the key travels as access_token on this route only.
    const url = api('/notices') + '?access_token=' + encodeURIComponent(apiKey() || '');
    const source = new EventSource(url);
    stream = source;
    $('stream-state').textContent = 'Connecting...';
    source.onopen = () => { if (stream === source) $('stream-state').textContent = 'Connected: new notices appear at the top.'; };
    source.onerror = () => {
      if (stream === source) $('stream-state').textContent = 'Connection lost; reconnecting (notices missed meanwhile are replayed).';
    };
    for (const type of NOTICE_TYPES) {
      source.addEventListener(type, (e) => {
        const n = JSON.parse(e.data);
        addNotice(type, e.lastEventId, n);
        if (type === 'gateway_state' || type === 'call_progress' || type === 'conference_ended') refreshGateways();
        // A leave-now order means the conference's E2EE state changed (host toggle, room policy or encrypted media seen).
        const stateChanged = type === 'e2ee_impact' || type === 'conference_ended' || (type === 'decision' && n.outcome === 'LeaveNow');
        if (stateChanged) refreshState();
        else if (type === 'gateway_state') refreshPreview();
      });
    }
    source.addEventListener('caption', (e) => showCaption(JSON.parse(e.data)));
    source.addEventListener('replay_incomplete', () => {
      addNotice('replay_incomplete', '', { host_message: 'Some notices were missed while disconnected; the conference state was reloaded.' });
      refreshState();
    });
  }

  function addNotice(type, id, n) {
    const li = el('li', 'notice');
    li.dataset.type = type;
    if (id) li.dataset.id = id;
    const head = el('div', 'head');
    let title;
    switch (type) {
      case 'decision':
        li.dataset.outcome = n.outcome;
        li.dataset.reasonCode = n.reason_code;
        title = (KIND_LABELS[n.kind] || n.kind) + ' ' + (OUTCOME_LABELS[n.outcome] || n.outcome);
        break;
      case 'e2ee_impact':
        title = n.host_enabled === false ? 'End-to-end encryption turned off by the host' : 'End-to-end encryption turned on by the host';
        break;
      case 'gateway_state':
        li.dataset.state = n.state;
        li.dataset.gatewayId = n.gateway_id;
        title = (KIND_LABELS[n.kind] || n.kind) + ': ' + (STATE_LABELS[n.state] || n.state);
        break;
      case 'unsupported_client':
        li.dataset.participant = n.participant_id;
        title = 'Participant ' + n.display_name + '\u2019s client cannot take part';
        break;
      case 'call_progress': title = (KIND_LABELS[n.kind] || n.kind) + ' call: ' + n.progress; break;
      case 'conference_ended': title = 'Conference ended'; break;
      case 'subscriber_dropped': title = 'Stream fell behind'; break;
      default: title = 'Notice';
    }
    head.append(el('span', 'type', title));
    if (n.reason_code) {
      const rc = el('span', 'reason', 'reason ');
      rc.append(el('code', 'reason-code', n.reason_code));
      head.append(rc);
    }
    if (n.occurred_at) head.append(el('time', 'time', new Date(n.occurred_at).toLocaleTimeString()));
    if (id) head.append(el('span', 'time', '#' + id));
    li.append(head);
    const message = n.host_message || n.summary || n.detail || n.reason;
    if (message) li.append(el('p', 'host-message', message));
    if (Array.isArray(n.consequences) && n.consequences.length) {
      const ul = el('ul', 'consequences');
      for (const c of n.consequences) ul.append(el('li', null, c));
      li.append(ul);
    }
    if (n.alternative_code || n.alternative_description) {
      const alt = el('p', 'alternative');
      alt.append(el('strong', null, 'Alternative: '));
      if (n.alternative_description) alt.append(document.createTextNode(n.alternative_description + ' '));
      if (n.alternative_code) alt.append(el('code', 'alternative-code', n.alternative_code));
      if (n.alternative_provided_by_service === false) alt.append(document.createTextNode(' (runs on participants\u2019 devices)'));
      li.append(alt);
    }
    $('notices').prepend(li);
  }

  renderKeyState();
  renderRecent();
})();
