import type { Lang, Placement } from '../machines/dialog.types';

/** Who a command is for: users in their private chat, or operators in the operators' group. */
export type CommandAudience = 'user' | 'operator';

/** Who sent an operator's command, and where, for the event it becomes. */
export interface CommandCaller {
  operatorId: number;
  operatorName: string;
  place: Placement;
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
  /** `dialog`: takes a dialog number (`/take 12`); without one, the topic or the replied-to ticket says which. */
  args: 'none' | 'dialog';
  /** The dialog event the command becomes; the machine's event union takes its type from here ({@link CommandEvent}). */
  event: (caller: CommandCaller) => { type: string };
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
] as const satisfies readonly CommandSpec[];

/** The dialog events commands become (part of the machine's `DialogEvent`). */
export type CommandEvent = ReturnType<(typeof COMMANDS)[number]['event']>;

/** The event a command named `name` becomes, for a caller (a button can be a command too: Take). */
export function commandEvent<N extends (typeof COMMANDS)[number]['name']>(name: N, caller: CommandCaller): Extract<CommandEvent, { type: string }> {
  const spec = COMMANDS.find((c) => c.name === name) as CommandSpec;
  return spec.event(caller) as CommandEvent;
}

/** The types of the events commands become (for the machine's exhaustive tests and the diagram). */
export const COMMAND_EVENT_TYPES: readonly CommandEvent['type'][] = [
  ...new Set(COMMANDS.map((c) => c.event({ operatorId: 0, operatorName: '', place: {} }).type)),
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

/** `/take@support_bot 12` → { name: 'take', arg: '12' }; null when the text is not a command. */
export function parseCommandText(text: string | undefined): { name: string; arg?: string } | null {
  const m = /^\/([a-z_]+)(?:@\w+)?(?:\s+(.+))?$/is.exec(text?.trim() ?? '');
  return m ? { name: (m[1] as string).toLowerCase(), arg: m[2]?.trim().replace(/^#/, '') } : null;
}
