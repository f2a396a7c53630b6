// Oracle tests: every program in programs/ is compiled at several optimisation levels and run
// under qemu-aarch64-static and on the TypeScript CPU (user mode, see harness.ts); stdout and
// the exit status must be identical byte for byte (../oracle-suite.ts).
import { requireTools } from '../../helpers/tools.ts';
import { describeOracle } from '../oracle-suite.ts';
import * as harness from './harness.ts';

describeOracle('arm64', 'qemu-aarch64-static', requireTools('aarch64-linux-gnu-gcc', 'qemu-aarch64-static'), harness);
