/**
 * How updates reach the bot from the emulator, as from Telegram: queued, then either fetched by
 * `getUpdates` (long polling, confirmed by `offset`) or, once `setWebhook` registered a URL and
 * webhook delivery is on, POSTed to that URL one at a time in `update_id` order with the
 * `X-Telegram-Bot-Api-Secret-Token` header; a non-2xx answer or a network error delivers the
 * same update again after a pause (1 s doubling to 10 s), as Telegram does.
 */
import { ApiRefusal, badRequest, intOf, truthy, type Params } from './api.refusal';
import type { MethodHandler } from './methods.messages';

/** Options of {@link UpdateDelivery}. */
export interface DeliveryOptions {
  /** Long polls end after at most this long, whatever `timeout` asks (tests keep it short). */
  longPollCapMs: number;
  /** POST queued updates to the registered webhook (the sandbox); off, they wait in the queue (tests post updates themselves). */
  deliverByWebhook: boolean;
  /** Called after each change of the queue (an update delivered, confirmed or queued). */
  changed: () => void;
  /** Told about a failed webhook delivery (the status or the network error's message, never the update). */
  onDeliveryError?: (detail: string) => void;
}

const RETRY_FIRST_MS = 1000;
const RETRY_CAP_MS = 10_000;
const WEBHOOK_TIMEOUT_MS = 60_000;

