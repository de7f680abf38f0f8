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
