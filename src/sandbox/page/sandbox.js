/*
 * The sandbox page's behaviour: follows the screen with a long poll of /sandbox/api/state and
 * sends what the user and the operators do to /sandbox/api (see src/sandbox/sandbox.route.ts).
 * Plain browser JavaScript, no build step.
 */
'use strict';

(() => {
  const { bubble, draft } = window.SandboxRender;
  const $ = (id) => document.getElementById(id);
  const view = { state: null, userId: null, operatorId: null, threadId: null, knownTopics: new Set() };

  async function api(path, body) {
    const res = await fetch(`/sandbox/api/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(answer.error ? answer.error.message : `HTTP ${res.status}`);
    return answer;
  }

  function showError(error) {
    const box = $('error');
    box.textContent = String(error.message || error);
    box.hidden = false;
    clearTimeout(showError.timer);
    showError.timer = setTimeout(() => { box.hidden = true; }, 6000);
  }

  /** Redraws a message list, keeping the scroll at the bottom when it was there. */
  function fill(list, nodes) {
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    list.replaceChildren(...nodes);
    if (atBottom || list.dataset.filled !== 'yes') list.scrollTop = list.scrollHeight;
    list.dataset.filled = 'yes';
  }

  function renderUser(state) {
    const tabs = $('user-tabs');
    const buttons = state.users.map((u) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.role = 'tab';
      b.className = `tab${u.id === view.userId ? ' active' : ''}`;
      b.dataset.userId = String(u.id);
      b.textContent = u.lang ? `${u.firstName} · ${u.lang}` : u.firstName;
      b.addEventListener('click', () => { view.userId = u.id; render(); });
      return b;
    });
    const add = document.createElement('button');
    add.type = 'button';
    add.className = 'tab add';
    add.textContent = '+ user';
    add.addEventListener('click', () => { $('new-user').hidden = !$('new-user').hidden; $('new-user-name').focus(); });
    tabs.replaceChildren(...buttons, add);

    const user = state.users.find((u) => u.id === view.userId);
    if (!user) return;
    $('user-who').textContent = `you are ${user.firstName}${user.lang ? ` (${user.lang === 'ru' ? 'Русский' : 'English'})` : ''}`;
    $('user-status').textContent = user.draft ? 'writing…' : 'bot';
    const nodes = user.messages.map((m) =>
      bubble(m, { mine: m.from === 'user', showAuthor: false, onPress: (msg, button) => press(`users/${user.id}/callback`, msg, button) }),
    );
    if (user.draft) {
      const { draftId } = user.draft;
      nodes.push(draft(user.draft, () => api(`users/${user.id}/stop`, { draftId }).catch(showError)));
    }
    if (user.messages.length === 0) nodes.push(startCard(user));
    fill($('user-messages'), nodes);
  }

  /** A new chat shows Telegram's Start button: it sends /start. */
  function startCard(user) {
    const card = document.createElement('div');
    card.className = 'start-card';
    const text = document.createElement('p');
    text.textContent = user.lang === 'ru'
      ? 'Бот поддержки: отвечает по базе знаний и зовёт человека, когда нужно.'
      : 'A support bot: it answers from the knowledge base and calls a human when needed.';
    const start = document.createElement('button');
    start.type = 'button';
    start.className = 'start';
    start.textContent = 'START';
    start.addEventListener('click', () => api(`users/${user.id}/messages`, { text: '/start' }).catch(showError));
    card.append(text, start);
    return card;
  }

  function renderOperators(state) {
    const select = $('operator');
    if (select.options.length === 0) {
      for (const op of state.operators) select.appendChild(new Option(op.firstName, String(op.id)));
      select.value = String(view.operatorId);
    }
    const entries = [{ threadId: null, name: 'General', closed: false, messages: state.group.general }, ...state.group.topics];
    const current = entries.find((t) => t.threadId === view.threadId) || entries[0];
    view.threadId = current.threadId;
    $('topics').replaceChildren(...entries.map((t) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = `topic${t === current ? ' active' : ''}${t.closed ? ' closed' : ''}`;
      b.dataset.threadId = t.threadId === null ? 'general' : String(t.threadId);
      const last = t.messages[t.messages.length - 1];
      const name = document.createElement('div');
      name.className = 'topic-name';
      name.textContent = `${t.threadId === null ? '#' : '💬'} ${t.name}${t.closed ? ' · closed' : ''}`;
      const preview = document.createElement('div');
      preview.className = 'topic-preview';
      preview.textContent = last ? `${last.author}: ${textOf(last.html)}` : 'no messages yet';
      b.append(name, preview);
      b.addEventListener('click', () => { view.threadId = t.threadId; render(); $('ops-input').focus(); });
      return b;
    }));
    $('topic-title').textContent = current.threadId === null ? 'General' : `${current.name}${current.closed ? ' (closed)' : ''}`;
    const me = view.operatorId;
    fill($('ops-messages'), current.messages.map((m) =>
      bubble(m, { mine: m.from === 'operator' && m.author === nameOf(state, me), showAuthor: true, onPress: (msg, button) => press(`operators/${me}/callback`, msg, button) }),
    ));
    $('ops-input').placeholder = `Message as ${nameOf(state, me)} in ${current.threadId === null ? 'General' : current.name}: text, /take, /close…`;
  }

  function nameOf(state, operatorId) {
    const op = state.operators.find((o) => o.id === operatorId);
    return op ? op.firstName : '';
  }

  function textOf(html) {
    const div = document.createElement('div');
    div.appendChild(window.SandboxRender.telegramHtml(html));
    const text = div.textContent.replace(/\s+/g, ' ').trim();
    return text.length > 60 ? `${text.slice(0, 60)}…` : text;
  }

  function render() {
    const state = view.state;
    if (!state) return;
    renderUser(state);
    renderOperators(state);
  }

  async function press(path, message, button) {
    try {
      await api(path, { messageId: message.id, data: button.data });
    } catch (error) {
      showError(error);
    }
  }

  /** The header says which LLM answers: the demo responder, or the configured model and its host. */
  async function showLlm() {
    try {
      const { llm } = await api('info');
      $('llm-label').textContent = llm.kind === 'demo' ? llm.label : `${llm.model} · ${llm.host}`;
      $('llm-label').className = `badge ${llm.kind}`;
    } catch (error) {
      showError(error);
    }
  }

  async function follow() {
    for (;;) {
      try {
        const state = await api(view.state ? `state?since=${view.state.version}` : 'state');
        if (view.userId === null && state.users.length > 0) view.userId = state.users[0].id;
        if (view.operatorId === null && state.operators.length > 0) view.operatorId = state.operators[0].id;
        // A new topic (a new ticket) is opened at once, as an operator would open it.
        for (const topic of state.group.topics) {
          if (view.knownTopics.has(topic.threadId)) continue;
          if (view.state !== null) view.threadId = topic.threadId;
          view.knownTopics.add(topic.threadId);
        }
        view.state = state;
        render();
      } catch (error) {
        showError(error);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  function composer(form, input, send) {
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const text = input.value;
      if (text.trim() === '') return;
      input.value = '';
      try {
        await send(text);
      } catch (error) {
        input.value = text;
        showError(error);
      }
    });
  }

  composer($('user-composer'), $('user-input'), (text) => api(`users/${view.userId}/messages`, { text }));
  composer($('ops-composer'), $('ops-input'), (text) =>
    api(`operators/${view.operatorId}/messages`, view.threadId === null ? { text } : { text, threadId: view.threadId }));
  $('operator').addEventListener('change', (event) => { view.operatorId = Number(event.target.value); render(); });
  $('new-user').addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const user = await api('users', { firstName: $('new-user-name').value, lang: $('new-user-lang').value });
      view.userId = user.id;
      render();
      $('new-user').hidden = true;
      $('new-user-name').value = '';
    } catch (error) {
      showError(error);
    }
  });
  showLlm();
  follow();
})();
