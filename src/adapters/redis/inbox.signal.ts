import { Redis } from 'ioredis';

/**
 * "New updates are in the inbox", from the web processes to the worker processes, over Redis
 * pub/sub. Only a wake-up call: the updates themselves are in PostgreSQL, and a worker that misses
 * a signal (it was restarting, Redis blinked) still finds them on its next poll.
 *
 * Pub/sub channels are shared by all databases of a Redis server, so the channel names the
 * database: two deployments on one server (or the tests beside the benchmark) do not wake each
 * other.
 */
export class InboxSignal {
  private scheduled = false;

  private constructor(
    private readonly publisher: Redis,
    private readonly channel: string,
  ) {}

  static create(publisher: Redis): InboxSignal {
    return new InboxSignal(publisher, channelOf(publisher));
  }

  /** Signals the workers; calls in the same turn of the event loop make one message. */
  notify(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.publisher.publish(this.channel, '1').catch(() => undefined); // the workers' poll finds the updates anyway
    });
  }

  /**
   * Calls `onSignal` for every signal, on a connection of its own (a subscribed connection can do
   * nothing else). ioredis reconnects and subscribes again by itself; `onLost` hears when the
   * connection drops (the workers' poll goes on finding the updates meanwhile).
   */
  static async subscribe(connection: Redis, onSignal: () => void, onLost: (error: Error) => void): Promise<{ close(): Promise<void> }> {
    // Its own queue while it (re)connects: the subscription is sent once the connection is up.
    const subscriber = connection.duplicate({ enableOfflineQueue: true });
    let connected = false;
    subscriber.on('ready', () => {
      connected = true;
    });
    subscriber.on('error', (error: Error) => {
      if (connected) onLost(error); // once per drop, not once per reconnection attempt
      connected = false;
    });
    subscriber.on('message', () => onSignal());
    try {
      await subscriber.subscribe(channelOf(connection));
    } catch (error) {
      subscriber.disconnect();
      throw error;
    }
    return {
      async close() {
        await subscriber.quit().catch(() => subscriber.disconnect());
      },
    };
  }
}

function channelOf(redis: Redis): string {
  return `support-bot:inbox:db${redis.options.db ?? 0}`;
}
