// The interpreter's switch labels in cpu.ts and the op numbers of ops.ts agree, and every op has
// a case (../op-numbering.ts).
import * as ops from '../../../src/isa/arm64/ops.ts';
import { describeOpNumbering } from '../op-numbering.ts';

describeOpNumbering('arm64', new URL('../../../src/isa/arm64/cpu.ts', import.meta.url), ops, '  // --- arithmetic helpers');
