// The interpreter's switch labels in cpu.ts and the op numbers of ops.ts agree, and every op has
// a case (../op-numbering.ts).
// No Linux counterpart.
import * as ops from '../../../src/isa/mips/ops.ts';
import { describeOpNumbering } from '../op-numbering.ts';

describeOpNumbering('mips', new URL('../../../src/isa/mips/cpu.ts', import.meta.url), ops, '  private accumulate(');
