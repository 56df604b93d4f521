import type { TelegramClient } from '../adapters/telegram/telegram.client';
import type { Lang } from '../machines/dialog.types';
import { bilingualMenu, commandMenu } from './commands.registry';

/** Which menus could not be set, with why (empty when both were). */
export type MenuFailures = Array<{ scope: 'default' | 'operators'; error: string }>;

/**
 * Sets both command menus from the command registry: the users' (default scope, both languages)
 * and the operators' (their group only, in `operatorLang`). Each is tried on its own, so a
 * failure of the first never keeps the second from being set. Never throws: resolves with the
 * failures, for the caller to log. Scopes only shape the menu: permissions are checked on every
 * command.
 *
 * @example for (const f of await registerCommands(telegram, operatorChatId, 'ru')) log.warn(f, 'setMyCommands failed');
 */
export async function registerCommands(
  telegram: Pick<TelegramClient, 'setMyCommands'>,
  operatorChatId: number,
  operatorLang: Lang = 'en',
): Promise<MenuFailures> {
  const menus = [
    { scope: 'default' as const, set: () => telegram.setMyCommands(bilingualMenu('user')) },
    { scope: 'operators' as const, set: () => telegram.setMyCommands(commandMenu('operator', operatorLang), { type: 'chat', chat_id: operatorChatId }) },
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
