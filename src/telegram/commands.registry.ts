import type { Lang, Placement } from '../machines/dialog.types';

/** Who a command is for: users in their private chat, or operators in the operators' group. */
export type CommandAudience = 'user' | 'operator';

/** Who sent an operator's command, and where, for the event it becomes. */
export interface CommandCaller {
  operatorId: number;
  operatorName: string;
  place: Placement;
  /** For `args: 'dialogAndOperator'`: the operator named in the command, found and checked by the router. */
  to?: { operatorId: number; operatorName: string };
  /** For `args: 'dialogAndText'` and `'savedReply'`: the words after the dialog number (a ban's reason, a reply's key), trimmed; '' when none. */
  text?: string;
}

/**
 * A command as data: its name, who may use it, its menu text per language, what argument it
 * takes and the dialog event it becomes. The update parser, the router and `setMyCommands` all
 * read this registry: adding a command is one entry here, one transition in the machine and its
 * texts.
 */
export interface CommandSpec {
  name: string;
  /** Other names that mean the same (`/human` for `/operator`). */
  aliases?: readonly string[];
  audience: CommandAudience;
  /** The command menu's description, per language. */
  menu: Record<Lang, string>;
  /**
   * `dialog`: takes a dialog number (`/take 12`); without one, the topic or the replied-to ticket
   * says which. `dialogAndOperator`: then an operator (`/transfer 12 @boris`), whom the router finds
   * and checks as a member of the operators' group. `dialogAndText`: then free words (`/ban 12 spam`).
   * `user`: a user id or @username, and no dialog (`/unban 1001`); such a command becomes an effect,
   * not a dialog event ({@link CommandSpec.event} is never called for it). `savedReply`: then a
   * saved reply's key (`/r 12 delivery`), which the router checks exists; without a key (or with
   * an unknown one) the router lists the keys where the operator wrote, and no dialog is stepped.
   */
  args: 'none' | 'dialog' | 'dialogAndOperator' | 'dialogAndText' | 'user' | 'savedReply';
  /**
   * The dialog event the command becomes; the machine's event union takes its type from here
   * ({@link CommandEvent}). A command about no dialog (`args: 'user'`) has none: it names the
   * {@link CommandSpec.effect} the router queues instead.
   */
  event?: (caller: CommandCaller) => { type: string };
  /** For a command about no dialog: the effect it becomes (`unbanUser`, `setDuty`). */
  effect?: 'unbanUser' | 'setDuty';
  /** For `effect: 'setDuty'`: on duty (`/online`) or off (`/offline`). */
  onDuty?: boolean;
}

/** Every command the bot knows. */
export const COMMANDS = [
  {
    name: 'start',
    audience: 'user',
    menu: { ru: 'Начать', en: 'Start' },
    args: 'none',
    event: () => ({ type: 'user.start' as const }),
  },
  {
    name: 'operator',
    aliases: ['human'],
    audience: 'user',
    menu: { ru: 'Позвать человека', en: 'Talk to a human' },
    args: 'none',
    event: () => ({ type: 'user.requestHuman' as const }),
  },
  {
    name: 'bot',
    audience: 'user',
    menu: { ru: 'Вернуться к боту', en: 'Back to the bot' },
    args: 'none',
    event: () => ({ type: 'user.backToBot' as const }),
  },
  {
    name: 'take',
    audience: 'operator',
    menu: { ru: 'Взять диалог: /take 12', en: 'Take a dialog: /take 12' },
    args: 'dialog',
    event: ({ operatorId, operatorName, place }: CommandCaller) => ({ type: 'operator.take' as const, operatorId, operatorName, place }),
  },
  {
    name: 'close',
    audience: 'operator',
    menu: { ru: 'Закрыть диалог: /close или /close 12', en: 'Close the dialog: /close or /close 12' },
    args: 'dialog',
    event: ({ operatorId, place }: CommandCaller) => ({ type: 'operator.close' as const, operatorId, place }),
  },
  {
    name: 'transfer',
    audience: 'operator',
    menu: { ru: 'Передать диалог коллеге: /transfer @имя или /transfer 12 @имя', en: 'Hand the dialog to a colleague: /transfer @name or /transfer 12 @name' },
    args: 'dialogAndOperator',
    event: ({ operatorId, operatorName, place, to }: CommandCaller) => ({
      type: 'operator.transfer' as const,
      operatorId,
      operatorName,
      place,
      to: { id: to?.operatorId ?? 0, name: to?.operatorName ?? '' },
    }),
  },
  {
    name: 'release',
    audience: 'operator',
    menu: { ru: 'Вернуть диалог в очередь', en: 'Give the dialog back to the queue' },
    args: 'dialog',
    event: ({ operatorId, operatorName, place }: CommandCaller) => ({ type: 'operator.release' as const, operatorId, operatorName, place }),
  },
  {
    name: 'ban',
    audience: 'operator',
    menu: { ru: 'Заблокировать пользователя: /ban [12] [причина]', en: 'Ban the user: /ban [12] [reason]' },
    args: 'dialogAndText',
    event: ({ operatorId, operatorName, place, text }: CommandCaller) => ({
      type: 'operator.ban' as const,
      operatorId,
      operatorName,
      place,
      reason: text?.slice(0, 500) || null,
    }),
  },
  {
    name: 'r',
    audience: 'operator',
    menu: { ru: 'Готовый ответ: /r ключ; /r — список', en: 'Saved reply: /r key; /r lists them' },
    args: 'savedReply',
    event: ({ operatorId, operatorName, place, text }: CommandCaller) => ({
      type: 'operator.savedReply' as const,
      operatorId,
      operatorName,
      place,
      key: (text ?? '').toLowerCase(),
    }),
  },
  {
    name: 'history',
    audience: 'operator',
    menu: { ru: 'Прошлые диалоги пользователя', en: "The user's earlier dialogs" },
    args: 'dialog',
    event: ({ operatorId, place }: CommandCaller) => ({ type: 'operator.history' as const, operatorId, place }),
  },
  {
    name: 'unban',
    audience: 'operator',
    menu: { ru: 'Разблокировать: /unban <id> или /unban @имя', en: 'Lift a ban: /unban <id> or /unban @name' },
    args: 'user',
    effect: 'unbanUser',
  },
  // Duty (issue 15): about the operator, not a dialog; answered where the operator wrote.
  {
    name: 'online',
    audience: 'operator',
    menu: { ru: 'Я на смене: новые диалоги и напоминания мне', en: 'I am on duty: new dialogs and reminders come to me' },
    args: 'none',
    effect: 'setDuty',
    onDuty: true,
  },
  {
    name: 'offline',
    audience: 'operator',
    menu: { ru: 'Я не на смене', en: 'I am off duty' },
    args: 'none',
    effect: 'setDuty',
    onDuty: false,
  },
] as const satisfies readonly CommandSpec[];

