import type { TelegramClient } from '../adapters/telegram/telegram.client';
import type { Lang } from '../machines/dialog.types';
import { bilingualMenu, commandMenu } from './commands.registry';

/**
 * Sets the command menus from the registry: the users' commands for private chats (in both
 * languages), the operators' commands only in the operators' group, in `operatorLang`. Each
 * menu is tried on its own, so one refusal does not leave the other unset. Scopes only shape the
 * menu: permissions are checked on every command.
 *
 * @returns the menus that could not be set, with why (empty when both were)
 */
export async function registerCommands(telegram: TelegramClient, operatorChatId: number, operatorLang: Lang): Promise<string[]> {
  const failures: string[] = [];
  const attempt = async (what: string, set: () => Promise<void>) => {
    try {
      await set();
    } catch (error) {
      failures.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  await attempt('users', () => telegram.setMyCommands(bilingualMenu('user')));
  await attempt('operators', () => telegram.setMyCommands(commandMenu('operator', operatorLang), { type: 'chat', chat_id: operatorChatId }));
  return failures;
}
