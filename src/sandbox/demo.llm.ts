/**
 * The sandbox's demo responder: an OpenAI-compatible `POST <root>/chat/completions` (streamed as
 * server-sent events or answered whole, as the openai SDK asks) and `GET <root>/models`, served in
 * the web process when no LLM is configured, so the real openai SDK path still runs.
 *
 * It is no model. It answers from what the answer path already put in the system prompt: for a
 * question the knowledge base covers, the best entry's text, quoted and labelled as a demo answer;
 * for a question it has no entry for, the knowledge prompt's "not covered" marker (the service then
 * says so honestly and offers a person); anything else (small talk, a ticket's brief) gets a short
 * labelled line saying what the demo can do, and a ticket's brief a labelled one quoting the user's last message. Asking for a person is the service's own detector, before any LLM.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { briefPrompt } from '../core/effects/brief.effects';
import { NOT_COVERED_MARKER } from '../knowledge';
import { isRecord, parseBody, readBody, sendJson } from './http.body';

/** The model name the demo answers as. */
export const DEMO_MODEL = 'sandbox-demo';

/** One entry of the knowledge prompt, as {@link entriesInPrompt} reads it back. */
export interface PromptEntry {
  title: string;
  id: string;
  text: string;
}

type Lang = 'ru' | 'en';

const LABEL: Record<Lang, string> = {
  ru: '_Демо-ответ песочницы (LLM не подключена): лучшая статья базы знаний, дословно._',
  en: '_Sandbox demo answer (no LLM configured): the best knowledge base entry, quoted._',
};
const NOTHING: Record<Lang, string> = {
  ru: '_Демо-ответ песочницы: LLM не подключена, поэтому я только цитирую базу знаний._ Спросите о доставке, оплате или возврате — или попросите позвать человека.',
  en: '_Sandbox demo answer: no LLM is configured, so I can only quote the knowledge base._ Ask about delivery, payment or returns, or ask for a person.',
};

/**
 * The entries of a system prompt built by `knowledgePrompt` (src/knowledge/prompt.knowledge.ts):
 * `### <n>. <title>`, `(id: <id>)`, the text; best first. A test builds a prompt with
 * `knowledgePrompt` and reads it back here, so a change of that format fails there.
 */
export function entriesInPrompt(system: string): PromptEntry[] {
  const entries: PromptEntry[] = [];
  const re = /^### \d+\. (.+)\n\(id: ([^)\n]+)\)\n([\s\S]*?)(?=\n\n### \d+\. |$(?![\s\S]))/gm;
  for (const match of system.matchAll(re)) {
    entries.push({ title: match[1] as string, id: match[2] as string, text: (match[3] as string).trim() });
  }
  return entries;
}

/**
 * The demo's answer to a chat completion request's messages (pure).
 *
 * @example demoAnswer([{ role: 'system', content: knowledgePrompt(retrieval, 'en') }, { role: 'user', content: 'delivery?' }])
 */
export function demoAnswer(messages: Array<{ role: string; content: unknown }>): string {
  const system = messages.filter((m) => m.role === 'system' || m.role === 'developer').map((m) => textOf(m.content)).join('\n\n');
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  const lang = langOf(system, lastUser === undefined ? '' : textOf(lastUser.content));
  if (system === briefPrompt('ru') || system === briefPrompt('en')) return demoBrief(system === briefPrompt('ru') ? 'ru' : 'en', lastUser === undefined ? '' : textOf(lastUser.content));
  const best = entriesInPrompt(system)[0];
  if (best !== undefined) {
    const quote = best.text.split('\n').map((line) => `> ${line}`.trimEnd()).join('\n');
    return `${LABEL[lang]}\n\n**${best.title}**\n\n${quote}`;
  }
  if (system.includes(NOT_COVERED_MARKER) && /No entry of the knowledge base matches/.test(system)) return NOT_COVERED_MARKER;
  return NOTHING[lang];
}

