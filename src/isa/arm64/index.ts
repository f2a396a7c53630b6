// The arm64 ISA package: the CPU, its decoder and system-register table. No Linux counterpart.

export { Arm64Cpu, type Arm64CpuOptions } from './cpu.ts';
export { decode, decodeInto, decodeBitMask, isSupported, type Decoded } from './decode.ts';
export { OP, opName, OP_NAMES, OP2_NAMES, SECONDARY } from './ops.ts';
export { SYSREGS, sysRegId, sysRegIdByName, sysKey } from './sysregs.ts';
