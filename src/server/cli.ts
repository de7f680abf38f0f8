/**
 * `flowpulse-server`: runs the reference server until SIGINT/SIGTERM.
 * The only module here that prints, and the only one with side effects on import.
 *
 * @example
 * // npx flowpulse-server --port 8000 --workflows ./workflows --static ./demo/dist
 */
import { createFlowpulseServer } from './app';
import { tokenAuth } from './auth';
import { CLI_USAGE, parseServerArgs } from './cli-args';

async function main(): Promise<void> {
  let args;
  try {
    args = parseServerArgs(process.argv.slice(2), process.env, import.meta.url);
  } catch (e) {
    console.error(`flowpulse-server: ${(e as Error).message}\n\n${CLI_USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (args.help) {
    console.log(CLI_USAGE);
    return;
  }
  const server = createFlowpulseServer({
    port: args.port,
    host: args.host,
    ...(args.workflowsDir ? { workflowsDir: args.workflowsDir } : {}),
    ...(args.staticDir ? { staticDir: args.staticDir } : {}),
    ...(args.authToken ? { auth: tokenAuth(args.authToken) } : {}),
    ...(args.allowedOrigins ? { allowedOrigins: args.allowedOrigins } : {}),
    // The path only: a socket's query may carry a ticket, which has no place in a log.
    onError: (e, req) => console.error(`flowpulse-server: ${req?.method ?? ''} ${req?.url?.split('?')[0] ?? ''} failed:`, e),
  });
  const { url } = await server.listen();
  console.log(`flowpulse server listening on ${url}${args.authToken ? ' (bearer token required)' : ' (open: no authentication)'}`);

  let stopping = false;
  const stop = () => {
    // A second signal while closing means "now".
    if (stopping) process.exit(1);
    stopping = true;
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(`flowpulse-server: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
