import { createConnection, createServer, type Server, type Socket } from "node:net";

/**
 * A TCP proxy in the test process between a server under test and Postgres,
 * to take the database away as production loses it: `stop()` (nothing
 * listens: connections refused, open ones reset), `freeze()` (connections
 * accepted and bytes held, nothing answers: a hung host or network) and
 * `resume()`.
 */
export class TcpProxy {
  private server: Server | undefined;
  private frozen = false;
  private readonly pairs = new Set<{ client: Socket; upstream: Socket }>();

  private constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  static async start(target: { host: string; port: number }, port = 0): Promise<TcpProxy> {
    const proxy = new TcpProxy(port, target);
    await proxy.listen();
    return proxy;
  }

  /** `url` with its host and port replaced by the proxy's. */
  static through(url: string, proxy: TcpProxy): string {
    const u = new URL(url);
    u.hostname = "127.0.0.1";
    u.port = String(proxy.port);
    return u.toString();
  }

  private listen(): Promise<void> {
    const server = createServer((client) => this.accept(client));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => {
        (this as { port: number }).port = (server.address() as { port: number }).port;
        resolve();
      });
    });
  }

  private accept(client: Socket): void {
    const upstream = createConnection(this.target);
    const pair = { client, upstream };
    this.pairs.add(pair);
    const end = () => {
      client.destroy();
      upstream.destroy();
      this.pairs.delete(pair);
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
    if (!this.frozen) this.flow(pair);
  }

  private flow({ client, upstream }: { client: Socket; upstream: Socket }): void {
    client.pipe(upstream);
    upstream.pipe(client);
  }

  /** Connections are accepted and kept, and nothing goes through in either direction. */
  freeze(): void {
    this.frozen = true;
    for (const { client, upstream } of this.pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  /** Nothing listens on the port, and every open connection is reset: Postgres stopped. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const { client, upstream } of this.pairs) {
      client.resetAndDestroy();
      upstream.destroy();
    }
    this.pairs.clear();
    if (server) await new Promise((r) => server.close(r));
  }

  /** Back to forwarding, listening again if stopped, held bytes delivered if frozen. */
  async resume(): Promise<void> {
    this.frozen = false;
    if (!this.server) await this.listen();
    for (const pair of this.pairs) this.flow(pair);
  }

  async close(): Promise<void> {
    await this.stop();
  }
}
