// Oracle tests: every program in programs/ is compiled with mips-linux-gnu-gcc at several
// optimisation levels and run under qemu-mips-static and on the TypeScript CPU (user mode, see
// harness.ts); stdout and the exit status must be identical byte for byte (../oracle-suite.ts).
// No Linux counterpart.
import { requireTools } from '../../helpers/tools.ts';
import { describeOracle } from '../oracle-suite.ts';
import * as harness from './harness.ts';

describeOracle('mips', 'qemu-mips-static', requireTools('mips-linux-gnu-gcc', 'qemu-mips-static'), harness);
