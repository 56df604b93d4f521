import type { DialogEvent, Lang } from '../machines/dialog.types';

/** Who a command is for: users in their private chat, or operators in the operators' group. */
export type CommandAudience = 'user' | 'operator';

/** Who sent an operator's command, and where, for the event it becomes. */
export interface CommandCaller {
  operatorId: number;
  operatorName: string;
  place: { threadId?: number; replyTo?: number };
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
  /** The event the command becomes. */
  event: (caller: CommandCaller) => DialogEvent;
}

/** Every command the bot knows. */
export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'start',
    audience: 'user',
    menu: { ru: 'Начать', en: 'Start' },
    args: 'none',
    event: () => ({ type: 'user.start' }),
  },
  {
    name: 'operator',
    aliases: ['human'],
    audience: 'user',
    menu: { ru: 'Позвать человека', en: 'Talk to a human' },
    args: 'none',
    event: () => ({ type: 'user.requestHuman' }),
  },
  {
    name: 'bot',
    audience: 'user',
    menu: { ru: 'Вернуться к боту', en: 'Back to the bot' },
    args: 'none',
    event: () => ({ type: 'user.backToBot' }),
  },
  {
    name: 'take',
    audience: 'operator',
    menu: { ru: 'Взять диалог: /take 12', en: 'Take a dialog: /take 12' },
    args: 'dialog',
    event: ({ operatorId, operatorName, place }) => ({ type: 'operator.take', operatorId, operatorName, place }),
  },
  {
    name: 'close',
    audience: 'operator',
    menu: { ru: 'Закрыть диалог: /close или /close 12', en: 'Close the dialog: /close or /close 12' },
    args: 'dialog',
    event: ({ operatorId, place }) => ({ type: 'operator.close', operatorId, place }),
  },
];

/** The command called `name` (or one of its aliases), if any. */
export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name || c.aliases?.includes(name));
}

/** The command menu of an audience, for `setMyCommands`. */
export function commandMenu(audience: CommandAudience, lang: Lang): Array<{ command: string; description: string }> {
  return COMMANDS.filter((c) => c.audience === audience).map((c) => ({ command: c.name, description: c.menu[lang] }));
}

/** The users' menu shows both languages at once: Telegram has one menu per scope unless per-language menus are set. */
export function bilingualMenu(audience: CommandAudience): Array<{ command: string; description: string }> {
  return COMMANDS.filter((c) => c.audience === audience).map((c) => ({ command: c.name, description: `${c.menu.en} / ${c.menu.ru}` }));
}

/** `/take@support_bot 12` → { name: 'take', arg: '12' }; null when the text is not a command. */
export function parseCommandText(text: string | undefined): { name: string; arg?: string } | null {
  const m = /^\/([a-z_]+)(?:@\w+)?(?:\s+(.+))?$/is.exec(text?.trim() ?? '');
  return m ? { name: (m[1] as string).toLowerCase(), arg: m[2]?.trim().replace(/^#/, '') } : null;
}
