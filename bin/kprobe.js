#!/usr/bin/env node
// The `kprobe` command (package.json "bin"): registers tsx's ESM loader so that the TypeScript
// sources run as they are — from the repository (`npx kprobe`) or an installed package — then
// hands the command line to src/cli/main.ts.
import { register } from 'tsx/esm/api';
import { register as registerCjs } from 'tsx/cjs/api';

register();
// A module file outside any package with "type": "module" (insmod ~/mymod.ts) loads as CommonJS.
registerCjs();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
// Exit once stdout has drained: the machine may leave handles open, and a pipe must get every byte.
process.stdout.write('', () => process.exit(code));
