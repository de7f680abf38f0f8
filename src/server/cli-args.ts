import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isSubprotocolSafeToken, SUBPROTOCOL_TOKEN_HINT } from './auth';

/**
 * What the `flowpulse-server` command was asked to do.
 *
 * @example
 * { port: 8000, host: '127.0.0.1', workflowsDir: '/…/flowpulse/workflows', staticDir: undefined, help: false }
 */
export interface ServerCliOptions {
  port: number;
  host: string;
  /** `undefined` when neither given nor found next to the package. */
  workflowsDir: string | undefined;
  staticDir: string | undefined;
  /** When set, every socket and REST call (not static files) needs this bearer token. */
  authToken: string | undefined;
  /** When set, only browser pages of these origins are let in; unset, the server's own origin and pages on this machine or its private network. */
  allowedOrigins: string[] | undefined;
  help: boolean;
}

/**
 * The `--help` text.
 *
 * @example
 * console.log(CLI_USAGE);
 */
export const CLI_USAGE = `Usage: flowpulse-server [options]

  --port N          port to listen on (default: $PORT or 8000; 0 picks a free one)
  --host HOST       interface to bind (default: 127.0.0.1)
  --workflows DIR   folder of workflow JSON files (default: the package's workflows/)
  --static DIR      serve this folder at /
  --auth-token TOKEN
                    require this bearer token on sockets and the REST API
                    (default: $FLOWPULSE_AUTH_TOKEN; prefer the variable: argv is visible to other users);
                    letters, digits and !#$%&'*+-.^_\`|~ only, e.g. hex or unpadded base64url
  --allowed-origin ORIGIN
                    allow browser pages of this origin only (repeatable;
                    default: $FLOWPULSE_ALLOWED_ORIGINS, comma-separated; unset allows
                    the server's own pages and pages on this machine or network)
  -h, --help        show this help`;

/**
 * The package's `workflows/` folder, found from this module's location
 * whether it runs bundled (`dist/cli.js`) or from source (`src/server/cli.ts`).
 *
 * @example
 * defaultWorkflowsDir(import.meta.url);
 */
export function defaultWorkflowsDir(moduleUrl: string): string | undefined {
  const here = dirname(fileURLToPath(moduleUrl));
  return [resolve(here, '..', 'workflows'), resolve(here, '..', '..', 'workflows')].find((d) => existsSync(d));
}

/**
 * Parses the command line (without `node` and the script). Throws an Error
 * with a readable message for unknown flags or a bad port.
 *
 * @example
 * parseServerArgs(['--port', '9000'], {}, import.meta.url).port; // 9000
 * @default port $PORT or 8000, host '127.0.0.1'
 */
export function parseServerArgs(argv: string[], env: Record<string, string | undefined>, moduleUrl: string): ServerCliOptions {
  const parse = () =>
    parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        workflows: { type: 'string' },
        static: { type: 'string' },
        'auth-token': { type: 'string' },
        'allowed-origin': { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
  let values: ReturnType<typeof parse>['values'];
  try {
    ({ values } = parse());
  } catch (e) {
    // `--help --bogus` still gets the help.
    if (!argv.includes('--help') && !argv.includes('-h')) throw e;
    values = { help: true };
  }
  // --help answers even when the rest of the command line (or the environment) is wrong.
  const fail = (message: string) => {
    if (!values.help) throw new Error(message);
  };
  // An empty value is most often an unset shell variable (`--host "$HOST"`): refused, rather than
  // read as "every interface", "the current directory" or "any origin".
  for (const flag of ['host', 'workflows', 'static'] as const) {
    if (values[flag] !== undefined && values[flag].trim() === '') fail(`--${flag} must not be empty`);
  }
  const portText = values.port ?? env.PORT ?? '8000';
  let port = Number(portText);
  if (!/^\d+$/.test(portText) || !Number.isInteger(port) || port > 65535) {
    fail(`invalid port ${JSON.stringify(portText)}: expected an integer from 0 to 65535`);
    port = 8000;
  }
  const authToken = values['auth-token'] ?? env.FLOWPULSE_AUTH_TOKEN;
  const tokenSource = values['auth-token'] === undefined ? 'FLOWPULSE_AUTH_TOKEN' : '--auth-token';
  if (authToken !== undefined && authToken.trim() === '') fail(`${tokenSource} must not be empty`);
  // Checked at startup: otherwise the server would run, and every browser socket would fail to connect.
  if (authToken !== undefined && !isSubprotocolSafeToken(authToken)) fail(`${tokenSource} ${SUBPROTOCOL_TOKEN_HINT}`);
  // An empty variable (`FLOWPULSE_ALLOWED_ORIGINS=` in a template) means unset; an empty flag is a mistake.
  const origins =
    values['allowed-origin'] ?? (env.FLOWPULSE_ALLOWED_ORIGINS?.trim() ? env.FLOWPULSE_ALLOWED_ORIGINS.split(',') : undefined);
  const allowedOrigins = origins?.map((o) => o.trim()).filter((o) => o.length > 0);
  // Given but empty would turn the Origin check off: the opposite of what was asked.
  if (allowedOrigins?.length === 0) {
    fail(`${values['allowed-origin'] === undefined ? 'FLOWPULSE_ALLOWED_ORIGINS' : '--allowed-origin'} names no origin`);
  }
  return {
    port,
    host: values.host ?? '127.0.0.1',
    workflowsDir: values.workflows !== undefined ? resolve(values.workflows) : defaultWorkflowsDir(moduleUrl),
    staticDir: values.static !== undefined ? resolve(values.static) : undefined,
    authToken,
    allowedOrigins: allowedOrigins?.length ? allowedOrigins : undefined,
    help: values.help ?? false,
  };
}
