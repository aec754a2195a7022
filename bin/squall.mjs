#!/usr/bin/env node
// The `squall` command. Sources are TypeScript; tsx compiles them on the fly so no build
// step stands between a fresh clone and a working CLI.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../core/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
