/**
 * Debian's Python 3 with its packaged FastAPI, uvicorn, websockets and
 * jsonschema (apt, not pip), for the cross-language interop tests. On CI
 * missing packages must fail the run, never skip it; elsewhere these tests skip.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const PYTHON = '/usr/bin/python3';
export const INTEROP_DIR = import.meta.dirname;
export const SCHEMA_PATH = join(INTEROP_DIR, '..', '..', 'src', 'protocol', 'messages.schema.json');
export const FIXTURES_DIR = join(INTEROP_DIR, '..', 'fixtures', 'messages');

/** No `__pycache__` left in the repo; `-B` is passed as well. */
const env = { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' };

const hasModules = (): boolean =>
  spawnSync(PYTHON, ['-B', '-c', 'import fastapi, uvicorn, websockets, jsonschema'], { stdio: 'ignore', env, timeout: 30_000 }).status ===
  0;

export const pythonInteropRuns = hasModules() || Boolean(process.env.CI);

/** A port free right now: bind port 0, read it, release it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no port'))));
    });
  });
}

/** A Python process whose output is kept (never printed) for assertions and error messages. */
export interface PythonProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or signal) once the process is gone. */
  exited: Promise<number | NodeJS.Signals | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
}

const MAX_OUTPUT = 200_000;

/** Starts `/usr/bin/python3 -B <args>` in `test/interop` (or `cwd`), output captured; `env` adds variables. */
export function startPython(args: string[], options: { input?: string; cwd?: string; env?: Record<string, string> } = {}): PythonProcess {
  const child = spawn(PYTHON, ['-B', ...args], {
    cwd: options.cwd ?? INTEROP_DIR,
    env: { ...env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-MAX_OUTPUT)));
  child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-MAX_OUTPUT)));
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => {
    child.once('error', (e) => {
      err += `\nspawn failed: ${e.message}`;
      resolve(null);
    });
    child.once('exit', (code, signal) => resolve(code ?? signal));
  });
  child.stdin!.on('error', () => {}); // a process that died early closed its stdin: its exit says why
  child.stdin!.end(options.input ?? '');
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async stop(graceMs = 5000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      await exited;
    },
  };
}

/** Runs a Python script to the end; throws with its stderr when it fails or times out. */
export async function runPython(args: string[], options: { input?: string; timeoutMs?: number } = {}): Promise<string> {
  const p = startPython(args, options);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
  const code = await p.exited;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`python ${args.join(' ')} exited with ${String(code)}\nstdout: ${p.stdout()}\nstderr: ${p.stderr()}`);
  return p.stdout();
}

/** The last line of a script's stdout, parsed: the scripts print one JSON summary line. */
export function lastJsonLine(stdout: string): any {
  const line = stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line);
  } catch {
    throw new Error(`expected a JSON summary line, got: ${stdout}`);
  }
}

/** Resolves once `check` does, polling; rejects with `describe()` after `timeoutMs`. */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, describe: () => string): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Serves `module:app` with uvicorn on 127.0.0.1 (a free port unless `port` is given; from `cwd`,
 * `test/interop` by default); resolves once `readyPath` answers 200. Stop it with `backend.stop()`.
 */
export async function startUvicorn(
  app: string,
  options: { cwd?: string; env?: Record<string, string>; readyPath?: string; port?: number } = {},
): Promise<{ backend: PythonProcess; port: number }> {
  const port = options.port ?? (await freePort());
  const backend = startPython(['-m', 'uvicorn', app, '--host', '127.0.0.1', '--port', String(port)], options);
  try {
    await waitUntil(
      async () => {
        if (backend.child.pid === undefined || backend.child.exitCode !== null)
          throw new Error(`uvicorn exited (${backend.child.exitCode}): ${backend.stderr()}`);
        return fetch(`http://127.0.0.1:${port}${options.readyPath ?? '/api/workflows'}`).then(
          (r) => r.ok,
          () => false,
        );
      },
      15_000,
      () => `uvicorn did not accept connections; stderr: ${backend.stderr()}`,
    );
  } catch (e) {
    await backend.stop();
    throw e;
  }
  return { backend, port };
}
