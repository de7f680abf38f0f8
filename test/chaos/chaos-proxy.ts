import net from 'node:net';

// ---------------------------------------------------------------- chaos proxy
interface Pair {
  c: net.Socket;
  s: net.Socket;
  paused: boolean;
  toServer: Buffer[];
  toClient: Buffer[];
  half: boolean;
}

export class ChaosProxy {
  readonly server: net.Server;
  readonly pairs = new Set<Pair>();
  blackout = false;
  /** New connections do not read from the server at all (a stalled consumer: backpressure reaches the server). */
  stallReads = false;
  port = 0;
  stats = { connections: 0, destroys: 0, pauses: 0, longPauses: 0, halfCloses: 0, refused: 0 };

  constructor(public target: number) {
    this.server = net.createServer({ allowHalfOpen: true }, (c) => this.#accept(c));
  }

  async listen(): Promise<number> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  #accept(c: net.Socket) {
    c.on('error', () => {});
    if (this.blackout) {
      this.stats.refused++;
      c.destroy();
      return;
    }
    this.stats.connections++;
    const s = net.connect({ port: this.target, host: '127.0.0.1', allowHalfOpen: true });
    s.on('error', () => {});
    if (this.stallReads) s.pause();
    const pair: Pair = { c, s, paused: false, toServer: [], toClient: [], half: false };
    this.pairs.add(pair);
    c.on('data', (d) => (pair.paused ? pair.toServer.push(d) : s.writable && s.write(d)));
    s.on('data', (d) => (pair.paused ? pair.toClient.push(d) : c.writable && c.write(d)));
    c.on('end', () => !pair.half && s.end());
    s.on('end', () => !pair.half && c.end());
    const gone = () => {
      this.pairs.delete(pair);
      if (pair.half) {
        // a half-open peer is left for the client's heartbeat to find, then cleaned up
        setTimeout(() => (c.destroy(), s.destroy()), 1500).unref();
      } else {
        c.destroy();
        s.destroy();
      }
    };
    c.on('close', gone);
    s.on('close', gone);
  }

  destroyAll() {
    for (const p of [...this.pairs]) {
      p.c.destroy();
      p.s.destroy();
    }
  }

  /** One random disruption of a random live connection. */
  strike(rng: () => number, heartbeatTimeoutMs: number) {
    const pairs = [...this.pairs];
    if (!pairs.length) return;
    const p = pairs[Math.floor(rng() * pairs.length)]!;
    const r = rng();
    if (r < 0.35) {
      this.stats.destroys++;
      p.c.destroy();
      p.s.destroy();
    } else if (r < 0.7) {
      this.stats.pauses++;
      const long = rng() < 0.6;
      if (long) this.stats.longPauses++;
      const ms = long ? heartbeatTimeoutMs * (1.3 + rng() * 3) : heartbeatTimeoutMs * rng() * 0.5;
      p.paused = true;
      const endAction = rng();
      setTimeout(() => {
        p.paused = false;
        if (endAction < 0.3) {
          p.c.destroy();
          p.s.destroy();
          return;
        }
        for (const d of p.toServer.splice(0)) if (p.s.writable) p.s.write(d);
        for (const d of p.toClient.splice(0)) if (p.c.writable) p.c.write(d);
      }, ms);
    } else {
      this.stats.halfCloses++;
      p.half = true;
      if (rng() < 0.5) p.s.end();
      else p.c.end();
    }
  }

  async close() {
    this.destroyAll();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

