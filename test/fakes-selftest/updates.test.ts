import { Telegram } from 'telegraf';
import type { Message } from 'telegraf/types';
import { FakeTelegram } from '../fakes/fake-telegram';
import { UpdateFactory } from '../fakes/updates';

const alice = { id: 1001, first_name: 'Alice', username: 'alice', language_code: 'ru' };
const operator = { id: 77, first_name: 'Olga' };
const OPERATORS = -100500;

describe('UpdateFactory builds Bot API updates', () => {
  it('numbers updates from the start given and messages per chat', () => {
    const updates = new UpdateFactory(100);
    const first = updates.text(alice, 'Привет');
    const second = updates.text(alice, 'Есть кто?');
    const inGroup = updates.groupText(OPERATORS, operator, 'hello');

    expect(first.update_id).toBe(100);
    expect(second.update_id).toBe(101);
    expect(first.message).toMatchObject({
      message_id: 1,
      text: 'Привет',
      chat: { id: alice.id, type: 'private', first_name: 'Alice' },
      from: { id: alice.id, is_bot: false, username: 'alice', language_code: 'ru' },
      date: expect.any(Number),
    });
    expect(second.message.message_id).toBe(2);
    expect(inGroup.message.message_id).toBe(1);
    expect(inGroup.message.chat).toMatchObject({ id: OPERATORS, type: 'supergroup' });
  });

  it('marks commands with a bot_command entity, in private chats and groups', () => {
    const updates = new UpdateFactory();
    expect(updates.command(alice, 'start', 'promo').message).toMatchObject({
      text: '/start promo',
      entities: [{ type: 'bot_command', offset: 0, length: 6 }],
    });
    expect(updates.groupText(OPERATORS, operator, '/close@support_test_bot now').message.entities).toEqual([
      { type: 'bot_command', offset: 0, length: 23 },
    ]);
    expect(updates.text(alice, 'no command').message.entities).toBeUndefined();
  });

  it('builds photos, callback queries and an update kind nobody handles', () => {
    const updates = new UpdateFactory();
    const photo = updates.photo(alice, 'screenshot').message;
    expect(photo.caption).toBe('screenshot');
    expect(photo.photo.length).toBeGreaterThan(1);
    expect(photo.photo[0]).toMatchObject({ file_id: expect.any(String), file_unique_id: expect.any(String), width: 90 });

    const query = updates.callback(alice, 'rate:5', { chatId: alice.id, messageId: 3 }).callback_query;
    expect(query).toMatchObject({ id: expect.any(String), data: 'rate:5', from: { id: alice.id }, message: { message_id: 3 } });

    const other = updates.unhandled();
    expect(Object.keys(other).sort()).toEqual(['poll', 'update_id']);
    expect(Object.keys(updates.unhandled('edited_message'))).toContain('edited_message');
  });

  it('puts topic messages in their thread, pointing at the topic root like Telegram', () => {
    const updates = new UpdateFactory();
    const inTopic = updates.groupText(OPERATORS, operator, 'taking it', { threadId: 5 }).message;
    expect(inTopic).toMatchObject({
      message_thread_id: 5,
      is_topic_message: true,
      chat: { is_forum: true },
      reply_to_message: { message_id: 5, forum_topic_created: { name: expect.any(String) } },
    });

    const reply = updates.groupPhoto(OPERATORS, operator, { threadId: 5, replyToMessageId: 9, caption: 'see' }).message;
    expect(reply).toMatchObject({ caption: 'see', reply_to_message: { message_id: 9 } });
  });

  it('shares message ids with a FakeTelegram and embeds the bot message an operator replies to', async () => {
    const tg = await FakeTelegram.start();
    try {
      const telegram = new Telegram('1:T', { apiRoot: tg.apiRoot, webhookReply: false });
      tg.setForum(OPERATORS, true);
      const topic = await telegram.createForumTopic(OPERATORS, 'Alice');
      const card = await telegram.sendMessage(OPERATORS, 'New dialog', { message_thread_id: topic.message_thread_id });

      const updates = new UpdateFactory(1, tg);
      const reply = updates.groupText(OPERATORS, operator, 'Здравствуйте, Алиса', {
        threadId: topic.message_thread_id,
        replyToMessageId: card.message_id,
      }).message;
      expect(reply.message_id).toBe(card.message_id + 1);
      expect(reply.reply_to_message).toMatchObject({ message_id: card.message_id, text: 'New dialog', from: { is_bot: true } });

      const plain = updates.groupText(OPERATORS, operator, 'ещё', { threadId: topic.message_thread_id }).message;
      expect(plain.reply_to_message).toMatchObject({
        message_id: topic.message_thread_id,
        forum_topic_created: { name: 'Alice' },
      });

      const userMessage = updates.text(alice, 'Вопрос').message;
      const answer = (await telegram.sendMessage(alice.id, 'Ответ', {
        reply_parameters: { message_id: userMessage.message_id },
      })) as Message.TextMessage;
      expect(answer.message_id).toBe(userMessage.message_id + 1);
      expect(answer.reply_to_message).toMatchObject({ message_id: userMessage.message_id, text: 'Вопрос' });
    } finally {
      await tg.close();
    }
  });
});
