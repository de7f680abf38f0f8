// @vitest-environment node
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createFlowpulseServer, type FlowpulseServer } from 'flowpulse/server';
import { until } from './ws-client';

const wscatBin = join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'wscat');

let server: FlowpulseServer;
let port: number;
let child: ChildProcess | undefined;

beforeAll(async () => {
  server = createFlowpulseServer({ port: 0 });
  ({ port } = await server.listen());
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill();
    await exited;
  }
  await server.close();
});

it('wscat gets the exact pong for a typed ping, as in the spec', async () => {
  child = spawn(wscatBin, ['-c', `ws://127.0.0.1:${port}/api/ws/workflow/123`], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d.toString()));
  child.stderr!.on('data', (d) => (err += d.toString()));
  await until(() => server.manager.clientCount('123') === 1, 10_000).catch(() => {
    throw new Error(`wscat did not connect: ${err}`);
  });
  child.stdin!.write('ping\n');
  const lines = () =>
    out
      .split('\n')
      .map((l) => l.replace(/^(?:[<>] )+/, '').trim())
      .filter((l) => l.length > 0);
  await until(() => lines().some((l) => l.includes('"pong"')), 10_000).catch(() => {
    throw new Error(`no reply; stdout: ${JSON.stringify(out)} stderr: ${err}`);
  });
  // First the catch-up snapshot (no run of "123" is known), then the exact pong.
  const json = lines().filter((l) => l.startsWith('{'));
  expect(JSON.parse(json[0]!)).toMatchObject({ type: 'snapshot', data: { workflow_id: '123', execution_id: null } });
  expect(json.slice(1)).toEqual(['{"type":"pong","workflow_id":"123"}']);
});
