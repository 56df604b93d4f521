import OpenAI from 'openai';
import { Telegram } from 'telegraf';
import { createHttpApp, closeServer, listen } from '../../src/http/app';
import { briefPrompt } from '../../src/core/effects/brief.effects';
import { knowledgePrompt, NOT_COVERED_MARKER } from '../../src/knowledge';
import { createLogger } from '../../src/logger';
import { demoAnswer, entriesInPrompt } from '../../src/sandbox/demo.llm';
import { SandboxHost } from '../../src/sandbox/sandbox.host';
import { SANDBOX_OPERATORS } from '../../src/sandbox/sandbox.actions';
import type { Server } from 'node:http';

const TOKEN = '7000000001:sandbox';
const GROUP = -1000000000001;
const entry = (id: string, title: string, text: string) => ({ id, title, text, score: 1, coverage: 1 });

describe('the sandbox served inside the web app', () => {
  let host: SandboxHost;
  let server: Server;
  let url: string;
  let telegram: Telegram;

  beforeAll(async () => {
    const log = createLogger('silent');
    host = SandboxHost.create({ token: TOKEN, operatorChatId: GROUP, llm: { demo: true, model: 'sandbox-demo', baseURL: '' }, log });
    ({ server, url } = await listen(createHttpApp([host.router()], log, [host.middleware()]), 0, '127.0.0.1'));
    telegram = new Telegram(TOKEN, { apiRoot: `${url}/sandbox/`, webhookReply: false });
  });
  afterAll(async () => {
    host.stop();
    await closeServer(server);
  });

  it('answers the real telegraf client as Telegram would, with the operators group seeded', async () => {
    expect(await telegram.getMe()).toMatchObject({ id: 7000000001, is_bot: true, username: 'support_sandbox_bot' });
    expect(await telegram.getChat(GROUP)).toMatchObject({ id: GROUP, type: 'supergroup', is_forum: true });
    expect(await telegram.getChatMember(GROUP, 7000000001)).toMatchObject({ status: 'administrator', can_manage_topics: true });
    expect(await telegram.getChatMember(GROUP, SANDBOX_OPERATORS[0]!.id)).toMatchObject({ status: 'member' });

    const topic = await telegram.createForumTopic(GROUP, 'Ivan · #1');
    await telegram.sendMessage(GROUP, '<b>New ticket</b> from Ivan', {
      parse_mode: 'HTML',
      message_thread_id: topic.message_thread_id,
      reply_markup: { inline_keyboard: [[{ text: 'Take', callback_data: 'take:1' }]] },
    });
    expect(host.actions.topics()).toEqual([{ threadId: topic.message_thread_id, name: 'Ivan · #1' }]);
    expect(host.actions.messages(GROUP, topic.message_thread_id)).toEqual([
      expect.objectContaining({ from: 'bot', text: 'New ticket from Ivan', formatted: { text: '<b>New ticket</b> from Ivan', parseMode: 'HTML' }, buttons: [[{ text: 'Take', data: 'take:1' }]] }),
    ]);

    const stranger = new Telegram('1:wrong', { apiRoot: `${url}/sandbox/`, webhookReply: false });
    await expect(stranger.getMe()).rejects.toMatchObject({ code: 401 });
    await expect(telegram.sendMessage(1001, '<b>broken')).resolves.toMatchObject({ text: '<b>broken' });
    await expect(telegram.sendMessage(1001, '<b>broken', { parse_mode: 'HTML' })).rejects.toMatchObject({ code: 400 });
  });

  it('says which LLM answers', async () => {
    const info = (await (await fetch(`${url}/sandbox/api/info`)).json()) as Record<string, unknown>;
    expect(info).toMatchObject({ mode: 'sandbox', llm: { kind: 'demo' }, operatorChatId: GROUP, persistent: false });
    expect(info.operators).toEqual([{ id: 9000000001, name: 'Anna' }, { id: 9000000002, name: 'Boris' }]);
  });

  it('answers the real openai SDK from the knowledge entries in the prompt, streamed and whole', async () => {
    const openai = new OpenAI({ apiKey: 'sandbox', baseURL: `${url}/sandbox/llm/v1`, maxRetries: 0, timeout: 5000 });
    const system = `You are the support assistant.\n\n${knowledgePrompt(
      { entries: [entry('delivery-times', 'Delivery times', 'Moscow 1–2 days.\nRemote regions up to 10 days.'), entry('cost', 'Delivery cost', '390 ₽.')] },
      'en',
    )}`;
    const messages = [{ role: 'system' as const, content: system }, { role: 'user' as const, content: 'How long does delivery take?' }];

    const whole = await openai.chat.completions.create({ model: 'sandbox-demo', messages });
    const text = whole.choices[0]?.message.content ?? '';
    expect(text).toContain('Sandbox demo answer');
    expect(text).toContain('**Delivery times**\n\n> Moscow 1–2 days.\n> Remote regions up to 10 days.');
    expect(text).not.toContain('390');

    let streamed = '';
    for await (const chunk of await openai.chat.completions.create({ model: 'sandbox-demo', messages, stream: true, stream_options: { include_usage: true } })) {
      streamed += chunk.choices[0]?.delta.content ?? '';
    }
    expect(streamed).toBe(text);
  });
});

describe('the demo responder', () => {
  it('reads the entries back from the knowledge prompt, best first', () => {
    const prompt = knowledgePrompt({ entries: [entry('a', 'Returns', 'Within 14 days.'), entry('b', 'Warranty', 'One year.\n\nKeep the receipt.')] }, 'ru');
    expect(entriesInPrompt(prompt)).toEqual([
      { id: 'a', title: 'Returns', text: 'Within 14 days.' },
      { id: 'b', title: 'Warranty', text: 'One year.\n\nKeep the receipt.' },
    ]);
  });

  it("writes a labelled brief for a ticket, quoting the user's last message", () => {
    const brief = demoAnswer([{ role: 'system', content: briefPrompt('en') }, { role: 'user', content: 'User: hi\nBot: hello\nUser: I want a refund' }]);
    expect(brief.split('\n')).toEqual(['Sandbox demo brief (no LLM configured).', 'The user last wrote: "I want a refund"', 'Mood: the demo cannot tell.']);
  });

  it('gives the not-covered marker when the base has no entry, and says what it is otherwise', () => {
    expect(demoAnswer([{ role: 'system', content: knowledgePrompt({ entries: [] }, 'en') }, { role: 'user', content: 'Fix my car?' }])).toBe(NOT_COVERED_MARKER);
    expect(demoAnswer([{ role: 'system', content: "Answer in the user's language (Russian)." }, { role: 'user', content: 'Привет' }])).toMatch(/^_Демо-ответ песочницы: LLM не подключена/);
  });
});
