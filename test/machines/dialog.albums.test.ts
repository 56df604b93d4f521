import { transition } from 'xstate';
import { statePath } from '../../src/core/step.build';
import { effectsOf } from '../../src/machines/dialog.effects';
import { dialogMachine } from '../../src/machines/dialog.machine';
import type { DialogEvent } from '../../src/machines/dialog.types';
import { fresh, run, sampleEvents, states, T0, type Snapshot } from './machine-fixtures';

const OPS = -100500;
const photo = (messageId: number, group?: string, text = ''): DialogEvent => ({
  type: 'user.message', messageId, text, signal: null, at: T0 + messageId, ...(group ? { mediaGroupId: group } : {}),
});
const opPhoto = (messageId: number, group?: string, operatorId = 501): DialogEvent => ({
  type: 'operator.message', operatorId, operatorName: 'Anna', fromChatId: OPS, messageId, ...(group ? { mediaGroupId: group } : {}),
});

/** Steps through events, collecting every effect (timers included) in order. */
function story(start: Snapshot, ...events: DialogEvent[]) {
  let s = start;
  const effects: Array<{ type: string; params: unknown }> = [];
  for (const e of events) {
    const [next, actions] = transition(dialogMachine, s, e);
    effects.push(...effectsOf(actions));
    s = next;
  }
  return { snapshot: s, effects };
}
const relays = (effects: Array<{ type: string; params: unknown }>) => effects.filter((e) => e.type.startsWith('relay'));
const timers = (effects: Array<{ type: string; params: unknown }>, name: string) =>
  effects.filter((e) => (e.type === 'scheduleTimer' || e.type === 'cancelTimer') && (e.params as { name: string }).name === name).map((e) => e.type);

describe('albums: the parts of a media group go to the other side as one album', () => {
  it('a waiting user\'s three photos: gathered, the timer set again by each part, then one relayAlbumToOperators in order', () => {
    const { snapshot, effects } = story(states.awaitingOperator!(), photo(21, 'g1'), photo(22, 'g1'), photo(23, 'g1'));
    expect(relays(effects)).toEqual([]);
    expect(timers(effects, 'userAlbum')).toEqual(['scheduleTimer', 'scheduleTimer', 'scheduleTimer']);
    expect(snapshot.context.albums?.user?.messageIds).toEqual([21, 22, 23]);

    const fired = story(snapshot, { type: 'timer.userAlbum' });
    expect(relays(fired.effects)).toEqual([{ type: 'relayAlbumToOperators', params: { messageIds: [21, 22, 23] } }]);
    expect(fired.snapshot.context.albums?.user).toBeUndefined();
    // A late timer (already consumed) finds nothing to send.
    expect(relays(story(fired.snapshot, { type: 'timer.userAlbum' }).effects)).toEqual([]);
  });

  it('a message after an album, before its timer, follows it: the album first, then the message; the timer cancelled', () => {
    const { effects } = story(states.operatorActive!(), photo(21, 'g1'), photo(22, 'g1'), photo(30, undefined, 'and one more thing'));
    expect(relays(effects)).toEqual([
      { type: 'relayAlbumToOperators', params: { messageIds: [21, 22] } },
      { type: 'relayToOperators', params: { messageId: 30 } },
    ]);
    expect(timers(effects, 'userAlbum')).toEqual(['scheduleTimer', 'scheduleTimer', 'cancelTimer']);
  });

  it('a second album right after the first: the first goes when the second begins', () => {
    const { snapshot, effects } = story(states.awaitingOperator!(), photo(21, 'g1'), photo(22, 'g1'), photo(31, 'g2'), photo(32, 'g2'));
    expect(relays(effects)).toEqual([{ type: 'relayAlbumToOperators', params: { messageIds: [21, 22] } }]);
    expect(snapshot.context.albums?.user).toEqual({ groupId: 'g2', fromChatId: 1001, messageIds: [31, 32] });
  });

  it('the operator\'s album reaches the user as one; a colleague\'s album (not the owner) is not relayed', () => {
    const { snapshot, effects } = story(states.operatorActive!(), opPhoto(77, 'a1'), opPhoto(78, 'a1'), opPhoto(79, 'a1'), { type: 'timer.operatorAlbum' });
    expect(relays(effects)).toEqual([{ type: 'relayAlbumToUser', params: { fromChatId: OPS, messageIds: [77, 78, 79] } }]);
    expect(statePath(snapshot)).toBe('operatorActive');
    expect(relays(story(states.operatorActive!(), opPhoto(80, 'a2', 502)).effects)).toEqual([]);
  });

  it('an operator\'s album before anyone took the dialog: one "take it first", not one per part', () => {
    const { effects } = story(states.awaitingOperator!(), opPhoto(77, 'a1'), opPhoto(78, 'a1'), opPhoto(79, 'a1'));
    expect(effects).toEqual([{ type: 'notifyOperators', params: { key: 'takeFirst' } }]);
    expect(states.awaitingOperator!().can(opPhoto(80))).toBe(true);
  });

  it('an album still being gathered when the dialog closes goes first', () => {
    const { effects } = story(states.operatorActive!(), photo(21, 'g1'), photo(22, 'g1'), sampleEvents['operator.close']!);
    const names = effects.map((e) => e.type);
    expect(names.indexOf('relayAlbumToOperators')).toBeLessThan(names.indexOf('notifyUser'));
    expect(timers(effects, 'userAlbum').at(-1)).toBe('cancelTimer');
  });

  it('while the bot answers, an album without words gets one "text only", not one per part', () => {
    const { effects } = story(fresh(), photo(21, 'g1'), photo(22, 'g1'), photo(23, 'g1'));
    expect(effects.filter((e) => e.type === 'notifyUser')).toEqual([{ type: 'notifyUser', params: { key: 'textOnly' } }]);
    // With a caption on its first part, the LLM is asked once and the rest are kept quietly.
    const captioned = story(fresh(), photo(21, 'g2', 'what is this error?'), photo(22, 'g2'), photo(23, 'g2'));
    expect(captioned.effects.map((e) => e.type)).toEqual(['askLlm', 'keepForTicket', 'keepForTicket']);
  });
});

describe('edits: a relayed message edited on one side updates its copy on the other', () => {
  it('the user\'s and the operator\'s edits become applyEdit with who wrote the original', () => {
    const s = states.operatorActive!();
    expect(story(s, sampleEvents['user.edited']!).effects).toEqual([
      { type: 'applyEdit', params: { fromChatId: 1001, messageId: 11, edit: { text: 'How do I reset my PIN?', media: false } } },
    ]);
    expect(story(s, sampleEvents['operator.edited']!).effects).toEqual([
      { type: 'applyEdit', params: { fromChatId: -100500, messageId: 77, edit: { text: 'Open Settings, then Security.', media: false } } },
    ]);
  });

  it('an edit of a question the bot answered is ignored: no new LLM request', () => {
    const s = run(fresh(), photo(10, undefined, 'How do I reset my password?'));
    expect(s.can(sampleEvents['user.edited']!)).toBe(false);
  });
});
