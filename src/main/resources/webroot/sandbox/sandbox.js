// The sandbox chat page: plays the customers' phones, and the sales team's agent on the agent seat
// (the agent number's chat). A chat is a customer with one business number: the picker at the top of the
// list (Sales / Support out of the box) says whose chats the list shows, and a customer who writes to both
// numbers has a chat with each. Everything goes through the bot's real path: the page asks the sandbox to
// sign and POST a webhook, and the bot's replies come back from the Graph API simulator over
// server-sent events.
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
    numbers: [],              // the business numbers: [{phoneNumberId, name, businessName}], the default first
    business: null,           // the phoneNumberId of the number whose chats the list shows
    people: new Map(),        // customer id -> {number, name, locale, phone, userId, label}
    customers: new Map(),     // chat key -> the chat: {key, business, number (the customer id), name, ..., unread, last}
    transcripts: new Map(),   // chat key -> [entry]
    traces: new Map(),        // chat key -> Map(correlationId -> {title, steps: []})
    byWamid: new Map(),       // wamid -> entry
    typing: new Map(),        // chat key -> time the typing indicator ends (WhatsApp shows it up to 25 s)
    current: null,            // the chat key on screen
    typingTimer: null,
    agent: null,              // the agent seat's number: hand-offs arrive in its chats
  };

  /** A chat's key: the business number and the customer ("100000000000002|5215512345678"). */
  const chatKey = (business, customer) => `${business || state.numbers[0]?.phoneNumberId}|${customer}`;
  const keyOf = (entry) => chatKey(entry.business, entry.customer);
  const businessOf = (id) => state.numbers.find((n) => n.phoneNumberId === id);
  const businessName = (id) => businessOf(id)?.name || id;
  /** The query naming a chat's number for the API ("?business=100000000000002"). */
  const businessQuery = (c) => '?business=' + encodeURIComponent(c.business);

  // ---- layout: one view at a time on a phone, the panel over the chat on a laptop ---------------

  const phone = window.matchMedia('(max-width: 767.98px)');
  const wide = window.matchMedia('(min-width: 1280px)');

  function showView(view) {
    $('app').dataset.view = view;
    const eventsOpen = phone.matches ? view === 'events' : $('app').classList.contains('events-open');
    if (phone.matches) $('app').classList.toggle('events-open', eventsOpen);
    $('toggle-events').setAttribute('aria-expanded', String(eventsOpen));
    if (view === 'chat' && state.current) markChatRead(state.current);
  }

  function setEventsOpen(open) {
    $('app').classList.toggle('events-open', open);
    if (phone.matches) showView(open ? 'events' : state.current ? 'chat' : 'list');
    else $('toggle-events').setAttribute('aria-expanded', String(open));
  }

  /** The chat the person is looking at: the selected one, unless a phone shows another view. */
  function onScreen(key) {
    return key === state.current && (!phone.matches || $('app').dataset.view !== 'list');
  }

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

  /** WhatsApp's markup removed, for quotes and titles: a quote shows words, not asterisks. */
  const plainText = (s) => String(s ?? '').replace(/```([\s\S]+?)```/g, '$1')
    .replace(/(^|[\s(])([*_~])(\S(?:[^*_~\n]*\S)?)\2(?=[\s).,!?:;]|$)/g, '$1$3').replace(/\s+/g, ' ').trim();

  /** At most {@code max} characters, cut after a whole word, with an ellipsis when cut. */
  function shorten(s, max) {
    const text = plainText(s);
    if (text.length <= max) return text;
    const cut = text.slice(0, max - 1);
    const lastSpace = cut.lastIndexOf(' ');
    return (lastSpace > max / 2 ? cut.slice(0, lastSpace) : cut).replace(/[\s.,;:!?-]+$/, '') + '…';
  }

  const quoteHtml = (entry) => `<div class="quote">${escapeHtml(shorten(summary(entry), 90))}</div>`;

  const time = (ms) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
  /** An ISO-8601 time as a person reads it ("Wed, 2 Dec, 14:05"); anything else unchanged. */
  const readable = (v) => (typeof v === 'string' && ISO_INSTANT.test(v)
    ? new Date(v).toLocaleString([], { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })
    : v);
  /** 86399930 -> "24 h", 90500 -> "1 min 31 s", 750 -> "750 ms". */
  function duration(ms) {
    if (ms < 1000) return ms + ' ms';
    const s = Math.round(ms / 1000);
    if (s < 60) return s + ' s';
    const m = Math.round(s / 60);
    if (m < 60) return s % 60 && m < 10 ? `${Math.floor(s / 60)} min ${s % 60} s` : m + ' min';
    const h = Math.floor(m / 60);
    return m % 60 ? `${h} h ${m % 60} min` : h + ' h';
  }
  const initials = (name) => (name || '?').split(/\s+/).map((w) => w[0]).join('').slice(0, 2).toUpperCase();
  const isAgent = (number) => number != null && number === state.agent;
  const isAgentChat = (key) => isAgent(state.customers.get(key)?.number);
  const avatar = (c) => (isAgent(c.number) ? '🎧' : initials(c.name));
  /** The agent seat is the team of the number it answers for: "Sales team (agent)", "Support team (agent)". */
  const chatName = (c) => (isAgent(c.number) && businessOf(c.business) ? `${businessName(c.business)} team (agent)` : c.name);
  /** Who takes over in a hand-off: "the sales team", or with several numbers the chat's number's team ("the support team"). */
  const team = (key) => {
    const c = state.customers.get(key);
    return state.numbers.length > 1 && c ? `the ${businessName(c.business).toLowerCase()} team` : 'the sales team';
  };

  /** A plain-text line describing a message, for previews and the events panel. */
  function summary(entry) {
    const m = entry.message || {};
    if (entry.from === 'customer') {
      switch (m.type) {
        case 'text': return m.text?.body;
        case 'interactive': return m.interactive?.nfm_reply ? '📋 Form sent'
          : (m.interactive?.button_reply || m.interactive?.list_reply)?.title;
        case 'image': return '📷 Photo';
        case 'document': return '📄 ' + (m.document?.filename || 'Document');
        case 'audio': return '🎤 Voice note';
        case 'location': return '📍 Location';
        case 'sticker': return '🙂 Sticker';
        case 'system': return '🔄 ' + (m.system?.body || 'identity changed');
        default: return m.type;
      }
    }
    const rich = window.sandboxMessages?.summary(m);
    if (rich !== undefined) return rich;
    switch (m.type) {
      case 'text': return m.text?.body;
      case 'interactive': return m.interactive?.body?.text;
      case 'template': return '📄 ' + m.template?.name;
      case 'reaction': return 'reacted ' + m.reaction?.emoji;
      case 'image': return '📷 Photo';
      case 'audio': return '🎤 Audio';
      case 'video': return '🎬 Video';
      case 'document': return '📄 ' + (m.document?.filename || 'Document');
      default: return '[' + m.type + ']';
    }
  }

  // ---- customers ----------------------------------------------------------------------------------

  /**
   * A customer as the API tells them (their ids may have changed); with {@code business}, their chat with that
   * number starts too. Every chat of theirs shows their new ids.
   */
  function addCustomer(c) {
    const { business, ...person } = c;
    state.people.set(person.number, { ...state.people.get(person.number), ...person });
    for (const chat of state.customers.values()) {
      if (chat.number === person.number) Object.assign(chat, person);
    }
    if (business) addChat(business, person.number);
    offerKnownCustomers();
    renderCustomers();
  }

  /** A customer the page knows can write to another business number too: their number is offered as you type it. */
  function offerKnownCustomers() {
    $('known-customers').innerHTML = [...state.people.values()].filter((p) => p.phone && !isAgent(p.number))
      .map((p) => `<option value="${escapeHtml(p.phone)}">${escapeHtml(p.name)}</option>`).join('');
  }

  /** Starts the chat of a customer with a business number, if the page had none. */
  function addChat(business, customer) {
    const key = chatKey(business, customer);
    if (!state.customers.has(key)) {
      const person = state.people.get(customer) || { number: customer, name: '+' + customer };
      state.customers.set(key, { unread: 0, last: '', ...person, key, business: business || state.numbers[0]?.phoneNumberId });
    }
    if (!state.transcripts.has(key)) state.transcripts.set(key, []);
    if (!state.traces.has(key)) state.traces.set(key, new Map());
    return key;
  }

  /** The picker: one button per business number, with the unread count of its chats. */
  function renderNumbers() {
    const box = $('business-numbers');
    box.hidden = state.numbers.length < 2;
    box.innerHTML = '';
    for (const n of state.numbers) {
      const unread = [...state.customers.values()].filter((c) => c.business === n.phoneNumberId)
        .reduce((sum, c) => sum + (c.unread || 0), 0);
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.business = n.phoneNumberId;
      button.dataset.name = n.name;
      button.setAttribute('aria-pressed', String(n.phoneNumberId === state.business));
      button.title = `${n.businessName || n.name}: phone number id ${n.phoneNumberId}`;
      button.innerHTML = `<span class="number-name">${escapeHtml(n.name)}</span>${
        unread && n.phoneNumberId !== state.business ? `<span class="badge">${unread}</span>` : ''}`;
      button.addEventListener('click', () => pickBusiness(n.phoneNumberId));
      box.appendChild(button);
    }
  }

  /** Shows the chats of another business number; on a larger screen, opens its first one. */
  function pickBusiness(id) {
    if (id === state.business) return;
    state.business = id;
    const n = businessOf(id);
    $('bot-number').textContent = `simulated WhatsApp · ${n ? (n.businessName || n.name) + ' · ' : ''}phone number id ${id}`;
    const first = [...state.customers.values()].find((c) => c.business === id && !isAgent(c.number))
      || [...state.customers.values()].find((c) => c.business === id);
    if (state.customers.get(state.current)?.business !== id) {
      if (first && !phone.matches) select(first.key);
      else if (state.current) clearChat();
    }
    renderCustomers();
  }

  /** No chat open: the list's number has none yet. */
  function clearChat() {
    state.current = null;
    $('chat-name').textContent = 'Pick or add a customer';
    $('chat-business').hidden = true;
    $('chat-avatar').textContent = '?';
    $('text').disabled = true;
    $('send').disabled = true;
    $('messages').innerHTML = '';
    if (phone.matches) showView('list');
    renderTyping();
    renderTimeline();
  }

  function renderCustomers() {
    const list = $('customers');
    list.innerHTML = '';
    for (const c of state.customers.values()) {
      if (c.business !== state.business) continue;
      const li = document.createElement('li');
      li.className = [c.key === state.current ? 'active' : '', isAgent(c.number) ? 'agent' : ''].join(' ').trim();
      li.dataset.number = c.number;
      li.dataset.business = c.business;
      const idle = isAgent(c.number) ? 'You play the agent: hand-offs arrive here' : label(c);
      li.innerHTML = `<div class="avatar">${escapeHtml(avatar(c))}</div>
        <div class="who"><div class="who-name">${escapeHtml(chatName(c))}</div>
        <div class="who-last">${escapeHtml(plainText(c.last) || idle)}</div></div>
        ${c.unread ? `<span class="badge">${c.unread}</span>` : ''}`;
      li.addEventListener('click', () => select(c.key));
      list.appendChild(li);
    }
    renderNumbers();
  }

  function select(key) {
    state.current = key;
    const c = state.customers.get(key);
    if (c.business !== state.business) pickBusiness(c.business);
    const seat = isAgent(c.number);
    $('chat-name').textContent = chatName(c) + '  ·  ' + (seat ? 'you play the agent' : label(c));
    // which business number this chat is with: a customer on two numbers has two chats
    $('chat-business').hidden = state.numbers.length < 2;
    $('chat-business').textContent = businessName(c.business);
    $('chat-business').title = `This chat is with ${businessOf(c.business)?.businessName || businessName(c.business)} (${
      businessName(c.business)}, phone number id ${c.business})`;
    $('chat-avatar').textContent = avatar(c);
    $('app').classList.toggle('agent-seat', seat);
    $('text').placeholder = seat ? 'Write to the customer you answer'
      : state.numbers.length > 1 ? `Message ${businessName(c.business)}` : 'Type a message';
    $('text').disabled = false;
    $('send').disabled = false;
    showView('chat');
    if (!phone.matches) $('text').focus();
    renderTyping();
    renderCustomers();
    renderChat();
    renderTimeline();
  }

  /** The customer reads the bot's messages: blue ticks for the bot, and no unread badge after a reload. */
  function markChatRead(key) {
    const c = state.customers.get(key);
    for (const e of state.transcripts.get(key) || []) {
      if (e.from === 'bot' && e.wamid && e.status !== 'read') {
        e.status = 'read';
        // the read report goes to the number that sent the message: the sandbox finds it by wamid
        api(`/customers/${c.number}/read`, { method: 'POST', body: JSON.stringify({ wamid: e.wamid }) }).catch(() => {});
      }
    }
    if (c && c.unread) {
      c.unread = 0;
      renderCustomers();
    }
  }

  // ---- transcript ---------------------------------------------------------------------------------

  function addEntry(entry) {
    if (entry.wamid && state.byWamid.has(entry.wamid)) return; // already shown (API answer and stream both tell)
    const key = addChat(entry.business, entry.customer);
    if (entry.wamid) state.byWamid.set(entry.wamid, entry);
    state.transcripts.get(key).push(entry);
    const c = state.customers.get(key);
    if (entry.message?.type === 'reaction' && entry.from === 'bot') {
      const target = state.byWamid.get(entry.message.reaction.message_id);
      if (target) target.reaction = entry.message.reaction.emoji;
    } else {
      c.last = summary(entry) || c.last;
    }
    if (entry.from === 'bot') {
      setTyping(key, false);
      if (onScreen(key)) markChatRead(key);
      else if (entry.status !== 'read') c.unread += 1; // a reload replays the transcript: read ones stay read
    }
    renderCustomers();
    if (key === state.current) renderChat();
  }

  function renderChat() {
    const box = $('messages');
    box.innerHTML = '';
    const entries = state.transcripts.get(state.current) || [];
    if (!entries.length) {
      box.innerHTML = isAgentChat(state.current) ? `<div class="empty"><h2>You are ${escapeHtml(team(state.current))}</h2><p>When a customer
        asks for a person (say <em>agent</em> in their chat), the request arrives here. Tap <strong>Answer</strong>,
        then write: the customer gets your words from the business number while the bot stays quiet. Tap
        <strong>Hand back to bot</strong> when you are done.</p></div>`
        : `<div class="empty"><h2>Say hi</h2><p>Type <strong>hi</strong> below. Try <em>menu</em>,
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
    let html = quoted ? quoteHtml(quoted) : '';
    if (m.referral) html += `<span class="ad">📣 from the ad “${escapeHtml(m.referral.headline || m.referral.source_url)}”</span>`;
    html += reply ? escapeHtml(reply.title) + (reply.description ? `<div class="footer">${escapeHtml(reply.description)}</div>` : '')
      : m.type === 'text' ? formatText(m.text.body)
        : (m.type === 'location' && window.sandboxMessages?.cardHtml(m)) || (m.type === 'image' ? mediaHtml(m) : '') + escapeHtml(summary(e));
    row.innerHTML = `<div class="bubble${m.type !== 'text' && !reply ? ' media' : ''}">${html}<span class="meta">${
      time(e.at)} ${ticks(e.status)}</span></div>
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
    const quote = quoted ? quoteHtml(quoted) : '';
    // carousels, products, location and contact cards, CTA and request buttons: sandbox-messages.js
    const rich = window.sandboxMessages?.render(m, { quote, meta,
      sendLocation: () => send({ type: 'location', context: e.wamid }),
      reply: (id, title) => send({ type: 'button', id, title, context: e.wamid }) });
    if (rich) {
      row.classList.add('rich-row');
      row.appendChild(rich);
    } else if (m.type === 'text') {
      const staff = m.staff ? '<span class="staff">Staff · WhatsApp Business app</span>' : '';
      row.innerHTML = `<div class="bubble">${staff}${quote}${formatText(m.text.body)}${meta}</div>`;
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
      } else if (i.type === 'flow') {
        // WhatsApp Flows: the form opens over the chat (sandbox-flows.js) and talks to the bot's real /flows
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'flow-open';
        button.textContent = '📋 ' + i.action.parameters.flow_cta;
        button.addEventListener('click', () => window.sandboxFlows.open(e.customer, e.wamid));
        actions.appendChild(button);
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
      const shown = mediaHtml(m);
      row.innerHTML = shown
        ? `<div class="bubble has-media">${quote}${shown}${media.caption ? formatText(media.caption) : ''}${meta}</div>`
        : `<div class="bubble media">[${escapeHtml(m.type)}] ${escapeHtml(media.caption || media.link || media.id || '')}${meta}</div>`;
    }
    return row;
  }

  /**
   * A media message as the phone shows it: the file the simulator holds for its id (a customer's attachment,
   * a file the bot uploaded) or the link the bot sent. Empty for a kind the page does not render.
   */
  function mediaHtml(m) {
    const media = m[m.type] || {};
    const src = media.link ? media.link : media.id && /^\d+$/.test(media.id) ? '/sandbox/api/media/' + media.id : null;
    if (!src) return '';
    const url = escapeHtml(src);
    switch (m.type) {
      case 'image': return `<img class="media-img" src="${url}" alt="photo">`;
      case 'audio': return `<audio controls preload="none" src="${url}"></audio>`;
      case 'video': return `<video controls preload="none" src="${url}"></video>`;
      case 'document': return `<a class="media-file" href="${url}" target="_blank" rel="noopener">📄 ${
        escapeHtml(media.filename || 'Document')}</a>`;
      default: return '';
    }
  }

  /** Sends a photo or PDF the customer picked, as base64 (the sandbox takes up to 5 MiB). */
  function attachFile(file) {
    if (!file) return;
    if (file.size > 5 * 1024 * 1024) {
      alert('The sandbox takes files up to 5 MiB.');
      return;
    }
    const reader = new FileReader();
    reader.onload = () => {
      const data = String(reader.result).replace(/^data:[^,]*,/, '');
      const kind = file.type === 'application/pdf' ? 'document' : 'image';
      send({ type: kind, data, mimeType: file.type, filename: file.name });
    };
    reader.readAsDataURL(file);
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

  /**
   * The bot's typing indicator for one customer, from its read receipt. It ends with the bot's next
   * message, or after 25 s as on a phone; an indicator for a message the bot already answered is late
   * and ignored (a bot that stays quiet on purpose, in a hand-off, sends none).
   */
  function setTyping(key, on, forWamid) {
    if (on && forWamid && answered(key, forWamid)) return;
    if (on) state.typing.set(key, Date.now() + 25000);
    else state.typing.delete(key);
    if (key === state.current) renderTyping();
  }

  function answered(key, wamid) {
    const entries = state.transcripts.get(key) || [];
    const at = entries.findIndex((e) => e.wamid === wamid);
    return at >= 0 && entries.slice(at + 1).some((e) => e.from === 'bot' && e.message?.type !== 'reaction');
  }

  function renderTyping() {
    clearTimeout(state.typingTimer);
    const until = state.typing.get(state.current) || 0;
    const on = until > Date.now();
    const quiet = !on && withPerson(state.current);
    const status = $('chat-status');
    status.textContent = on ? 'typing…' : quiet ? `with ${team(state.current)} · the bot stays quiet` : '';
    status.classList.toggle('typing', on);
    status.classList.toggle('handoff', quiet);
    if (on) state.typingTimer = setTimeout(renderTyping, until - Date.now());
  }

  /** Whether a person has this customer's conversation: the bot's latest hand-off event says so. */
  function withPerson(key) {
    let latest = null;
    for (const trace of (state.traces.get(key) || new Map()).values()) {
      for (const step of trace.steps) {
        if ((step.name === 'handoff.requested' || step.name === 'handoff.ended') && (!latest || step.at >= latest.at)) {
          latest = step;
        }
      }
    }
    return latest?.name === 'handoff.requested';
  }

  function setStatus(wamid, status) {
    const entry = state.byWamid.get(wamid);
    if (!entry) return;
    const rank = { undefined: 0, sent: 1, delivered: 2, read: 3, failed: 4 };
    if ((rank[status] ?? 0) > (rank[entry.status] ?? 0)) entry.status = status;
    if (keyOf(entry) === state.current) renderChat();
  }

  // ---- sending ------------------------------------------------------------------------------------

  async function send(message) {
    if (!state.current) return;
    const c = state.customers.get(state.current);
    try {
      const result = await api(`/customers/${c.number}/messages${businessQuery(c)}`, { method: 'POST',
        body: JSON.stringify(message) });
      addEntry(result.entry);
      setStatus(result.entry.wamid, result.webhookStatus === 200 ? 'delivered' : 'failed');
    } catch (err) {
      alert('Could not send: ' + err.message);
    }
  }

  // ---- Meta events: webhooks on demand, and the bot's alerts ------------------------------------

  async function metaEvent(button) {
    const event = button.dataset.event;
    const status = $('meta-status');
    if ((event === 'staff_reply' || event === 'from_ad') && !state.current) {
      status.textContent = 'Pick a customer first: it happens in their chat.';
      return;
    }
    if (event === 'from_ad') {
      status.textContent = '';
      return send({ type: 'ad' });
    }
    try {
      const c = state.customers.get(state.current);
      // a staff reply happens in the chat on screen; an account event is about the number picked
      const body = event === 'staff_reply' ? { event, customer: c.number, business: c.business }
        : { event, business: state.business };
      await api('/simulate', { method: 'POST', body: JSON.stringify(body) });
      status.textContent = event === 'staff_reply' ? 'The person in the app has the chat now: the bot stays quiet.'
        : 'Sent. The bot raises or resolves its alert within alerts.checkInterval.';
      if (button.dataset.undo) {
        [button.dataset.event, button.dataset.undo] = [button.dataset.undo, button.dataset.event];
        [button.textContent, button.dataset.undoLabel] = [button.dataset.undoLabel, button.textContent];
      }
    } catch (err) {
      status.textContent = 'Could not send: ' + err.message;
    }
  }

  function addAlert(a) {
    const li = document.createElement('li');
    const resolved = a.name === 'alert.resolved';
    li.className = resolved ? 'resolved' : 'fired';
    li.dataset.alert = a.fields?.alert || '';
    li.innerHTML = `<span class="alert-name">${resolved ? '✅' : '🚨'} ${escapeHtml(a.fields?.alert || a.name)}</span> ${
      escapeHtml(a.text || '')} <span class="meta">${time(a.at)}</span>`;
    $('alerts').prepend(li);
    while ($('alerts').children.length > 20) $('alerts').lastChild.remove();
  }

  // ---- under the hood -----------------------------------------------------------------------------

  function addTrace(t) {
    const chat = keyOf(t);
    if (!state.traces.has(chat)) state.traces.set(chat, new Map());
    const traces = state.traces.get(chat);
    const key = t.correlationId || 'other';
    if (!traces.has(key)) traces.set(key, { steps: [], seen: new Set() });
    const trace = traces.get(key);
    const stepKey = t.name + '|' + t.at + '|' + t.text;
    if (trace.seen.has(stepKey)) return; // a reconnect replays the state
    trace.seen.add(stepKey);
    trace.steps.push(t);
    if (chat === state.current) {
      renderTimeline();
      if (t.name.startsWith('handoff.')) renderTyping();
    }
  }

  // The fields worth a glance; ids are long and the same on every step. Times and delays as people read them.
  function details(fields) {
    if (!fields) return '';
    const shown = Object.entries(fields).filter(([k]) => !['wamid', 'job_id', 'correlation_id'].includes(k))
      .map(([k, v]) => (k === 'delay_ms' && typeof v === 'number' ? `delay=${duration(v)}` : `${k}=${readable(v)}`));
    return shown.length ? `<span class="details">${escapeHtml(shown.join('  '))}</span>` : '';
  }

  /**
   * A step as the panel shows it. A postponed job waits on purpose (a hand-off's timer, a breaker or
   * rate-limit pause): logged as a warning for operators, it is shown as a wait, not as an error.
   */
  function stepView(s) {
    if (s.name !== 'job.postponed') return { level: s.level || '', text: s.text || '' };
    const delay = s.fields?.delay_ms;
    const until = typeof delay === 'number' ? ' until ' + readable(new Date(s.at + delay).toISOString()) : '';
    const text = s.fields?.reason === 'hand-off in progress'
      ? `The hand-off timer waits${until}: then the bot takes the conversation back, unless someone hands back first`
      : `Waiting on purpose${until} (${s.fields?.reason || 'postponed'}); not counted as a failed attempt`;
    return { level: 'wait', text };
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
      const title = source ? shorten(summary(source), 40) : id;
      const div = document.createElement('div');
      div.className = 'trace';
      div.innerHTML = `<div class="trace-title"><span>${escapeHtml(title || '')}</span>
        <span class="total" title="first to last step">${total} ms</span></div>` + steps.map((s) => {
        const view = stepView(s);
        return `
        <div class="step ${escapeHtml(view.level)}" data-name="${escapeHtml(s.name)}"><span class="at">+${s.at - start} ms</span>
        <span><span class="name">${escapeHtml(s.name)}</span><br><span class="text">${escapeHtml(view.text)}</span>${
          details(s.fields)}</span></div>`;
      }).join('');
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
      const result = await api(`/customers/${c.number}/change-number${businessQuery(c)}`, { method: 'POST',
        body: JSON.stringify(c.phone ? { number: randomNumber(prefix || '1') } : {}) });
      addCustomer(result.customer);
      select(chatKey(c.business, result.customer.number));
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
    change.innerHTML = '<span class="icon" aria-hidden="true">🔄</span><span class="label">Change number</span>';
    change.setAttribute('aria-label', 'Change number');
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
      setTyping(keyOf(t), t.on, t.wamid);
    });
    stream.addEventListener('trace', (ev) => addTrace(JSON.parse(ev.data)));
    stream.addEventListener('alert', (ev) => addAlert(JSON.parse(ev.data)));
  }

  async function loadState() {
    const s = await api('/state');
    state.numbers = s.numbers || [{ phoneNumberId: s.phoneNumberId, name: s.phoneNumberId }];
    const picked = state.business && businessOf(state.business) ? state.business : state.numbers[0].phoneNumberId;
    state.business = null;
    pickBusiness(picked);
    if (s.agent) {
      state.agent = s.agent.number;
      addCustomer(s.agent);
    }
    const hint = $('agent-hint');
    if (hint) hint.hidden = !s.agent;
    for (const c of s.customers) addCustomer(c);
    // the agent seat's chats come first in their number's list: the seat where hand-offs arrive
    for (const chat of s.chats || []) addChat(chat.business, chat.customer);
    for (const e of s.entries) addEntry(e);
    for (const t of s.traces) addTrace(t);
    $('alerts').replaceChildren();
    for (const a of s.alerts || []) addAlert(a);
    for (const e of s.entries) if (e.status) setStatus(e.wamid, e.status);
    renderCustomers();
    // a phone opens on the chat list, as WhatsApp does; a larger screen opens the first customer's chat
    const first = [...state.customers.values()].find((c) => c.business === state.business && !isAgent(c.number));
    if (!state.current && first && !phone.matches) select(first.key);
  }

  $('customer-country').addEventListener('change', (ev) => { $('customer-number').value = randomNumber(ev.target.value); });
  $('customer-number').value = randomNumber($('customer-country').value);
  $('customer-number').addEventListener('input', () => {
    const known = [...state.people.values()].find((p) => p.phone && p.phone === $('customer-number').value.trim());
    if (known) $('customer-name').value = known.name;
  });
  $('new-customer').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const option = $('customer-country').selectedOptions[0];
    // the chat starts with the number picked; a number the page knows is the same person writing to this number too
    const customer = await api('/customers', { method: 'POST',
      body: JSON.stringify({ ...newCustomerBody(option), business: state.business }) });
    addCustomer(customer);
    select(chatKey(customer.business, customer.number));
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
  for (const b of document.querySelectorAll('#attach-menu button[data-kind]')) {
    b.addEventListener('click', () => {
      $('attach-menu').hidden = true;
      send({ type: b.dataset.kind });
    });
  }
  $('attach-pick').addEventListener('click', () => { $('attach-menu').hidden = true; $('attach-file').click(); });
  $('attach-file').addEventListener('change', () => { attachFile($('attach-file').files[0]); $('attach-file').value = ''; });
  for (const b of document.querySelectorAll('#meta-events button[data-event]')) {
    b.addEventListener('click', () => metaEvent(b));
  }
  $('sheet-close').addEventListener('click', closeList);
  $('sheet').addEventListener('click', (ev) => { if (ev.target.id === 'sheet') closeList(); });
  $('toggle-events').addEventListener('click', () => setEventsOpen(!$('app').classList.contains('events-open')));
  $('close-events').addEventListener('click', () => setEventsOpen(false));
  $('back-to-list').addEventListener('click', () => showView('list'));
  // Open on a wide screen, where it has a column of its own; closed where it would cover the chat.
  if (!phone.matches) setEventsOpen(wide.matches);
  phone.addEventListener('change', () => showView(phone.matches ? (state.current ? 'chat' : 'list') : 'chat'));

  installIdentityControls();
  connect();
})();
