import { afterAll, beforeAll, expect } from 'vitest';
import { createFlowpulseServer, type FlowpulseServer, type FlowpulseServerOptions } from 'flowpulse/server';
import { openClient, type OpenClientOptions, type TestClient } from './ws-client';

/** The server a test file shares, its addresses, and real `ws` clients that go away with it. */
export interface TestServer {
  readonly server: FlowpulseServer;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  /** `ws://127.0.0.1:<port>` */
  readonly wsBase: string;
  /** Opens a client on a workflow id, or on a path starting with `/` (query included). */
  connect(target: string, options?: OpenClientOptions): Promise<TestClient>;
  /** Starts a run over REST, asserts 202, and returns the execution id. */
  execute(workflowId: string, inputs?: object): Promise<string>;
}

/**
 * Starts a server on a free port before the file's tests and closes it, and
 * every client opened through it, after them. `options` is read in
 * `beforeAll`, so it may prepare folders or node types first.
 *
 * @example
 * const srv = serverPerFile(() => ({ workflows: [chain('wf', 3)] }));
 * it('streams', async () => { const c = await srv.connect('wf'); await srv.execute('wf'); });
 */
export function serverPerFile(options: () => FlowpulseServerOptions | Promise<FlowpulseServerOptions> = () => ({})): TestServer {
  const clients: TestClient[] = [];
  let server: FlowpulseServer | undefined;
  let port = 0;
  const started = () => server ?? expect.fail('the test server starts in beforeAll');
  const t: TestServer = {
    get server() {
      return started();
    },
    get port() {
      return port;
    },
    get base() {
      return `http://127.0.0.1:${port}`;
    },
    get wsBase() {
      return `ws://127.0.0.1:${port}`;
    },
    async connect(target, clientOptions) {
      const path = target.startsWith('/') ? target : `/api/ws/workflow/${encodeURIComponent(target)}`;
      const c = await openClient(t.wsBase + path, clientOptions);
      clients.push(c);
      return c;
    },
    async execute(workflowId, inputs) {
      const r = await fetch(`${t.base}/api/workflows/${encodeURIComponent(workflowId)}/execute`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        ...(inputs === undefined ? {} : { body: JSON.stringify({ initial_inputs: inputs }) }),
      });
      expect(r.status).toBe(202);
      return (await r.json()).execution_id;
    },
  };
  beforeAll(async () => {
    server = createFlowpulseServer({ port: 0, ...(await options()) });
    const { url, port: listening } = await server.listen();
    port = listening;
    expect(url).toBe(`http://127.0.0.1:${port}`);
  });
  afterAll(async () => {
    for (const c of clients) c.ws.terminate();
    await server?.close();
  });
  return t;
}
