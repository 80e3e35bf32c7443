// The bot's richer message types as WhatsApp draws them: carousel, product, product list, catalog,
// CTA URL button, location request, address request, location card and contact cards. sandbox.js
// asks render() for a bot message's row content and falls back to its own drawing when it gets null.
// No external map tiles or images are needed: the sandbox's network may be closed.
(() => {
  'use strict';

  const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  }[c]));
  const safeUrl = (u) => (/^https?:\/\//i.test(String(u || '')) ? String(u) : '#');

  function el(html) {
    const t = document.createElement('template');
    t.innerHTML = html.trim();
    return t.content.firstElementChild;
  }

  const frame = (i, inner = '') => `${i.header?.type === 'text' && i.header.text ? `<div class="header">${esc(i.header.text)}</div>` : ''}${
    inner}${i.body?.text ? `<div class="rich-body">${esc(i.body.text)}</div>` : ''}${
    i.footer?.text ? `<div class="footer">${esc(i.footer.text)}</div>` : ''}`;

  /** A media header: the simulator's copy for a numeric id, else the link; a tinted box when it cannot load. */
  function mediaBox(header) {
    const kind = header?.type;
    const media = header?.[kind] || {};
    const src = media.link || (/^\d+$/.test(media.id || '') ? '/sandbox/api/media/' + media.id : '');
    const icon = kind === 'video' ? '🎬' : '🖼️';
    return `<div class="card-media" data-kind="${esc(kind)}"><span aria-hidden="true">${icon}</span>${
      src && kind === 'image' ? `<img src="${esc(src)}" alt="" onerror="this.remove()">` : ''}</div>`;
  }

  function linkButton(text, url) {
    return `<a class="cta" href="${esc(safeUrl(url))}" target="_blank" rel="noopener noreferrer">↗ ${esc(text)}</a>`;
  }

  function carousel(i) {
    const cards = (i.action?.cards || []).map((c) => {
      const buttons = c.type === 'cta_url' || c.action?.name === 'cta_url'
        ? linkButton(c.action?.parameters?.display_text, c.action?.parameters?.url)
        : (c.action?.buttons || []).map((b) => `<button type="button" class="card-reply" data-id="${esc(b.reply?.id)}">${
          esc(b.reply?.title)}</button>`).join('');
      return `<div class="card" data-index="${esc(c.card_index)}">${mediaBox(c.header)}<div class="card-body">${
        esc(c.body?.text)}</div><div class="card-actions">${buttons}</div></div>`;
    }).join('');
    return `<div class="carousel" role="list">${cards}</div>`;
  }

  const productRow = (sku) => `<div class="product-row" data-sku="${esc(sku)}"><span class="product-thumb" aria-hidden="true">🛍️</span>
    <span class="product-name">${esc(sku)}</span><span class="product-note">retailer id</span></div>`;

  function productList(i) {
    return (i.action?.sections || []).map((s) => `<div class="product-section"><div class="sheet-section">${esc(s.title)}</div>${
      (s.product_items || []).map((p) => productRow(p.product_retailer_id)).join('')}</div>`).join('');
  }

  function locationCard(l) {
    const lat = Number(l.latitude);
    const lon = Number(l.longitude);
    // A drawn "map": a grid with a pin, placed by the coordinates so two places do not look identical.
    const x = Math.round(((lon + 180) % 10) * 10);
    const y = Math.round(((90 - lat) % 10) * 10);
    return `<div class="location-card"><div class="map" style="--pin-x:${x}%;--pin-y:${y}%"><span class="pin">📍</span></div>
      ${l.name ? `<div class="loc-name">${esc(l.name)}</div>` : ''}${l.address ? `<div class="loc-address">${esc(l.address)}</div>` : ''}
      <div class="loc-coords">${lat.toFixed(5)}, ${lon.toFixed(5)}</div></div>`;
  }

  function contactCards(cards) {
    return (cards || []).map((c) => `<div class="contact-card"><div class="contact-name">👤 ${esc(c.name?.formatted_name)}</div>${
      c.org?.company ? `<div class="contact-org">${esc([c.org.company, c.org.title].filter(Boolean).join(' · '))}</div>` : ''}${
      (c.phones || []).map((p) => `<div class="contact-phone">📞 ${esc(p.phone)}${p.type ? ` <span class="hint">${esc(p.type)}</span>` : ''}</div>`).join('')}${
      (c.emails || []).map((m) => `<div class="contact-email">✉️ ${esc(m.email)}</div>`).join('')}</div>`).join('');
  }

  /**
   * The row content for a bot message of a type this file draws, or null. {@code hooks}: quote (the
   * quoted message's HTML, or ''), meta (the time's HTML), sendLocation() (the customer shares a sample
   * location in reply), reply(id, title) (the customer taps a card's quick-reply button).
   */
  function render(m, hooks) {
    const { quote = '', meta = '' } = hooks;
    if (m.type === 'location') {
      return el(`<div class="bubble rich" data-type="location">${quote}${locationCard(m.location || {})}${meta}</div>`);
    }
    if (m.type === 'contacts') {
      return el(`<div class="bubble rich" data-type="contacts">${quote}${contactCards(m.contacts)}${meta}</div>`);
    }
    if (m.type !== 'interactive') return null;
    const i = m.interactive || {};
    const wrap = (type, inner, after = '') => el(`<div class="rich-wrap" data-type="${type}"><div class="bubble rich">${quote}${
      inner}${meta}</div>${after}</div>`);
    switch (i.type) {
      case 'cta_url':
        return wrap('cta_url', frame(i), `<div class="actions">${linkButton(i.action?.parameters?.display_text,
          i.action?.parameters?.url)}</div>`);
      case 'carousel': {
        const node = wrap('carousel', frame(i), carousel(i));
        for (const b of node.querySelectorAll('.card-reply')) b.addEventListener('click', () => hooks.reply(b.dataset.id, b.textContent));
        return node;
      }
      case 'product':
        return wrap('product', productRow(i.action?.product_retailer_id) + frame(i),
          '<div class="actions"><button type="button" disabled title="The sandbox has no Meta catalog">View</button></div>');
      case 'product_list':
        return wrap('product_list', frame(i) + productList(i));
      case 'catalog_message': {
        const thumb = i.action?.parameters?.thumbnail_product_retailer_id;
        return wrap('catalog_message', (thumb ? productRow(thumb) : '') + frame(i),
          '<div class="actions"><button type="button" disabled title="The sandbox has no Meta catalog">🛍️ View catalog</button></div>');
      }
      case 'address_message':
        return wrap('address_message', frame(i) + `<div class="hint">Address form · ${esc(i.action?.parameters?.country)}</div>`,
          '<div class="actions"><button type="button" disabled title="WhatsApp shows the address form on the phone">🏠 Provide address</button></div>');
      case 'location_request_message': {
        const node = wrap('location_request_message', frame(i),
          '<div class="actions"><button type="button" class="send-location">📍 Send location</button></div>');
        node.querySelector('.send-location').addEventListener('click', () => hooks.sendLocation());
        return node;
      }
      default:
        return null;
    }
  }

  /** A plain-text line for previews, or undefined for the types sandbox.js describes itself. */
  function summary(m) {
    switch (m.type === 'interactive' ? m.interactive?.type : m.type) {
      case 'location': return '📍 ' + (m.location?.name || 'Location');
      case 'contacts': return '👤 ' + (m.contacts || []).map((c) => c.name?.formatted_name).join(', ');
      case 'carousel': return '🎠 ' + (m.interactive.body?.text || 'Cards');
      case 'product': return '🛍️ ' + (m.interactive.body?.text || m.interactive.action?.product_retailer_id);
      case 'product_list': case 'catalog_message': case 'cta_url': case 'location_request_message': case 'address_message':
        return m.interactive.body?.text;
      default: return undefined;
    }
  }

  /** A location or contacts message's card as HTML (the customer shares them too), or ''. */
  const cardHtml = (m) => (m.type === 'location' ? locationCard(m.location || {}) : m.type === 'contacts' ? contactCards(m.contacts) : '');

  window.sandboxMessages = { render, summary, cardHtml };
})();
