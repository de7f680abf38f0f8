// @vitest-environment node
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultWorkflowsDir, parseServerArgs } from '../../src/server/cli-args';

const repo = resolve(import.meta.dirname, '..', '..');
const fromDist = pathToFileURL(join(repo, 'dist', 'cli.js')).href;
const fromSrc = pathToFileURL(join(repo, 'src', 'server', 'cli.ts')).href;

describe('parseServerArgs', () => {
  it('defaults: port 8000, host 127.0.0.1, the package workflows folder', () => {
    expect(parseServerArgs([], {}, fromDist)).toEqual({
      port: 8000,
      host: '127.0.0.1',
      workflowsDir: join(repo, 'workflows'),
      staticDir: undefined,
      authToken: undefined,
      allowedOrigins: undefined,
      help: false,
    });
    expect(defaultWorkflowsDir(fromSrc)).toBe(join(repo, 'workflows'));
  });

  it('reads flags, with PORT from the environment as fallback', () => {
    expect(parseServerArgs([], { PORT: '9001' }, fromDist).port).toBe(9001);
    const o = parseServerArgs(['--port', '0', '--host', '0.0.0.0', '--workflows', 'wf', '--static', 'www', '-h'], { PORT: '1' }, fromDist);
    expect(o).toMatchObject({ port: 0, host: '0.0.0.0', workflowsDir: resolve('wf'), staticDir: resolve('www'), help: true });
  });

  it('takes the auth token and allowed origins from flags or the environment', () => {
    const env = { FLOWPULSE_AUTH_TOKEN: 'from-env', FLOWPULSE_ALLOWED_ORIGINS: 'https://a.example, https://b.example,' };
    expect(parseServerArgs([], env, fromDist)).toMatchObject({
      authToken: 'from-env',
      allowedOrigins: ['https://a.example', 'https://b.example'],
    });
    const flags = ['--auth-token', 'flag', '--allowed-origin', 'https://c.example', '--allowed-origin', 'https://d.example'];
    expect(parseServerArgs(flags, env, fromDist)).toMatchObject({
      authToken: 'flag',
      allowedOrigins: ['https://c.example', 'https://d.example'],
    });
    expect(() => parseServerArgs(['--auth-token', ' '], {}, fromDist)).toThrow(/must not be empty/);
  });

  it('rejects a token a WebSocket subprotocol cannot carry, naming its source but never echoing it', () => {
    for (const bad of ['a/b==', 'has space', 'colon:ed', 'tökén', 'x,y']) {
      const fromFlag = () => parseServerArgs(['--auth-token', bad], {}, fromDist);
      expect(fromFlag).toThrow(/^--auth-token contains characters a WebSocket subprotocol cannot carry.*base64url/);
      const fromEnv = () => parseServerArgs([], { FLOWPULSE_AUTH_TOKEN: bad }, fromDist);
      expect(fromEnv).toThrow(/^FLOWPULSE_AUTH_TOKEN contains characters/);
      try {
        fromEnv();
      } catch (e) {
        expect((e as Error).message).not.toContain(bad);
      }
    }
    for (const good of ['0123abcdef', 'q3Zx_-9Kp', "a!#$%&'*+-.^_`|~Z"]) {
      expect(parseServerArgs(['--auth-token', good], {}, fromDist).authToken).toBe(good);
    }
  });

  it('rejects bad ports and unknown flags with a readable message', () => {
    expect(() => parseServerArgs(['--port', 'abc'], {}, fromDist)).toThrow(/invalid port "abc"/);
    expect(() => parseServerArgs(['--port', '70000'], {}, fromDist)).toThrow(/invalid port/);
    expect(() => parseServerArgs(['--nope'], {}, fromDist)).toThrow(/nope/);
  });

  it('refuses an empty value (an unset shell variable) instead of reading it as everything', () => {
    expect(() => parseServerArgs(['--host', ''], {}, fromDist)).toThrow('--host must not be empty');
    expect(() => parseServerArgs(['--static', ' '], {}, fromDist)).toThrow('--static must not be empty');
    expect(() => parseServerArgs(['--workflows', ''], {}, fromDist)).toThrow('--workflows must not be empty');
    expect(() => parseServerArgs(['--allowed-origin', ''], {}, fromDist)).toThrow('--allowed-origin names no origin');
    expect(() => parseServerArgs([], { FLOWPULSE_ALLOWED_ORIGINS: ',' }, fromDist)).toThrow('FLOWPULSE_ALLOWED_ORIGINS names no origin');
    expect(() => parseServerArgs([], { FLOWPULSE_AUTH_TOKEN: '' }, fromDist)).toThrow('FLOWPULSE_AUTH_TOKEN must not be empty');
  });

  it('answers --help even when the rest is wrong', () => {
    expect(parseServerArgs(['--help'], { PORT: 'abc' }, fromDist).help).toBe(true);
    expect(parseServerArgs(['--help', '--bogus'], {}, fromDist).help).toBe(true);
    expect(parseServerArgs(['--port', '-h'], {}, fromDist).help).toBe(true);
  });

  it('an empty FLOWPULSE_ALLOWED_ORIGINS (a template’s VAR=) means unset', () => {
    expect(parseServerArgs([], { FLOWPULSE_ALLOWED_ORIGINS: '' }, fromDist).allowedOrigins).toBeUndefined();
  });
});
