// Browser mode without the CLI wrapper (the end-to-end tests start this):
//   node --import tsx scripts/serve.ts [--port N] [--host H]
import { parseArgs } from 'node:util';
import { serveCommand } from '../main/cli/commands/serve';
import { failAndExit } from '../main/cli/errors';

const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, host: { type: 'string', default: '127.0.0.1' } } });
serveCommand({ port: values.port, host: values.host }).catch(failAndExit);