/**
 * Answers `<root>/chat/completions` and `<root>/models`; returns false (answering nothing) for
 * other paths. `root` is the path part of OPENAI_BASE_URL, e.g. `/sandbox/llm/v1`.
 */
export async function handleDemoLlm(req: IncomingMessage, res: ServerResponse, root: string): Promise<boolean> {
  const path = new URL(req.url ?? '/', 'http://demo.invalid').pathname;
  if (path === `${root}/models` && req.method === 'GET') {
    sendJson(res, 200, { object: 'list', data: [{ id: DEMO_MODEL, object: 'model', created: 0, owned_by: 'sandbox' }] });
    return true;
  }
  if (path !== `${root}/chat/completions`) return false;
  if (req.method !== 'POST') {
    sendJson(res, 405, { error: { message: 'use POST', type: 'invalid_request_error' } });
    return true;
  }
  let body: Record<string, unknown>;
  try {
    body = parseBody(req.headers['content-type'], await readBody(req));
  } catch {
    sendJson(res, 400, { error: { message: 'the body is not JSON', type: 'invalid_request_error' } });
    return true;
  }
  const messages = Array.isArray(body.messages) ? body.messages.filter(isRecord).map((m) => ({ role: String(m.role), content: m.content })) : [];
  const text = demoAnswer(messages);
  const id = `chatcmpl-demo-${Date.now().toString(36)}`;
  const created = Math.floor(Date.now() / 1000);
  const usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  if (body.stream === true) {
    await stream(res, text, { id, created, includeUsage: isRecord(body.stream_options) && body.stream_options.include_usage === true, usage });
    return true;
  }
  sendJson(res, 200, {
    id,
    object: 'chat.completion',
    created,
    model: DEMO_MODEL,
    choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage,
  });
  return true;
}

/** Writes the answer as `chat.completion.chunk` events, a few words each, then `data: [DONE]`. */
async function stream(
  res: ServerResponse,
  text: string,
  o: { id: string; created: number; includeUsage: boolean; usage: Record<string, number> },
): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
    id: o.id,
    object: 'chat.completion.chunk',
    created: o.created,
    model: DEMO_MODEL,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });
  const write = (data: unknown) => {
    if (!res.destroyed) res.write(`data: ${JSON.stringify(data)}\n\n`);
  };
  write(chunk({ role: 'assistant', content: '' }));
  const pieces = text.match(/\S+\s*/g) ?? [];
  for (let i = 0; i < pieces.length; i += 4) {
    write(chunk({ content: pieces.slice(i, i + 4).join('') }));
    // A little pace, so the sandbox page shows the drafts the service streams while "the model writes".
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
  write(chunk({}, 'stop'));
  if (o.includeUsage) write({ id: o.id, object: 'chat.completion.chunk', created: o.created, model: DEMO_MODEL, choices: [], usage: o.usage });
  if (!res.destroyed) res.end('data: [DONE]\n\n');
}

/** A ticket's brief, as the demo can write one: what the user last wrote, labelled, in three plain lines. */
function demoBrief(lang: Lang, transcript: string): string {
  const last = transcript.split('\n').filter((line) => line.startsWith('User: ')).at(-1)?.slice('User: '.length).slice(0, 200) ?? '';
  return lang === 'ru'
    ? `Демо-сводка песочницы (LLM не подключена).\nПоследнее сообщение пользователя: «${last}»\nНастроение: демо не различает.`
    : `Sandbox demo brief (no LLM configured).\nThe user last wrote: "${last}"\nMood: the demo cannot tell.`;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => (isRecord(part) && typeof part.text === 'string' ? part.text : '')).join('');
  return '';
}

function langOf(system: string, question: string): Lang {
  const stated = /Answer in the user's language \((ru|en|Russian|English)\)/.exec(system)?.[1];
  if (stated !== undefined) return stated === 'ru' || stated === 'Russian' ? 'ru' : 'en';
  return /[а-яё]/i.test(question) ? 'ru' : 'en';
}