/** The update queue, the webhook registration and the two ways out; see the file comment. */
export class UpdateDelivery {
  private webhookUrl = '';
  private secret: string | undefined;
  private updates: Record<string, unknown>[] = [];
  private readonly pollers = new Set<{ wake: (refusal?: ApiRefusal) => void }>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Updates with a lower id were confirmed (by an offset or a webhook's 2xx) and can never be delivered again. */
  private confirmedBelow = 0;
  private pushing = false;
  private closed = false;

  constructor(private readonly options: DeliveryOptions) {}

  /** The registered webhook URL ('' in polling mode). */
  get webhook(): string {
    return this.webhookUrl;
  }

  /** Updates waiting to be delivered. */
  get pending(): number {
    return this.updates.length;
  }

  /**
   * Queues an update and wakes a pending long poll (or the webhook pusher). Without `update_id`
   * the next id is given; returns the id.
   *
   * @throws Error when `update_id` was already confirmed: the bot would never see it
   */
  push(update: object): number {
    const copy: Record<string, unknown> = { ...update };
    const lastId = Math.max(this.confirmedBelow - 1, ...this.updates.map((u) => Number(u.update_id)));
    if (typeof copy.update_id !== 'number') copy.update_id = lastId + 1;
    const id = copy.update_id as number;
    if (id < this.confirmedBelow) {
      throw new Error(
        `pushUpdate: update_id ${id} was already confirmed (the bot asked for offset ${this.confirmedBelow}), ` +
          `so Telegram would never deliver it: build updates with new UpdateFactory(${this.confirmedBelow}, tg) or above`,
      );
    }
    this.updates.push(copy);
    this.updates.sort((a, b) => Number(a.update_id) - Number(b.update_id));
    for (const poller of [...this.pollers]) poller.wake();
    this.kick();
    return id;
  }

  /** The next `update_id` {@link UpdateDelivery.push} would give. */
  nextUpdateId(): number {
    return Math.max(this.confirmedBelow - 1, ...this.updates.map((u) => Number(u.update_id))) + 1;
  }

  /** Forgets the webhook and the queued updates (confirmed ids stay confirmed). */
  reset(): void {
    this.webhookUrl = '';
    this.secret = undefined;
    this.updates = [];
  }

  /** Ends pending long polls (they answer `[]`) and stops delivering. */
  close(): void {
    this.closed = true;
    for (const poller of [...this.pollers]) poller.wake();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** `setWebhook`, `deleteWebhook`, `getWebhookInfo` and `getUpdates`. */
  methods(): Record<string, MethodHandler> {
    return {
      setWebhook: (params) => {
        const url = typeof params.url === 'string' ? params.url : '';
        if (url !== '' && !/^https?:\/\//.test(url)) throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
        this.webhookUrl = url;
        this.secret = typeof params.secret_token === 'string' && params.secret_token !== '' ? params.secret_token : undefined;
        this.kick();
        return true;
      },
      deleteWebhook: (params) => {
        this.webhookUrl = '';
        if (truthy(params.drop_pending_updates)) this.updates = [];
        return true;
      },
      getWebhookInfo: () => ({
        url: this.webhookUrl,
        has_custom_certificate: false,
        pending_update_count: this.webhookUrl === '' ? 0 : this.updates.length,
      }),
      getUpdates: (params) => this.getUpdates(params),
    };
  }

  private getUpdates(params: Params): Promise<unknown[]> {
    if (this.webhookUrl !== '') {
      throw new ApiRefusal(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    }
    // Only one long poll at a time, as in Telegram: a new one ends the one in progress.
    for (const poller of [...this.pollers]) {
      poller.wake(new ApiRefusal(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'));
    }
    const offset = intOf(params.offset) ?? 0;
    if (offset > 0) {
      this.confirmedBelow = Math.max(this.confirmedBelow, offset);
      this.updates = this.updates.filter((u) => Number(u.update_id) >= offset);
    } else if (offset < 0) {
      this.updates = this.updates.slice(offset);
    }
    const limit = Math.min(Math.max(intOf(params.limit) ?? 100, 1), 100);
    const timeoutMs = Math.min((intOf(params.timeout) ?? 0) * 1000, this.options.longPollCapMs);
    const take = (): unknown[] => this.updates.filter((u) => Number(u.update_id) >= this.confirmedBelow).slice(0, limit);
    if (take().length > 0 || timeoutMs <= 0 || this.closed) return Promise.resolve(take());
    return new Promise((resolve, reject) => {
      const poller = {
        wake: (refusal?: ApiRefusal): void => {
          clearTimeout(timer);
          this.timers.delete(timer);
          this.pollers.delete(poller);
          if (refusal === undefined) resolve(take());
          else reject(refusal);
        },
      };
      const timer = setTimeout(() => poller.wake(), timeoutMs);
      this.timers.add(timer);
      this.pollers.add(poller);
    });
  }

  /** Starts the webhook pusher unless it runs, is off, or has nothing to do. */
  private kick(): void {
    if (!this.options.deliverByWebhook || this.pushing || this.closed || this.webhookUrl === '' || this.updates.length === 0) return;
    this.pushing = true;
    void this.pushAll().finally(() => {
      this.pushing = false;
      this.kick();
    });
  }

  private async pushAll(): Promise<void> {
    let pause = RETRY_FIRST_MS;
    while (!this.closed && this.webhookUrl !== '') {
      const next = this.updates[0];
      if (next === undefined) return;
      const failure = await this.post(this.webhookUrl, next);
      if (failure === undefined) {
        this.updates = this.updates.filter((u) => u !== next);
        this.confirmedBelow = Math.max(this.confirmedBelow, Number(next.update_id) + 1);
        pause = RETRY_FIRST_MS;
        this.options.changed();
      } else {
        this.options.onDeliveryError?.(failure);
        await this.sleep(pause);
        pause = Math.min(pause * 2, RETRY_CAP_MS);
      }
    }
  }

  /** POSTs one update; undefined when the bot answered 2xx, otherwise what went wrong. */
  private async post(url: string, update: Record<string, unknown>): Promise<string | undefined> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.secret === undefined ? {} : { 'x-telegram-bot-api-secret-token': this.secret }),
        },
        body: JSON.stringify(update),
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      });
      await response.arrayBuffer();
      return response.ok ? undefined : `webhook answered ${response.status}`;
    } catch (error) {
      return `webhook unreachable: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }
}
