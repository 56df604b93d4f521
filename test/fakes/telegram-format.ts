/** Telegram's text formatting as the emulator checks it; it lives in src/sandbox (the sandbox's Bot API emulator). */
export * from '../../src/sandbox/telegram.format';
