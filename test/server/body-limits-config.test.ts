// @vitest-environment node
/** Body and request limits are checked when the server is created, not found out request by request. */
import { describe, expect, it } from 'vitest';
import { createFlowpulseServer, type FlowpulseServerOptions } from 'flowpulse/server';

const one = { id: 'one', nodes: [{ id: 'a', type: 'start' }], edges: [] };

/** Listens with `options`, runs `use` against the server's URL, and closes it. */
async function withServer(options: FlowpulseServerOptions, use: (url: string) => Promise<void>): Promise<void> {
  const server = createFlowpulseServer({ port: 0, workflows: [one], ...options });
  try {
    await use((await server.listen()).url);
  } finally {
    await server.close();
  }
}

const execute = (url: string, bytes: number) =>
  fetch(`${url}/api/workflows/one/execute`, { method: 'POST', body: JSON.stringify({ initial_inputs: { s: 'x'.repeat(bytes) } }) });

describe('body limits', () => {
  it('maxBodyBytesInFlight below maxBodyBytes throws at creation (a body between them got 503 on every retry)', () => {
    expect(() => createFlowpulseServer({ maxBodyBytes: 200_000, maxBodyBytesInFlight: 100_000 })).toThrow(
      new RangeError(
        'maxBodyBytesInFlight (100000) must be at least maxBodyBytes (200000), or Infinity: ' +
          'a body that fits maxBodyBytes but not maxBodyBytesInFlight would get 503 on every attempt',
      ),
    );
  });

  it.each([
    ['maxBodyBytesInFlight', 0], // answered 503 to every body
    ['maxBodyBytesInFlight', NaN], // turned the budget off
    ['maxBodyBytes', NaN],
    ['maxBodyValues', NaN],
    ['maxBodyValues', 0],
    ['maxWorkflowBytes', NaN],
    ['maxWorkflowBytes', -1],
  ] as const)('%s: %s throws a RangeError naming it at creation', (name, value) => {
    expect(() => createFlowpulseServer({ [name]: value })).toThrow(
      new RangeError(`${name} must be an integer ≥ 1 (or Infinity), got ${value}`),
    );
  });

  it('a body within maxBodyBytes is served when maxBodyBytesInFlight is Infinity', async () => {
    await withServer({ maxBodyBytes: 200_000, maxBodyBytesInFlight: Infinity }, async (url) => {
      expect((await execute(url, 150_000)).status).toBe(202);
    });
  });
});

describe('requestTimeoutMs', () => {
  it('a fraction is rounded up rather than refused by Node', async () => {
    await withServer({ requestTimeoutMs: 1500.5 }, async (url) => {
      expect((await fetch(`${url}/api/health`)).status).toBe(200);
    });
  });

  it.each([0, Infinity, NaN])('%s throws: it cannot be turned off', (value) => {
    expect(() => createFlowpulseServer({ requestTimeoutMs: value })).toThrow(RangeError);
  });
});

describe('run log bounds', () => {
  it.each([
    ['maxConcurrency', 0, '1'],
    ['maxConcurrency', 1.5, '1'],
    ['maxConcurrency', Infinity, '1'],
    ['maxLogsPerExecution', -1, '0 (or Infinity)'],
    ['maxLogsPerExecution', NaN, '0 (or Infinity)'],
    ['maxLogChars', 0, '1 (or Infinity)'],
  ] as const)('%s: %s throws a RangeError naming it at creation, not at every execute', (name, value, bound) => {
    expect(() => createFlowpulseServer({ [name]: value })).toThrow(new RangeError(`${name} must be an integer ≥ ${bound}, got ${value}`));
  });

  it("maxLogsPerExecution and maxLogChars bound what a run's record keeps; every line is still counted", async () => {
    const chatty = {
      id: 'chatty',
      nodes: ['a', 'b', 'c', 'd'].map((id) => ({ id, type: 'start', config: { log: `node ${id} says ${'x'.repeat(40)}` } })),
      edges: [
        { source: 'a', target: 'b' },
        { source: 'b', target: 'c' },
        { source: 'c', target: 'd' },
      ],
    };
    await withServer({ workflows: [chatty], maxLogsPerExecution: 2, maxLogChars: 20 }, async (url) => {
      const started = await fetch(`${url}/api/workflows/chatty/execute`, { method: 'POST', body: '{}' });
      const { execution_id } = await started.json();
      let run: { status: string; logs: { message: string }[]; droppedLogs: number } | undefined;
      for (let i = 0; i < 100 && run?.status !== 'completed'; i++) {
        await new Promise((r) => setTimeout(r, 20));
        run = await (await fetch(`${url}/api/workflows/chatty/executions/${execution_id}`)).json();
      }
      expect(run?.status).toBe('completed');
      // The newest two lines (the engine's own last words), the others counted: four nodes logged one each.
      expect(run!.logs).toHaveLength(2);
      expect(run!.logs.at(-1)!.message).toMatch(/^Workflow completed/);
      expect(run!.droppedLogs).toBeGreaterThanOrEqual(4);
      // Clipped to 20 characters, with a note of how much more there was.
      for (const line of run!.logs) expect(line.message).toMatch(/^.{20}… \[\d+ more characters?\]$/);
    });
  });
});
