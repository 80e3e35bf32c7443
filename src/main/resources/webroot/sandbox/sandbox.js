// The sandbox chat page: plays the customer's phone. Everything goes through the bot's real path:
// the page asks the sandbox to sign and POST a webhook, and the bot's replies come back from the
// Graph API simulator over server-sent events.
(() => {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const api = (path, options = {}) => fetch('/sandbox/api' + path, {
    headers: { 'content-type': 'application/json' }, ...options,
  }).then(async (r) => {
    const body = r.headers.get('content-type')?.includes('json') ? await r.json() : await r.text();
    if (!r.ok) throw new Error(body.error || r.statusText);
    return body;
  });

  const state = {
    customers: new Map(),     // number -> {number, name, locale, unread, last}
    transcripts: new Map(),   // number -> [entry]
    traces: new Map(),        // number -> Map(correlationId -> {title, steps: []})
    byWamid: new Map(),       // wamid -> entry
    current: null,
    typingTimer: null,
  };

  // ---- formatting -------------------------------------------------------------------------------

  const escapeHtml = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  }[c]));

  // WhatsApp's own markup: *bold*, _italic_, ~strike~, ```mono```.
  const formatText = (s) => escapeHtml(s)
    .replace(/```([\s\S]+?)```/g, '<code>$1</code>')
    .replace(/(^|[\s(])\*(\S(?:[^*\n]*\S)?)\*(?=[\s).,!?:;]|$)/g, '$1<strong>$2</strong>')
    .replace(/(^|[\s(])_(\S(?:[^_\n]*\S)?)_(?=[\s).,!?:;]|$)/g, '$1<em>$2</em>')
    .replace(/(^|[\s(])~(\S(?:[^~\n]*\S)?)~(?=[\s).,!?:;]|$)/g, '$1<s>$2</s>');

  const time = (ms) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const initials = (name) => (name || '?').split(/\s+/).map((w) => w[0]).join('').slice(0, 2).toUpperCase();

  /** A plain-text line describing a message, for previews and the events panel. */
  function summary(entry) {
    const m = entry.message || {};
    if (entry.from === 'customer') {
      switch (m.type) {
        case 'text': return m.text?.body;
        case 'interactive': return (m.interactive?.button_reply || m.interactive?.list_reply)?.title;
        case 'image': return '📷 Photo';
        case 'audio': return '🎤 Voice note';
        case 'location': return '📍 Location';
        case 'sticker': return '🙂 Sticker';
        case 'system': return '🔄 ' + (m.system?.body || 'identity changed');
        default: return m.type;
      }
    }
    switch (m.type) {
      case 'text': return m.text?.body;
      case 'interactive': return m.interactive?.body?.text;
      case 'template': return '📄 ' + m.template?.name;
      case 'reaction': return 'reacted ' + m.reaction?.emoji;
      default: return '[' + m.type + ']';
    }
  }

  // ---- customers ----------------------------------------------------------------------------------

  function addCustomer(c) {
    const known = state.customers.get(c.number);
    state.customers.set(c.number, { unread: 0, last: '', ...known, ...c });
    if (!state.transcripts.has(c.number)) state.transcripts.set(c.number, []);
    if (!state.traces.has(c.number)) state.traces.set(c.number, new Map());
    renderCustomers();
  }

  function renderCustomers() {
    const list = $('customers');
    list.innerHTML = '';
    for (const c of state.customers.values()) {
      const li = document.createElement('li');
      li.className = c.number === state.current ? 'active' : '';
      li.dataset.number = c.number;
      li.innerHTML = `<div class="avatar">${escapeHtml(initials(c.name))}</div>
        <div class="who"><div class="who-name">${escapeHtml(c.name)}</div>
        <div class="who-last">${escapeHtml(c.last || label(c))}</div></div>
        ${c.unread ? `<span class="badge">${c.unread}</span>` : ''}`;
      li.addEventListener('click', () => select(c.number));
      list.appendChild(li);
    }
  }

  function select(number) {
    state.current = number;
    const c = state.customers.get(number);
    c.unread = 0;
    $('chat-name').textContent = c.name + '  ·  ' + label(c);
    $('chat-avatar').textContent = initials(c.name);
    $('text').disabled = false;
    $('send').disabled = false;
    $('text').focus();
    renderCustomers();
    renderChat();
    renderTimeline();
  }

  // ---- transcript ---------------------------------------------------------------------------------

  function addEntry(entry) {
    if (entry.wamid && state.byWamid.has(entry.wamid)) return; // already shown (API answer and stream both tell)
    if (!state.customers.has(entry.customer)) addCustomer({ number: entry.customer, name: '+' + entry.customer });
    if (entry.wamid) state.byWamid.set(entry.wamid, entry);
    state.transcripts.get(entry.customer).push(entry);
    const c = state.customers.get(entry.customer);
    if (entry.message?.type === 'reaction' && entry.from === 'bot') {
      const target = state.byWamid.get(entry.message.reaction.message_id);
      if (target) target.reaction = entry.message.reaction.emoji;
    } else {
      c.last = summary(entry) || c.last;
    }
    if (entry.from === 'bot') {
      if (entry.customer === state.current) setTyping(false);
      if (entry.customer !== state.current) c.unread += 1;
      else api(`/customers/${entry.customer}/read`, { method: 'POST', body: JSON.stringify({ wamid: entry.wamid }) })
        .catch(() => {});
    }
    renderCustomers();
    if (entry.customer === state.current) renderChat();
  }

  function renderChat() {
    const box = $('messages');
    box.innerHTML = '';
    const entries = state.transcripts.get(state.current) || [];
    if (!entries.length) {
      box.innerHTML = `<div class="empty"><h2>Say hi</h2><p>Type <strong>hi</strong> below. Try <em>menu</em>,
        <em>search headphones</em>, a typo like <em>hedphones</em>, <em>agent</em>, <em>STOP</em>, or send a photo.</p></div>`;
      return;
    }
    let lastDay = '';
    for (const e of entries) {
      if (e.message?.type === 'reaction' && e.from === 'bot') continue;
      const day = new Date(e.at).toDateString();
      if (day !== lastDay) {
        box.insertAdjacentHTML('beforeend', `<div class="day">${escapeHtml(new Date(e.at).toLocaleDateString())}</div>`);
        lastDay = day;
      }
      box.appendChild(e.from === 'customer' ? customerRow(e) : botRow(e));
    }
    box.scrollTop = box.scrollHeight;
  }

  function ticks(status) {
    switch (status) {
      case 'read': return '<span class="ticks read" title="read by the bot">✓✓</span>';
      case 'delivered': return '<span class="ticks" title="delivered to the bot">✓✓</span>';
      case 'failed': return '<span class="ticks failed" title="the webhook did not accept it">!</span>';
      case 'sent': return '<span class="ticks" title="sent">✓</span>';
      default: return '<span class="ticks" title="sending">🕓</span>';
    }
  }

  function customerRow(e) {
    const row = document.createElement('div');
    row.className = 'row out';
    row.dataset.wamid = e.wamid || '';
    const m = e.message || {};
    const reply = m.interactive?.button_reply || m.interactive?.list_reply;
    const quoted = m.context?.id && state.byWamid.get(m.context.id);
    let html = quoted ? `<div class="quote">${escapeHtml(summary(quoted) || '').slice(0, 90)}</div>` : '';
    html += reply ? escapeHtml(reply.title) + (reply.description ? `<div class="footer">${escapeHtml(reply.description)}</div>` : '')
      : m.type === 'text' ? formatText(m.text.body) : escapeHtml(summary(e));
    row.innerHTML = `<div class="bubble${m.type !== 'text' && !reply ? ' media' : ''}">${html}
      <span class="meta">${time(e.at)} ${ticks(e.status)}</span></div>
      ${e.reaction ? `<span class="reaction">${escapeHtml(e.reaction)}</span>` : ''}`;
    return row;
  }

  function botRow(e) {
    const row = document.createElement('div');
    row.className = 'row in';
    row.dataset.wamid = e.wamid || '';
    const m = e.message || {};
    const meta = `<span class="meta">${time(e.at)}</span>`;
    const quoted = m.context?.message_id && state.byWamid.get(m.context.message_id);
    const quote = quoted ? `<div class="quote">${escapeHtml(summary(quoted) || '').slice(0, 90)}</div>` : '';
    if (m.type === 'text') {
      row.innerHTML = `<div class="bubble">${quote}${formatText(m.text.body)}${meta}</div>`;
    } else if (m.type === 'interactive') {
      const i = m.interactive;
      row.innerHTML = `<div class="bubble">${quote}${i.header?.text ? `<div class="header">${escapeHtml(i.header.text)}</div>` : ''}${
        formatText(i.body?.text)}${i.footer?.text ? `<div class="footer">${escapeHtml(i.footer.text)}</div>` : ''}${meta}</div>`;
      const actions = document.createElement('div');
      actions.className = 'actions';
      if (i.type === 'button') {
        for (const b of i.action.buttons) {
          const button = document.createElement('button');
          button.type = 'button';
          button.textContent = b.reply.title;
          button.dataset.id = b.reply.id;
          button.addEventListener('click', () => send({ type: 'button', id: b.reply.id, title: b.reply.title, context: e.wamid }));
          actions.appendChild(button);
        }
      } else if (i.type === 'list') {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'list-open';
        button.textContent = '☰ ' + i.action.button;
        button.addEventListener('click', () => openList(i, e.wamid));
        actions.appendChild(button);
      }
      row.appendChild(actions);
    } else if (m.type === 'template') {
      const params = (m.template.components || []).flatMap((c) => (c.parameters || []).map((p) => p.text || p.payload))
        .filter(Boolean);
      row.innerHTML = `<div class="bubble template"><strong>${escapeHtml(m.template.name)}</strong> (${
        escapeHtml(m.template.language?.code)})${params.length ? '\n' + escapeHtml(params.join(' · ')) : ''}${meta}</div>`;
    } else {
      const media = m[m.type] || {};
      row.innerHTML = `<div class="bubble media">[${escapeHtml(m.type)}] ${escapeHtml(media.caption || media.link || media.id || '')}${meta}</div>`;
    }
    return row;
  }

  function openList(interactive, wamid) {
    $('sheet-title').textContent = interactive.action.button;
    const body = $('sheet-body');
    body.innerHTML = '';
    for (const section of interactive.action.sections) {
      if (section.title) body.insertAdjacentHTML('beforeend', `<div class="sheet-section">${escapeHtml(section.title)}</div>`);
      for (const r of section.rows) {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'sheet-row';
        button.dataset.id = r.id;
        button.innerHTML = `<span class="title">${escapeHtml(r.title)}</span>${r.description
          ? `<span class="desc">${escapeHtml(r.description)}</span>` : ''}`;
        button.addEventListener('click', () => {
          closeList();
          send({ type: 'list', id: r.id, title: r.title, description: r.description, context: wamid });
        });
        body.appendChild(button);
      }
    }
    $('sheet').hidden = false;
  }

  function closeList() {
    $('sheet').hidden = true;
  }

  function setTyping(on) {
    clearTimeout(state.typingTimer);
    const status = $('chat-status');
    status.textContent = on ? 'typing…' : '';
    status.classList.toggle('typing', on);
    if (on) state.typingTimer = setTimeout(() => setTyping(false), 25000);
  }

  function setStatus(wamid, status) {
    const entry = state.byWamid.get(wamid);
    if (!entry) return;
    const rank = { undefined: 0, sent: 1, delivered: 2, read: 3, failed: 4 };
    if ((rank[status] ?? 0) > (rank[entry.status] ?? 0)) entry.status = status;
    if (entry.customer === state.current) renderChat();
  }

  // ---- sending ------------------------------------------------------------------------------------

  async function send(message) {
    if (!state.current) return;
    const number = state.current;
    try {
      const result = await api(`/customers/${number}/messages`, { method: 'POST', body: JSON.stringify(message) });
      addEntry(result.entry);
      setStatus(result.entry.wamid, result.webhookStatus === 200 ? 'delivered' : 'failed');
    } catch (err) {
      alert('Could not send: ' + err.message);
    }
  }

  // ---- under the hood -----------------------------------------------------------------------------

  function addTrace(t) {
    if (!state.traces.has(t.customer)) state.traces.set(t.customer, new Map());
    const traces = state.traces.get(t.customer);
    const key = t.correlationId || 'other';
    if (!traces.has(key)) traces.set(key, { steps: [], seen: new Set() });
    const trace = traces.get(key);
    const stepKey = t.name + '|' + t.at + '|' + t.text;
    if (trace.seen.has(stepKey)) return; // a reconnect replays the state
    trace.seen.add(stepKey);
    trace.steps.push(t);
    if (t.customer === state.current) renderTimeline();
  }

  // The fields worth a glance; ids are long and the same on every step.
  function details(fields) {
    if (!fields) return '';
    const shown = Object.entries(fields).filter(([k]) => !['wamid', 'job_id', 'correlation_id'].includes(k))
      .map(([k, v]) => `${k}=${v}`);
    return shown.length ? `<span class="details">${escapeHtml(shown.join('  '))}</span>` : '';
  }

  function renderTimeline() {
    const box = $('timeline');
    box.innerHTML = '';
    const traces = state.traces.get(state.current);
    if (!traces || !traces.size) {
      box.innerHTML = '<p class="events-sub">Send a message: each step it takes through the bot shows here.</p>';
      return;
    }
    for (const [id, trace] of traces) {
      const steps = [...trace.steps].sort((a, b) => a.at - b.at);
      const start = steps[0].at;
      const total = steps[steps.length - 1].at - start;
      const source = state.byWamid.get(id);
      const title = source ? summary(source) : id;
      const div = document.createElement('div');
      div.className = 'trace';
      div.innerHTML = `<div class="trace-title"><span>${escapeHtml((title || '').slice(0, 40))}</span>
        <span class="total" title="first to last step">${total} ms</span></div>` + steps.map((s) => `
        <div class="step ${escapeHtml(s.level || '')}"><span class="at">+${s.at - start} ms</span>
        <span><span class="name">${escapeHtml(s.name)}</span><br><span class="text">${escapeHtml(s.text || '')}</span>${
          details(s.fields)}</span></div>`)
        .join('');
      box.appendChild(div);
    }
    box.scrollTop = box.scrollHeight;
  }

  // ---- customers without a phone number ---------------------------------------------------------
  // A customer with a username can hide their number: WhatsApp then names them by a business-scoped
  // user id (BSUID) only. A customer can also change number (which gives them a new BSUID) and carry on.

  const label = (c) => c.label || '+' + c.number;
  const COUNTRY_ISO = { 52: 'MX', 1: 'US', 34: 'ES', 44: 'GB', 57: 'CO', 54: 'AR' };

  function newCustomerBody(option) {
    const name = $('customer-name').value.trim();
    if ($('customer-hidden')?.checked) {
      return { name, phoneHidden: true, username: $('customer-username').value.trim(),
        country: COUNTRY_ISO[option.value] || 'US', locale: option.dataset.locale };
    }
    return { name, number: $('customer-number').value.trim(), locale: option.dataset.locale };
  }

  async function changeNumber() {
    const c = state.customers.get(state.current);
    if (!c) return;
    const prefix = c.phone && Object.keys(COUNTRY_ISO).sort((a, b) => b.length - a.length).find((p) => c.phone.startsWith(p));
    try {
      const result = await api(`/customers/${c.number}/change-number`, { method: 'POST',
        body: JSON.stringify(c.phone ? { number: randomNumber(prefix || '1') } : {}) });
      addCustomer(result.customer);
      select(result.customer.number);
    } catch (err) {
      alert('Could not change the number: ' + err.message);
    }
  }

  function installIdentityControls() {
    const hidden = document.createElement('label');
    hidden.className = 'identity-option';
    hidden.innerHTML = '<input type="checkbox" id="customer-hidden"> Phone number hidden (username)';
    const username = document.createElement('label');
    username.hidden = true;
    username.innerHTML = 'Username <input id="customer-username" placeholder="@ana.lopez" maxlength="31">';
    const number = $('customer-number');
    number.closest('label').after(hidden, username);
    $('customer-hidden').addEventListener('change', (ev) => {
      username.hidden = !ev.target.checked;
      number.closest('label').hidden = ev.target.checked;
      number.required = !ev.target.checked;
    });
    const change = document.createElement('button');
    change.type = 'button';
    change.id = 'change-number';
    change.className = 'toggle-events';
    change.textContent = 'Change number';
    change.title = 'The customer gets a new phone number (and a new BSUID); the bot must keep the conversation';
    change.addEventListener('click', changeNumber);
    $('toggle-events').before(change);
  }

  // ---- wiring -------------------------------------------------------------------------------------

  function randomNumber(prefix) {
    const digits = { 52: 10, 1: 10, 34: 9, 44: 10, 57: 10, 54: 10 }[prefix] || 10;
    let n = prefix === '1' ? '650' : prefix === '52' ? '55' : '';
    while (n.length < digits) n += Math.floor(Math.random() * 10);
    return prefix + n;
  }

  function connect() {
    const stream = new EventSource('/sandbox/api/stream');
    stream.addEventListener('open', loadState);
    stream.addEventListener('customer', (ev) => addCustomer(JSON.parse(ev.data)));
    stream.addEventListener('message', (ev) => addEntry(JSON.parse(ev.data)));
    stream.addEventListener('status', (ev) => {
      const s = JSON.parse(ev.data);
      setStatus(s.wamid, s.status);
    });
    stream.addEventListener('typing', (ev) => {
      const t = JSON.parse(ev.data);
      if (t.customer === state.current) setTyping(t.on);
    });
    stream.addEventListener('trace', (ev) => addTrace(JSON.parse(ev.data)));
  }

  async function loadState() {
    const s = await api('/state');
    $('bot-number').textContent = 'simulated WhatsApp · bot phone number id ' + s.phoneNumberId;
    for (const c of s.customers) addCustomer(c);
    for (const e of s.entries) addEntry(e);
    for (const t of s.traces) addTrace(t);
    for (const e of s.entries) if (e.status) setStatus(e.wamid, e.status);
    if (!state.current && s.customers.length) select(s.customers[0].number);
  }

  $('customer-country').addEventListener('change', (ev) => { $('customer-number').value = randomNumber(ev.target.value); });
  $('customer-number').value = randomNumber($('customer-country').value);
  $('new-customer').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const option = $('customer-country').selectedOptions[0];
    const customer = await api('/customers', { method: 'POST', body: JSON.stringify(newCustomerBody(option)) });
    addCustomer(customer);
    select(customer.number);
    $('customer-name').value = '';
    $('customer-number').value = randomNumber($('customer-country').value);
  });
  $('composer').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = $('text').value.trim();
    if (!text) return;
    $('text').value = '';
    send({ type: 'text', text });
  });
  $('attach').addEventListener('click', () => { $('attach-menu').hidden = !$('attach-menu').hidden; });
  for (const b of document.querySelectorAll('#attach-menu button')) {
    b.addEventListener('click', () => {
      $('attach-menu').hidden = true;
      send({ type: b.dataset.kind });
    });
  }
  $('sheet-close').addEventListener('click', closeList);
  $('sheet').addEventListener('click', (ev) => { if (ev.target.id === 'sheet') closeList(); });
  $('toggle-events').addEventListener('click', () => {
    $('app').classList.toggle(window.innerWidth > 1100 ? 'events-hidden' : 'events-shown');
  });

  installIdentityControls();
  connect();
})();
