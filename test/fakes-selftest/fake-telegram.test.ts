import { Telegraf, Telegram, TelegramError } from 'telegraf';
import { FAKE_BOT_USERNAME, FakeTelegram } from '../fakes/fake-telegram';
import { UpdateFactory } from '../fakes/updates';

const TOKEN = '123456:TEST-TOKEN';
const ALICE = 1001;
const OPERATORS = -100500;

describe('FakeTelegram answers the Bot API like Telegram', () => {
  let tg: FakeTelegram;
  let telegram: Telegram;

  beforeAll(async () => {
    tg = await FakeTelegram.start({ token: TOKEN });
    telegram = new Telegram(TOKEN, { apiRoot: tg.apiRoot, webhookReply: false });
  });
  afterEach(() => tg.reset());
  afterAll(() => tg.close());

  it('answers getMe with the test bot, whose id comes from the token', async () => {
    const me = await telegram.getMe();
    expect(me).toMatchObject({ id: 123456, is_bot: true, username: FAKE_BOT_USERNAME });
  });

  it('sends a message and gives back a Message, and remembers what the user saw', async () => {
    const first = await telegram.sendMessage(ALICE, 'Здравствуйте!');
    const second = await telegram.sendMessage(ALICE, '<b>Оператор</b> подключился &amp; читает', { parse_mode: 'HTML' });

    expect(first).toMatchObject({
      message_id: 1,
      chat: { id: ALICE, type: 'private' },
      from: { is_bot: true, username: FAKE_BOT_USERNAME },
      text: 'Здравствуйте!',
    });
    expect(typeof first.date).toBe('number');
    expect(second.message_id).toBe(2);
    expect(tg.textsTo(ALICE)).toEqual(['Здравствуйте!', 'Оператор подключился & читает']);
    expect(tg.callsTo('sendMessage')[0]?.params).toEqual({ chat_id: ALICE, text: 'Здравствуйте!' });
  });

  it('fails the next call with 429 and retry_after, then works again', async () => {
    tg.failNext('sendMessage', { status: 429, retryAfter: 7 });

    const error = await telegram.sendMessage(ALICE, 'hi').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TelegramError);
    expect((error as TelegramError).code).toBe(429);
    expect((error as TelegramError).parameters?.retry_after).toBe(7);
    expect((error as TelegramError).description).toBe('Too Many Requests: retry after 7');

    await telegram.sendMessage(ALICE, 'hi again');
    expect(tg.calls.map((c) => c.failedWith)).toEqual([429, undefined]);
    expect(tg.callsTo('sendMessage')).toHaveLength(1);
  });

  it('fails several times in a row when asked', async () => {
    tg.failNext('sendChatAction', { status: 502, times: 2 });
    await expect(telegram.sendChatAction(ALICE, 'typing')).rejects.toMatchObject({ code: 502 });
    await expect(telegram.sendChatAction(ALICE, 'typing')).rejects.toMatchObject({ code: 502 });
    await expect(telegram.sendChatAction(ALICE, 'typing')).resolves.toBe(true);
  });

  it('refuses a wrong token and unknown methods', async () => {
    const stranger = new Telegram('999:WRONG', { apiRoot: tg.apiRoot, webhookReply: false });
    await expect(stranger.getMe()).rejects.toMatchObject({ code: 401, description: 'Unauthorized' });
    await expect(telegram.callApi('noSuchMethod' as 'getMe', {})).rejects.toMatchObject({
      code: 404,
      description: 'Not Found: method not found',
    });
  });

  it('answers 403 once the user blocked the bot', async () => {
    tg.blockBy(ALICE);
    await expect(telegram.sendMessage(ALICE, 'still there?')).rejects.toMatchObject({
      code: 403,
      description: 'Forbidden: bot was blocked by the user',
    });
  });

  it('creates forum topics numbered like messages, and refuses sends to a deleted one', async () => {
    await expect(telegram.createForumTopic(OPERATORS, 'Alice')).rejects.toMatchObject({
      description: 'Bad Request: the chat is not a forum',
    });
    tg.setForum(OPERATORS, true);
    expect(await telegram.getChat(OPERATORS)).toMatchObject({ id: OPERATORS, type: 'supergroup', is_forum: true });

    const topic = await telegram.createForumTopic(OPERATORS, 'Alice');
    expect(topic).toMatchObject({ name: 'Alice', icon_color: expect.any(Number) });
    const card = await telegram.sendMessage(OPERATORS, 'New dialog', { message_thread_id: topic.message_thread_id });
    expect(card).toMatchObject({ message_thread_id: topic.message_thread_id, is_topic_message: true });
    expect(card.message_id).toBeGreaterThan(topic.message_thread_id);

    tg.deleteTopic(OPERATORS, topic.message_thread_id);
    await expect(
      telegram.sendMessage(OPERATORS, 'anyone?', { message_thread_id: topic.message_thread_id }),
    ).rejects.toMatchObject({ code: 400, description: 'Bad Request: message thread not found' });
  });

  it('answers getChatMember with the status set, and "left" otherwise', async () => {
    tg.setChatMember(OPERATORS, 42, 'administrator');
    expect(await telegram.getChatMember(OPERATORS, 42)).toMatchObject({ status: 'administrator', user: { id: 42 } });
    expect(await telegram.getChatMember(OPERATORS, 43)).toMatchObject({ status: 'left', user: { id: 43 } });
  });

  it('refuses what Telegram refuses: bad HTML, long texts, long callback data, unchanged edits', async () => {
    await expect(telegram.sendMessage(ALICE, 'if a < b then', { parse_mode: 'HTML' })).rejects.toMatchObject({
      code: 400,
      description: expect.stringMatching(/^Bad Request: can't parse entities/),
    });
    await expect(telegram.sendMessage(ALICE, 'Цена 1.5', { parse_mode: 'MarkdownV2' })).rejects.toMatchObject({
      description: expect.stringContaining("Character '.' is reserved"),
    });
    await expect(telegram.sendMessage(ALICE, 'x'.repeat(4097))).rejects.toMatchObject({
      description: 'Bad Request: message is too long',
    });
    await expect(
      telegram.sendMessage(ALICE, 'pick', {
        reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'a'.repeat(65) }]] },
      }),
    ).rejects.toMatchObject({ description: 'Bad Request: BUTTON_DATA_INVALID' });

    const sent = await telegram.sendMessage(ALICE, 'draft');
    await expect(telegram.editMessageText(ALICE, sent.message_id, undefined, 'draft')).rejects.toMatchObject({
      description: expect.stringMatching(/^Bad Request: message is not modified/),
    });
    expect(await telegram.editMessageText(ALICE, sent.message_id, undefined, 'final')).toMatchObject({
      message_id: sent.message_id,
      text: 'final',
      edit_date: expect.any(Number),
    });
  });

  it('copies messages and answers MessageIds', async () => {
    expect(await telegram.copyMessage(OPERATORS, ALICE, 5)).toEqual({ message_id: expect.any(Number) });
    const copies = await telegram.callApi('copyMessages', { chat_id: OPERATORS, from_chat_id: ALICE, message_ids: [6, 7] });
    expect(copies).toHaveLength(2);
  });

  it('copies an album as one (a new shared media_group_id), refuses ids out of order, and edits copies like Telegram', async () => {
    const updates = new UpdateFactory(1, tg);
    const parts = updates.album({ id: ALICE, first_name: 'Alice' }, 3, 'receipts');
    const ids = parts.map((p) => p.message.message_id);
    await expect(telegram.callApi('copyMessages', { chat_id: OPERATORS, from_chat_id: ALICE, message_ids: [ids[1]!, ids[0]!] })).rejects.toMatchObject({
      description: 'Bad Request: message identifiers must be in strictly increasing order',
    });
    const copies = (await telegram.callApi('copyMessages', { chat_id: OPERATORS, from_chat_id: ALICE, message_ids: ids })) as Array<{ message_id: number }>;
    const shown = copies.map((c) => tg.findMessage(OPERATORS, c.message_id) as { media_group_id?: string; caption?: string });
    expect(new Set(shown.map((m) => m.media_group_id)).size).toBe(1);
    expect(shown[0]!.media_group_id).not.toBe(parts[0]!.message.media_group_id);
    expect(shown.map((m) => m.caption)).toEqual(['receipts', undefined, undefined]);
    // A part copied alone is in no album.
    const single = await telegram.copyMessage(OPERATORS, ALICE, ids[2]!);
    expect((tg.findMessage(OPERATORS, single.message_id) as { media_group_id?: string }).media_group_id).toBeUndefined();

    // A photo's copy has a caption, not a text: editMessageText is refused, editMessageCaption works.
    await expect(telegram.editMessageText(OPERATORS, copies[0]!.message_id, undefined, 'x')).rejects.toMatchObject({
      description: 'Bad Request: there is no text in the message to edit',
    });
    expect(await telegram.editMessageCaption(OPERATORS, copies[0]!.message_id, undefined, 'receipts, December')).toMatchObject({ caption: 'receipts, December' });

    // The user's edit: the same message with the new caption; a copy made afterwards shows it.
    const edit = updates.edited(parts[0]!, { caption: 'receipts (paid)' });
    expect(edit.edited_message).toMatchObject({ message_id: ids[0], caption: 'receipts (paid)', edit_date: expect.any(Number) });
    const later = await telegram.copyMessage(OPERATORS, ALICE, ids[0]!);
    expect(tg.findMessage(OPERATORS, later.message_id)).toMatchObject({ caption: 'receipts (paid)' });
  });

  it('records multipart uploads and form bodies, with values as sent', async () => {
    await telegram.sendPhoto(ALICE, { source: Buffer.from('not really a png'), filename: 'shot.png' }, { caption: 'look' });
    const [upload] = tg.callsTo('sendPhoto');
    expect(upload?.params).toMatchObject({ chat_id: String(ALICE), caption: 'look', photo: { filename: 'shot.png', size: 16 } });
    expect(upload?.result).toMatchObject({ caption: 'look', photo: expect.any(Array) });

    const res = await fetch(`${tg.apiRoot}/bot${TOKEN}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ chat_id: String(ALICE), text: 'form' }),
    });
    expect(await res.json()).toMatchObject({ ok: true, result: { text: 'form' } });
    expect(tg.textsTo(ALICE)).toEqual(['form']);
  });

  it('delays answers by the latency set', async () => {
    tg.setLatency(150);
    const started = Date.now();
    await telegram.sendChatAction(ALICE, 'typing');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('waitFor rejects with the calls made so far', async () => {
    await telegram.sendMessage(ALICE, 'one');
    await expect(tg.waitFor((calls) => calls.length > 5, 100)).rejects.toThrow(/sendMessage\(chat 1001\)/);
    await expect(tg.waitForCalls('sendMessage', 1, 100)).resolves.toHaveLength(1);
  });

  it('serves pushed updates to getUpdates, waking a long poll, and forgets confirmed ones', async () => {
    const updates = new UpdateFactory(10, tg);
    const poll = telegram.getUpdates(50, 100, 0, undefined);
    setTimeout(() => tg.pushUpdate(updates.text({ id: ALICE }, 'Привет')), 50);
    const [update] = await poll;
    expect(update).toMatchObject({ update_id: 10, message: { text: 'Привет', chat: { id: ALICE } } });

    expect(await telegram.getUpdates(0, 100, 11, undefined)).toEqual([]);
    expect(() => tg.pushUpdate(updates.text({ id: ALICE }, 'late'))).not.toThrow(); // id 11
    expect(() => tg.pushUpdate({ update_id: 3 })).toThrow(/already confirmed/);
  });

  it('refuses getUpdates while a webhook is set', async () => {
    await telegram.setWebhook('https://example.test/hook');
    await expect(telegram.getUpdates(0, 100, 0, undefined)).rejects.toMatchObject({ code: 409 });
  });
});

describe('FakeTelegram with a real Telegraf bot in polling mode', () => {
  it('delivers a pushed update and sees the reply', async () => {
    const tg = await FakeTelegram.start({ token: TOKEN });
    const bot = new Telegraf(TOKEN, { telegram: { apiRoot: tg.apiRoot, webhookReply: false } });
    bot.on('message', (ctx) => ctx.reply('echo'));
    const updates = new UpdateFactory(1, tg);
    try {
      void bot.launch({ dropPendingUpdates: false });
      tg.pushUpdate(updates.text({ id: ALICE, first_name: 'Alice' }, 'hi'));
      await tg.waitFor(() => tg.textsTo(ALICE).length === 1);
      expect(tg.textsTo(ALICE)).toEqual(['echo']);
      expect(tg.callsTo('deleteWebhook')).toHaveLength(1);
    } finally {
      bot.stop('test over');
      await tg.close();
    }
  });
});
