import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { anna, boris, ivan, OPS, startHarness, type Harness } from './harness';

let h: Harness;
let dir: string;
beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replies-'));
  fs.writeFileSync(path.join(dir, 'delivery.ru.md'), '**Сроки доставки**: по России 3–7 рабочих дней.');
  fs.writeFileSync(path.join(dir, 'delivery.en.md'), '**Delivery**: 3–7 working days.');
  // Written in English only, and longer than one Telegram message.
  fs.writeFileSync(path.join(dir, 'terms.en.md'), Array.from({ length: 120 }, (_, i) => `Clause ${i + 1}: ${'the terms apply as written. '.repeat(2)}`).join('\n\n'));
  h = await startHarness({ REPLIES_DIR: dir });
});
afterEach(async () => {
  await h.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const toOps = () => h.tg.callsTo('sendMessage').filter((c) => c.params.chat_id === OPS);
const toUser = () => h.tg.callsTo('sendMessage').filter((c) => c.params.chat_id === ivan.id);
const admin = (p: string) =>
  fetch(h.svc.url + p, { headers: { authorization: 'Bearer admin-token-for-tests-0123456789' } }).then((r) => r.json() as Promise<Record<string, unknown>>);

describe('saved replies: /r <key> sends a prepared answer in the user\'s language', () => {
  it('lists the keys, refuses before /take and from a colleague, and sends the reply rendered like an LLM answer', async () => {
    await h.post(h.updates.text(ivan, 'Позовите оператора, пожалуйста'));
    await h.tg.waitFor(() => toOps().length >= 1);
    await h.settled();
    const ticketId = (toOps()[0]!.result as { message_id: number }).message_id;

    // /r alone, and an unknown key: the keys, where the operator wrote.
    await h.post(h.updates.groupText(OPS, anna, '/r', { replyToMessageId: ticketId }));
    await h.settled();
    expect(String(toOps().at(-1)!.params.text)).toBe('Saved replies: <code>delivery</code>, <code>terms</code>\nSend one: /r key');
    await h.post(h.updates.groupText(OPS, anna, '/r nope', { replyToMessageId: ticketId }));
    await h.settled();
    expect(String(toOps().at(-1)!.params.text)).toContain('There is no saved reply “nope”.');

    // Nobody has the dialog yet: refused, the user hears nothing.
    const userHeard = toUser().length;
    await h.post(h.updates.groupText(OPS, anna, '/r delivery', { replyToMessageId: ticketId }));
    await h.settled();
    expect(String(toOps().at(-1)!.params.text)).toBe('Not sent: a saved reply is sent by the operator who has dialog #1 (take it first: /take 1).');
    expect(toUser()).toHaveLength(userHeard);

    await h.post(h.updates.groupText(OPS, anna, '/take 1'));
    await h.settled();
    const afterTake = toUser().length;

    // A colleague who does not have the dialog is refused too.
    await h.post(h.updates.groupText(OPS, boris, '/r 1 delivery'));
    await h.settled();
    expect(toUser()).toHaveLength(afterTake);

    // The owner: the Russian file, as Telegram HTML.
    await h.post(h.updates.groupText(OPS, anna, '/r DELIVERY', { replyToMessageId: ticketId }));
    await h.settled();
    expect(toUser().slice(afterTake).map((c) => c.params)).toEqual([expect.objectContaining({ text: '<b>Сроки доставки</b>: по России 3–7 рабочих дней.', parse_mode: 'HTML' })]);

    // A reply written in English only still answers, split at Telegram's 4096 characters.
    await h.post(h.updates.groupText(OPS, anna, '/r 1 terms'));
    await h.settled();
    const parts = toUser().slice(afterTake + 1).map((c) => String(c.params.text));
    expect(parts.length).toBeGreaterThanOrEqual(2);
    expect(parts.every((t) => t.length <= 4096)).toBe(true);
    expect(parts[0]).toMatch(/^Clause 1:/);
    expect(h.ai.requests).toHaveLength(0);

    // The admin API shows what the user got, as the operator's messages.
    const dialog = await admin('/api/dialogs/1');
    const fromOperator = (dialog.messages as Array<{ sender: string; text: string }>).filter((m) => m.sender === 'operator').map((m) => m.text);
    expect(fromOperator[0]).toBe('**Сроки доставки**: по России 3–7 рабочих дней.');
  });
});
