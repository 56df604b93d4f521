/**
 * Builders of Telegram updates for tests; they live in src/sandbox (the sandbox's Bot API
 * emulator builds the page's users' updates with them). See {@link UpdateFactory}.
 */
export * from '../../src/sandbox/updates.factory';
export * from '../../src/sandbox/chat.history';
