import type { TelegramClient } from '../adapters/telegram/telegram.client';

/** One command of a menu, as setMyCommands takes it. */
export interface MenuCommand {
  command: string;
  description: string;
}

/** The users' menu (default scope). */
export const USER_COMMANDS: MenuCommand[] = [
  { command: 'start', description: 'Start / Начать' },
  { command: 'operator', description: 'Talk to a human / Позвать человека' },
  { command: 'bot', description: 'Back to the bot / Вернуться к боту' },
];

/** The operators' menu, shown only in their group (scope chat). */
export const OPERATOR_COMMANDS: MenuCommand[] = [
  { command: 'take', description: 'Take a dialog: /take 12' },
  { command: 'close', description: 'Close the dialog: /close or /close 12' },
];

/** Which menus could not be set, with why (empty when both were). */
export type MenuFailures = Array<{ scope: 'default' | 'operators'; error: string }>;

/**
 * Sets both command menus: the users' (default scope) and the operators' (their group only).
 * Each is tried on its own, so a failure of the first never keeps the second from being set.
 * Never throws: resolves with the failures, for the caller to log.
 *
 * @example for (const f of await registerCommands(telegram, operatorChatId)) log.warn(f, 'setMyCommands failed');
 */
export async function registerCommands(telegram: Pick<TelegramClient, 'setMyCommands'>, operatorChatId: number): Promise<MenuFailures> {
  const menus = [
    { scope: 'default' as const, set: () => telegram.setMyCommands(USER_COMMANDS) },
    { scope: 'operators' as const, set: () => telegram.setMyCommands(OPERATOR_COMMANDS, { type: 'chat', chat_id: operatorChatId }) },
  ];
  const outcomes = await Promise.all(
    menus.map(async ({ scope, set }) => {
      try {
        await set();
        return [];
      } catch (error) {
        return [{ scope, error: error instanceof Error ? error.message : String(error) }];
      }
    }),
  );
  return outcomes.flat();
}
