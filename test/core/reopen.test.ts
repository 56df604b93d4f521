import type { DialogEvent } from '../../src/machines/dialog.types';
import { openTestServices } from '../support/services';
import { newCore, stopCores } from './core-harness';

/**
 * `/reopen` below the router: the engine loads a closed dialog by number and the one commit
 * statement clears `closed_at`, written only while the chat has no other open dialog.
 */

const services = openTestServices();
const CHAT = 4343;
const user = { telegramId: CHAT, firstName: 'Ivan', languageCode: 'ru' };
const reopen: DialogEvent = { type: 'operator.reopen', operatorId: 502, operatorName: 'Boris', place: {} };
const refusal = { type: 'replyToOperator', params: { key: 'cannotReopen', place: {}, n: 1 } } as const;
const asBoris = { actor: 'operator:502', operator: { telegramId: 502, name: 'Boris' }, ignoredReceipts: [refusal] };
let messageId = 100;
const userSays = (text: string): DialogEvent => ({ type: 'user.message', messageId: ++messageId, text, signal: null, at: Date.now() });
const asUser = (text: string) => ({ actor: 'user', user, lang: 'ru' as const, record: { sender: 'user' as const, telegramChatId: CHAT, telegramMessageId: messageId + 1, text } });

beforeEach(() => services.reset());
afterEach(() => stopCores());
afterAll(() => services.close());

/** Ivan asks for a person and Anna closes dialog 1. */
async function closedDialog(core: ReturnType<typeof newCore>): Promise<void> {
  await core.dispatch({ chatId: CHAT }, { type: 'user.requestHuman' }, { actor: 'user', user });
  await core.dispatch({ chatId: CHAT, dialogId: 1 }, { type: 'operator.close', operatorId: 501, place: {} }, { actor: 'operator:501' });
}

describe('reopening a closed dialog', () => {
  it('clears closed_at in the step\'s statement, and the user\'s next message goes to the reopened dialog', async () => {
    const core = newCore(services);
    await closedDialog(core);
    const result = await core.dispatch({ chatId: CHAT, dialogId: 1, reopens: true }, reopen, asBoris);
    expect([result.accepted, result.state]).toEqual([true, 'operatorActive']);
    expect(await services.db('dialogs').select('id', 'state', 'closed_at')).toEqual([{ id: '1', state: 'operatorActive', closed_at: null }]);

    const next = await core.dispatch({ chatId: CHAT }, userSays('спасибо, что вернулись'), asUser('спасибо, что вернулись'));
    expect([next.dialogId, next.state]).toEqual([1, 'operatorActive']);
    expect(core.recorder.names().at(-1)).toBe('relayToOperators');
  });

  it('is not written when the chat has another open dialog (a user who wrote at the same moment): one open dialog stays, the operator is told', async () => {
    const core = newCore(services);
    await closedDialog(core);
    await core.dispatch({ chatId: CHAT }, userSays('новый вопрос'), asUser('новый вопрос'));
    // The router's check is behind us (the race): the statement itself refuses.
    const result = await core.dispatch({ chatId: CHAT, dialogId: 1, reopens: true }, reopen, asBoris);
    expect(result.accepted).toBe(false);
    expect(await services.db('dialogs').orderBy('id').pluck('state')).toEqual(['closed', 'botActive']);
    expect(core.recorder.names().at(-1)).toBe('replyToOperator:cannotReopen');
  });

  it('an open dialog is not reopened: the refusal is all that happens', async () => {
    const core = newCore(services);
    await core.dispatch({ chatId: CHAT }, { type: 'user.requestHuman' }, { actor: 'user', user });
    const before = core.recorder.effects.length;
    const result = await core.dispatch({ chatId: CHAT, dialogId: 1, reopens: true }, reopen, asBoris);
    expect(result.accepted).toBe(false);
    expect(core.recorder.names().slice(before)).toEqual(['replyToOperator:cannotReopen']);
    expect((await services.db('dialogs').first()).state).toBe('awaitingOperator');
  });
});
