/*
 * Drawing Telegram messages: the bot's Telegram HTML becomes DOM nodes built one by one, keeping
 * only the tags Telegram itself accepts (b, strong, i, em, u, ins, s, strike, del, a, code, pre,
 * blockquote, tg-spoiler / span.tg-spoiler, tg-emoji); any other tag keeps only its text, and
 * no attribute survives but a link's http(s)/tg/mailto href and a code block's language.
 */
'use strict';

window.SandboxRender = (() => {
  const SAME = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'code', 'pre', 'blockquote']);
  const SAFE_HREF = /^(https?:|tg:|mailto:)/i;

  /** Telegram HTML as a fragment of safe nodes. */
  function telegramHtml(html) {
    const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
    const out = document.createDocumentFragment();
    for (const node of doc.body.childNodes) copyInto(out, node);
    return out;
  }

  function copyInto(parent, node) {
    if (node.nodeType === Node.TEXT_NODE) {
      parent.appendChild(document.createTextNode(node.nodeValue));
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    const tag = node.tagName.toLowerCase();
    let el = null;
    if (SAME.has(tag)) {
      el = document.createElement(tag);
      if (tag === 'code') {
        const lang = /(?:^|\s)language-([\w+-]{1,30})/.exec(node.getAttribute('class') || '');
        if (lang) el.dataset.lang = lang[1];
      }
      if (tag === 'blockquote' && node.hasAttribute('expandable')) el.classList.add('expandable');
    } else if (tag === 'a') {
      el = document.createElement('a');
      const href = node.getAttribute('href') || '';
      if (SAFE_HREF.test(href)) {
        el.href = href;
        el.target = '_blank';
        el.rel = 'noopener noreferrer';
      }
    } else if (tag === 'tg-spoiler' || (tag === 'span' && /\btg-spoiler\b/.test(node.getAttribute('class') || ''))) {
      el = document.createElement('span');
      el.className = 'spoiler';
      el.title = 'spoiler: click to show';
      el.addEventListener('click', () => el.classList.add('shown'));
    } else if (tag === 'tg-emoji') {
      el = document.createElement('span');
    }
    const target = el || parent;
    for (const child of node.childNodes) copyInto(target, child);
    if (el) parent.appendChild(el);
  }

  function time(ms) {
    return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });
  }

  /**
   * One message bubble. `mine` puts it on the right; `onPress(button)` is called for an inline
   * button with callback data.
   */
  function bubble(message, { mine, showAuthor, onPress }) {
    const row = document.createElement('div');
    row.className = `msg ${message.from}${mine ? ' mine' : ''}`;
    row.dataset.id = String(message.id);
    const box = document.createElement('div');
    box.className = 'bubble';
    if (showAuthor) {
      const author = document.createElement('div');
      author.className = `author ${message.from}`;
      author.textContent = message.author;
      box.appendChild(author);
    }
    const text = document.createElement('div');
    text.className = 'text';
    text.appendChild(telegramHtml(message.html));
    box.appendChild(text);
    const meta = document.createElement('span');
    meta.className = 'meta';
    meta.textContent = `${message.edited ? 'edited ' : ''}${time(message.at)}`;
    box.appendChild(meta);
    row.appendChild(box);
    if (message.buttons.length > 0) {
      const keyboard = document.createElement('div');
      keyboard.className = 'keyboard';
      for (const buttons of message.buttons) {
        const line = document.createElement('div');
        line.className = 'row';
        for (const button of buttons) {
          const b = document.createElement(button.url ? 'a' : 'button');
          b.className = 'inline-button';
          b.textContent = button.text;
          if (button.url && SAFE_HREF.test(button.url)) {
            b.href = button.url;
            b.target = '_blank';
            b.rel = 'noopener noreferrer';
          } else if (button.data) {
            b.type = 'button';
            b.addEventListener('click', () => onPress(message, button));
          }
          line.appendChild(b);
        }
        keyboard.appendChild(line);
      }
      row.appendChild(keyboard);
    }
    return row;
  }

  /**
   * The grey, live bubble of a draft the bot is writing (an empty draft is Telegram's "Thinking…"),
   * with a Stop button when the bot allows it (`onStop` is called).
   */
  function draft({ html, canStop }, onStop) {
    const row = document.createElement('div');
    row.className = 'msg bot draft';
    row.dataset.testid = 'draft';
    const box = document.createElement('div');
    box.className = 'bubble';
    const text = document.createElement('div');
    text.className = 'text';
    if (html.trim() === '') text.textContent = 'Thinking…';
    else text.appendChild(telegramHtml(html));
    box.appendChild(text);
    const meta = document.createElement('span');
    meta.className = 'meta';
    meta.textContent = 'writing…';
    box.appendChild(meta);
    row.appendChild(box);
    if (canStop) {
      const stop = document.createElement('button');
      stop.type = 'button';
      stop.className = 'inline-button stop';
      stop.textContent = '■ Stop';
      stop.addEventListener('click', onStop);
      row.appendChild(stop);
    }
    return row;
  }

  return { telegramHtml, bubble, draft };
})();
