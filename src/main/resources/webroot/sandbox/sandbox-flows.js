// WhatsApp Flows on the sandbox page: a bot message with a flow button opens the flow as a form over the
// chat, as WhatsApp does on a phone. The screens come from the flow's JSON (conf/flows); every step goes
// through the sandbox to the bot's real POST /flows, encrypted and signed as Meta's client would, and
// shows in "Under the hood". When the flow closes, the phone sends the completion to the chat.
(() => {
  'use strict';

  const escapeHtml = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  })[c]);

  let open = null; // {number, wamid, definition, stack: [{screen, data}], form: {}}

  function sheet() {
    let el = document.getElementById('flow-sheet');
    if (el) return el;
    el = document.createElement('div');
    el.className = 'sheet flow-sheet';
    el.id = 'flow-sheet';
    el.hidden = true;
    el.innerHTML = `<div class="sheet-card" role="dialog" aria-modal="true" aria-labelledby="flow-title">
      <header><button type="button" id="flow-close" aria-label="Close">✕</button>
        <button type="button" id="flow-back" aria-label="Back" hidden>‹</button><span id="flow-title"></span></header>
      <div class="flow-error" id="flow-error" role="alert" hidden></div>
      <form class="sheet-body flow-body" id="flow-body" novalidate></form>
    </div>`;
    document.body.appendChild(el);
    el.querySelector('#flow-close').addEventListener('click', close);
    el.querySelector('#flow-back').addEventListener('click', back);
    el.querySelector('#flow-body').addEventListener('input', () => showError('')); // a fix clears the complaint
    return el;
  }

  async function step(body) {
    const r = await fetch(`/sandbox/api/customers/${encodeURIComponent(open.number)}/flows`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ wamid: open.wamid, ...body }),
    });
    const json = await r.json();
    if (!r.ok) throw new Error(json.error || r.statusText);
    return json;
  }

  async function start(number, wamid) {
    open = { number, wamid, definition: null, stack: [], form: {} };
    const el = sheet();
    el.hidden = false;
    document.getElementById('flow-title').textContent = 'Opening…';
    document.getElementById('flow-body').innerHTML = '';
    try {
      const view = await step({ action: 'open' });
      open.definition = view.definition;
      answered(view);
    } catch (err) {
      showError(err.message);
    }
  }

  function answered(view) {
    if (view.closed) {
      const message = view.message;
      close();
      if (message) alert(message); // the 427 text WhatsApp shows before it closes the flow
      return;
    }
    if (view.status !== 200 || !view.screen) {
      showError(view.message || `The endpoint answered HTTP ${view.status}`);
      return;
    }
    open.stack.push({ screen: view.screen, data: view.data || {} });
    render();
    if (view.errorMessage) showError(view.errorMessage);
  }

  function showError(text) {
    const box = document.getElementById('flow-error');
    box.textContent = text;
    box.hidden = !text;
  }

  function close() {
    open = null;
    sheet().hidden = true;
  }

  function back() {
    if (open && open.stack.length > 1) {
      open.stack.pop();
      render();
    }
  }

  /** "${data.x}" and "${form.x}" as the Flow JSON binds them; other strings as they are. */
  function bind(value, data) {
    if (typeof value === 'string') {
      const whole = /^\$\{(data|form)\.([\w-]+)\}$/.exec(value);
      if (whole) return whole[1] === 'data' ? data[whole[2]] : formValue(whole[2]);
      return value.replace(/\$\{(data|form)\.([\w-]+)\}/g, (m, where, key) => String((where === 'data' ? data[key] : formValue(key)) ?? ''));
    }
    if (Array.isArray(value)) return value.map((v) => bind(v, data));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, bind(v, data)]));
    return value;
  }

  function formValue(name) {
    const form = document.getElementById('flow-body');
    const fields = [...form.querySelectorAll(`[name="${CSS.escape(name)}"]`)];
    if (!fields.length) return undefined;
    if (fields[0].type === 'radio') return fields.find((f) => f.checked)?.value ?? '';
    if (fields[0].type === 'checkbox') {
      return fields.length === 1 && !fields[0].value ? fields[0].checked : fields.filter((f) => f.checked).map((f) => f.value);
    }
    return fields[0].value;
  }

  function render() {
    const { screen, data } = open.stack[open.stack.length - 1];
    const definition = open.definition.screens.find((s) => s.id === screen);
    showError('');
    document.getElementById('flow-back').hidden = open.stack.length < 2;
    document.getElementById('flow-title').textContent = definition ? bind(definition.title, data) : screen;
    const form = document.getElementById('flow-body');
    form.innerHTML = '';
    form.dataset.screen = screen;
    if (!definition) {
      showError(`The flow has no screen ${screen}`);
      return;
    }
    const children = (definition.layout?.children || []).flatMap((c) => (c.type === 'Form' ? c.children || [] : [c]));
    for (const c of children) form.appendChild(component(c, data));
  }

  function field(c, inner) {
    const div = document.createElement('div');
    div.className = 'flow-field';
    div.innerHTML = `<div class="flow-label">${escapeHtml(c.label)}${c.required ? ' *' : ''}</div>${inner}`;
    return div;
  }

  function component(c, data) {
    const text = (cls) => {
      const p = document.createElement('p');
      p.className = cls;
      p.textContent = bind(c.text, data) ?? '';
      return p;
    };
    switch (c.type) {
      case 'TextHeading': return text('flow-heading');
      case 'TextSubheading': return text('flow-subheading');
      case 'TextBody': return text('flow-text');
      case 'TextCaption': return text('flow-caption');
      case 'Dropdown': {
        const options = bind(c['data-source'], data) || [];
        return field(c, `<select name="${escapeHtml(c.name)}" ${c.required ? 'required' : ''}><option value="">Select</option>${
          options.map((o) => `<option value="${escapeHtml(o.id)}">${escapeHtml(o.title)}</option>`).join('')}</select>`);
      }
      case 'RadioButtonsGroup':
      case 'CheckboxGroup': {
        const type = c.type === 'RadioButtonsGroup' ? 'radio' : 'checkbox';
        const options = bind(c['data-source'], data) || [];
        return field(c, options.map((o) => `<label class="flow-option"><input type="${type}" name="${escapeHtml(c.name)}" value="${
          escapeHtml(o.id)}" ${c.required && type === 'radio' ? 'required' : ''}> ${escapeHtml(o.title)}${
          o.description ? `<span class="desc">${escapeHtml(o.description)}</span>` : ''}</label>`).join(''));
      }
      case 'TextInput': {
        const type = { number: 'number', email: 'email', phone: 'tel', password: 'password' }[c['input-type']] || 'text';
        return field(c, `<input type="${type}" name="${escapeHtml(c.name)}" ${c.required ? 'required' : ''}>`);
      }
      case 'TextArea': return field(c, `<textarea name="${escapeHtml(c.name)}" rows="3" ${c.required ? 'required' : ''}></textarea>`);
      case 'DatePicker': return field(c, `<input type="date" name="${escapeHtml(c.name)}" ${c.required ? 'required' : ''}>`);
      case 'OptIn': {
        const div = document.createElement('label');
        div.className = 'flow-option';
        div.innerHTML = `<input type="checkbox" name="${escapeHtml(c.name)}" ${c.required ? 'required' : ''}> ${escapeHtml(c.label)}`;
        return div;
      }
      case 'Footer': {
        const button = document.createElement('button');
        button.type = 'submit';
        button.id = 'flow-footer';
        button.className = 'flow-footer';
        button.textContent = bind(c.label, data);
        button.addEventListener('click', (ev) => {
          ev.preventDefault();
          act(c['on-click-action'] || {}, data);
        });
        return button;
      }
      default: {
        const p = document.createElement('p');
        p.className = 'flow-caption';
        p.textContent = `[${c.type}: not rendered by the sandbox]`;
        return p;
      }
    }
  }

  async function act(action, data) {
    const form = document.getElementById('flow-body');
    const missing = [...form.querySelectorAll('[required]')].filter((f) => (f.type === 'radio'
      ? !form.querySelector(`[name="${CSS.escape(f.name)}"]:checked`) : f.type === 'checkbox' ? !f.checked : !f.value.trim()));
    if (missing.length) {
      showError('Fill in ' + [...new Set(missing.map((f) => f.closest('.flow-field')?.querySelector('.flow-label')?.textContent
        .replace(' *', '') || f.name))].join(', '));
      return;
    }
    const payload = bind(action.payload || {}, data);
    const button = document.getElementById('flow-footer');
    button.disabled = true;
    try {
      if (action.name === 'navigate') {
        open.stack.push({ screen: action.next?.name, data: payload });
        render();
      } else if (action.name === 'complete') {
        answered(await step({ action: 'complete', data: payload }));
      } else {
        answered(await step({ action: 'data_exchange', screen: open.stack[open.stack.length - 1].screen, data: payload }));
      }
    } catch (err) {
      showError(err.message);
    } finally {
      if (button.isConnected) button.disabled = false;
    }
  }

  window.sandboxFlows = { open: start };
})();
