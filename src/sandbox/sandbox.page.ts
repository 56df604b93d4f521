/**
 * The sandbox page's model: who is on the page (the users in their tabs, with their language;
 * the operators) and the screen they see, read from the emulator through {@link SandboxActions},
 * with a version that grows at every change of the emulator so the page can long-poll for the
 * next one. What people do goes through the actions as Telegram updates. No dialog logic here.
 *
 * @example
 * const page = SandboxPage.create(host.emulator, host.actions);
 * page.userSays(1001, 'How long does delivery take?');
 * const screen = await page.changedSince(0, 25_000);
 */
import type { BotApiEmulator } from './bot-api.emulator';
import { SANDBOX_OPERATORS, type SandboxActions } from './sandbox.actions';
import { htmlOf, SANDBOX_USERS, screenMessage, type SandboxScreen, type ScreenPerson } from './sandbox.screen';

/** The page holds at most this many users (tabs). */
const MAX_USERS = 12;

/** 404 for a person the page does not know; the route answers it as JSON. */
export class UnknownPersonError extends Error {
  readonly status = 404;
  readonly expose = true;
  readonly code = 'NOT_FOUND';
}

/** A client error the route answers as JSON with this status and code. */
function refusal(status: number, code: string, message: string): Error {
  return Object.assign(new Error(message), { status, expose: true, code });
}

/** See the module comment. Build with {@link SandboxPage.create}; {@link SandboxPage.close} wakes the long polls. */
export class SandboxPage {
  private version = 1;
  private readonly users = new Map<number, ScreenPerson>();
  private readonly watchers = new Set<() => void>();
  private readonly unsubscribe: () => void;

  private constructor(
    private readonly emulator: BotApiEmulator,
    private readonly actions: SandboxActions,
  ) {
    for (const user of SANDBOX_USERS) this.register(user);
    this.unsubscribe = emulator.onChange(() => this.changed());
  }

  /** The page over the sandbox's emulator and actions (src/sandbox/sandbox.host.ts builds it). */
  static create(emulator: BotApiEmulator, actions: SandboxActions): SandboxPage {
    return new SandboxPage(emulator, actions);
  }

  /** The screen now. */
  screen(): SandboxScreen {
    const group = this.actions.operatorChatId;
    const botName = this.emulator.world.profile.first_name;
    return {
      version: this.version,
      users: this.people().map((user) => {
        const draft = this.emulator.world.draftIn(user.id);
        return {
          ...user,
          messages: this.actions.messages(user.id).map((m) => screenMessage(m, false, botName)),
          draft: draft ? { draftId: draft.draftId, html: htmlOf(draft.text, draft.parseMode), at: draft.at, canStop: draft.canStop } : null,
        };
      }),
      operators: SANDBOX_OPERATORS.map((o) => ({ id: o.id, firstName: o.first_name ?? String(o.id) })),
      group: {
        chatId: group,
        general: this.actions.messages(group, null).map((m) => screenMessage(m, true, botName)),
        topics: this.actions
          .topics()
          .reverse()
          .map((t) => ({ ...t, messages: this.actions.messages(group, t.threadId).map((m) => screenMessage(m, true, botName)) })),
      },
    };
  }

  /**
   * The screen once its version is past `since`, or after `timeoutMs` whatever it is (so the page
   * also sees a draft expire).
   */
  async changedSince(since: number, timeoutMs: number): Promise<SandboxScreen> {
    if (this.version <= since) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.watchers.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, timeoutMs);
        this.watchers.add(wake);
      });
    }
    return this.screen();
  }

  /** A new user in a private chat with the bot ("+ user" on the page). */
  addUser(firstName: string, lang: 'ru' | 'en'): ScreenPerson {
    if (this.users.size >= MAX_USERS) throw refusal(409, 'CONFLICT', `the sandbox page holds at most ${MAX_USERS} users`);
    const user = this.register({ id: Math.max(...this.people().map((p) => p.id)) + 1, firstName, lang });
    this.changed();
    return user;
  }

  /** The user writes `text` to the bot. */
  userSays(userId: number, text: string): void {
    this.actions.userSends(this.user(userId).id, text);
  }

  /** The user presses an inline button under the bot's message `messageId`. */
  userPresses(userId: number, messageId: number, data: string): void {
    this.actions.userPresses(this.user(userId).id, messageId, data);
  }

  /** The user presses Stop under the draft `draftId` the bot is writing. */
  userStops(userId: number, draftId: number): void {
    this.actions.userStops(this.user(userId).id, draftId);
  }

  /** An operator writes in the operators' group: in a topic (`threadId`) or in General. */
  operatorSays(operatorId: number, text: string, threadId?: number): void {
    this.operator(operatorId);
    if (threadId !== undefined && !this.actions.topics().some((t) => t.threadId === threadId)) {
      throw refusal(400, 'VALIDATION_FAILED', `threadId: the operators' group has no topic ${threadId}`);
    }
    this.actions.operatorWrites(operatorId, text, threadId);
  }

  /** An operator presses a button in the group (the ticket's Take). */
  operatorPresses(operatorId: number, messageId: number, data: string): void {
    this.operator(operatorId);
    this.actions.operatorPresses(operatorId, messageId, data);
  }

  /** Stops following the emulator and answers the long polls in progress. */
  close(): void {
    this.unsubscribe();
    for (const wake of [...this.watchers]) wake();
  }

  /** The page's users, then anyone else who wrote to the bot (e.g. a user registered on {@link SandboxActions} directly, as tests do). */
  private people(): ScreenPerson[] {
    const others = this.actions
      .privateChats()
      .filter((chat) => !this.users.has(chat.chatId))
      .map((chat) => ({ id: chat.chatId, firstName: chat.name }));
    return [...this.users.values(), ...others];
  }

  private register(user: ScreenPerson): ScreenPerson {
    this.users.set(user.id, user);
    this.actions.user({ id: user.id, first_name: user.firstName, ...(user.lang ? { language_code: user.lang } : {}) });
    return user;
  }

  private user(userId: number): ScreenPerson {
    const user = this.users.get(userId) ?? this.people().find((p) => p.id === userId);
    if (!user) throw new UnknownPersonError(`no user ${userId} on the sandbox page: add one with POST /sandbox/api/users`);
    return user;
  }

  private operator(operatorId: number): void {
    if (!SANDBOX_OPERATORS.some((o) => o.id === operatorId)) {
      throw new UnknownPersonError(`no operator ${operatorId}: the sandbox's operators are ${SANDBOX_OPERATORS.map((o) => `${o.id} (${o.first_name})`).join(', ')}`);
    }
  }

  private changed(): void {
    this.version += 1;
    for (const wake of [...this.watchers]) wake();
  }
}