type DialogCommand = Extract<(typeof COMMANDS)[number], { event: unknown }>;

/** The dialog events commands become (part of the machine's `DialogEvent`). */
export type CommandEvent = ReturnType<DialogCommand['event']>;

/** The event a command named `name` becomes, for a caller (a button can be a command too: Take). */
export function commandEvent<N extends DialogCommand['name']>(name: N, caller: CommandCaller): Extract<CommandEvent, { type: string }> {
  const spec = COMMANDS.find((c) => c.name === name) as CommandSpec;
  return spec.event?.(caller) as CommandEvent;
}

/** The types of the events commands become (for the machine's exhaustive tests and the diagram). */
export const COMMAND_EVENT_TYPES: readonly CommandEvent['type'][] = [
  ...new Set((COMMANDS as readonly CommandSpec[]).flatMap((c) => (c.event ? [c.event({ operatorId: 0, operatorName: '', place: {} }).type as CommandEvent['type']] : []))),
];

/** The command called `name` (or one of its aliases), if any. */
export function findCommand(name: string): CommandSpec | undefined {
  return (COMMANDS as readonly CommandSpec[]).find((c) => c.name === name || c.aliases?.includes(name));
}

/** The command menu of an audience, for `setMyCommands`. */
export function commandMenu(audience: CommandAudience, lang: Lang): Array<{ command: string; description: string }> {
  return (COMMANDS as readonly CommandSpec[]).filter((c) => c.audience === audience).map((c) => ({ command: c.name, description: c.menu[lang] }));
}

/** The users' menu shows both languages at once: Telegram has one menu per scope unless per-language menus are set. */
export function bilingualMenu(audience: CommandAudience): Array<{ command: string; description: string }> {
  return (COMMANDS as readonly CommandSpec[]).filter((c) => c.audience === audience).map((c) => ({ command: c.name, description: `${c.menu.en} / ${c.menu.ru}` }));
}

/**
 * A command's argument read as an optional leading dialog number and the words after it:
 * `12 @boris` → { dialogNumber: 12, rest: '@boris' }; `@boris` → { dialogNumber: null, rest: '@boris' }.
 */
export function splitCommandArg(arg: string | undefined): { dialogNumber: number | null; rest: string } {
  const m = /^#?(\d{1,15})(?:\s+([\s\S]*))?$/.exec(arg?.trim() ?? '');
  const n = m ? Number(m[1]) : 0;
  if (!m || n <= 0) return { dialogNumber: null, rest: arg?.trim() ?? '' };
  return { dialogNumber: n, rest: (m[2] ?? '').trim() };
}

/** `/take@support_bot 12` → { name: 'take', arg: '12' }; null when the text is not a command. */
export function parseCommandText(text: string | undefined): { name: string; arg?: string } | null {
  const m = /^\/([a-z_]+)(?:@\w+)?(?:\s+(.+))?$/is.exec(text?.trim() ?? '');
  return m ? { name: (m[1] as string).toLowerCase(), arg: m[2]?.trim().replace(/^#/, '') } : null;
}
