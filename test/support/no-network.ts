import net from 'node:net';

/**
 * Every test runs with this guard (jest `setupFiles`): a connection to anything but this machine
 * throws, so no test can reach Telegram, OpenAI or any other outside host by accident.
 */
const LOCAL = /^(127\.\d+\.\d+\.\d+|localhost|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
const original = net.Socket.prototype.connect;

net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
  const first = args[0] as { host?: string; path?: string } | number | string | unknown[];
  const options = Array.isArray(first) ? (first[0] as { host?: string; path?: string }) : first;
  const host = typeof options === 'object' && options !== null ? (options.path ? 'localhost' : (options.host ?? 'localhost')) : typeof args[1] === 'string' ? args[1] : 'localhost';
  if (typeof options === 'string' && typeof first === 'string') {
    // a Unix socket path
  } else if (!LOCAL.test(host)) {
    throw new Error(`test tried to reach ${host}: tests may only talk to this machine (use the fakes in test/fakes)`);
  }
  return (original as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;
