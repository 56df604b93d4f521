import net from 'node:net';

/**
 * A TCP proxy in front of a local server, which a test can cut and restore: the service behind
 * it sees exactly what it would see if that server stopped and came back.
 */
export class TcpProxy {
  private sockets = new Set<net.Socket>();
  private server: net.Server | null = null;
  /** Set by {@link loseAnswerTo}: the text of the statement whose answer is to be lost. */
  private losing: string | null = null;

  private constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const probe = net.createServer();
    const port = await new Promise<number>((resolve) => probe.listen(0, '127.0.0.1', () => resolve((probe.address() as net.AddressInfo).port)));
    await new Promise((r) => probe.close(r));
    const proxy = new TcpProxy(port, target);
    await proxy.resume();
    return proxy;
  }

  /** Accepts connections again. */
  async resume(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      let doomed = false; // this connection sent the statement whose answer is lost
      client.on('data', (chunk: Buffer) => {
        if (this.losing !== null && chunk.toString('utf8').includes(this.losing)) {
          this.losing = null;
          doomed = true;
        }
        upstream.write(chunk);
      });
      upstream.on('data', (chunk: Buffer) => {
        if (!doomed) return void client.write(chunk);
        client.destroy();
        upstream.destroy();
      });
      client.on('end', () => upstream.end());
      upstream.on('end', () => client.end());
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', () => resolve()));
    this.server = server;
  }

  /**
   * The next statement whose text contains `sql` reaches the server and runs there, but its
   * answer never arrives: the connection drops when the answer would, as when the server or the
   * network goes away between running a statement and answering it. Once only.
   */
  loseAnswerTo(sql: string): void {
    this.losing = sql;
  }

  /** Refuses new connections and drops open ones, as a stopped server would. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise((r) => server.close(r));
  }

  async close(): Promise<void> {
    await this.cut();
  }
}
