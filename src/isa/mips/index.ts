// The mips ISA package: the MIPS32r2 CPU, its decoder and Coprocessor 0 table. No Linux counterpart.

export { MipsCpu, type MipsCpuOptions } from './cpu.ts';
export { decode, decodeInto, hasDelaySlot, isSupported, type Decoded } from './decode.ts';
export { OP, opName, OP_NAMES, OP2_NAMES, SECONDARY } from './ops.ts';
export { CP0_REGS, cp0ByName, type Cp0Reg } from './cp0.ts';
export { exceptionCode, KUSEG_END, type ExceptionCode } from './exceptions.ts';
