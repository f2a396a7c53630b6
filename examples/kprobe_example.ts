// A port of the kernel's samples/kprobes/kprobe_example.c to a TypeScript module of the emulated
// machine: a kprobe on kernel_clone() (or the function named by the `symbol` parameter) whose
// pre- and post-handlers print the probe address and the registers Linux's sample prints for the
// arch (arm64: pc and pstate; mips: epc and status), every time a process is
// created. Load it with `insmod examples/kprobe_example.ts [symbol=NAME]`, unload with
// `rmmod kprobe_example`. The fault handler is the classic API the seed describes (Linux removed
// it in 5.14); it reports a fault taken in a handler or in the single-stepped instruction.

import {
  KSYM_NAME_LEN,
  MODULE_DESCRIPTION,
  MODULE_LICENSE,
  module_exit,
  module_init,
  module_param_string,
  pr_err,
  pr_info,
  register_kprobe,
  unregister_kprobe,
  type Kprobe,
  type PtRegs,
} from '../src/kernel/module.ts';

// #define pr_fmt(fmt) "%s: " fmt, __func__
const info = (func: string, fmt: string, ...args: unknown[]) => pr_info(`%s: ${fmt}`, func, ...args);

const symbol = module_param_string('symbol', 'kernel_clone', KSYM_NAME_LEN, 0o644);

/* For each probe you need to allocate a kprobe structure */
const kp: Kprobe = {
  symbolName: symbol,
};

/* kprobe pre_handler: called just before the probed instruction is executed */
function handler_pre(p: Kprobe, regs: PtRegs): number {
  if (regs.arch === 'mips') {
    // #ifdef CONFIG_MIPS
    info('handler_pre', '<%s> p->addr = 0x%p, epc = 0x%lx, status = 0x%lx\n', p.symbolName, p.addr, regs.cp0_epc, regs.cp0_status);
  } else {
    // #ifdef CONFIG_ARM64
    info('handler_pre', '<%s> p->addr = 0x%p, pc = 0x%lx, pstate = 0x%lx\n', p.symbolName, p.addr, regs.pc, regs.pstate);
  }
  /* A dump_stack() here will give a stack backtrace */
  return 0;
}

/* kprobe post_handler: called after the probed instruction is executed */
function handler_post(p: Kprobe, regs: PtRegs, _flags: number): void {
  if (regs.arch === 'mips') {
    info('handler_post', '<%s> p->addr = 0x%p, status = 0x%lx\n', p.symbolName, p.addr, regs.cp0_status);
  } else {
    info('handler_post', '<%s> p->addr = 0x%p, pstate = 0x%lx\n', p.symbolName, p.addr, regs.pstate);
  }
}

/*
 * fault_handler: called if an exception is generated for any instruction within the pre- or
 * post-handler, or when kprobes single-steps the probed instruction.
 */
function handler_fault(p: Kprobe, _regs: PtRegs, trapnr: number): number {
  info('handler_fault', 'p->addr = 0x%p, trap #%d\n', p.addr, trapnr);
  /* Return 0 because we don't handle the fault. */
  return 0;
}

function kprobe_init(): number {
  kp.preHandler = handler_pre;
  kp.postHandler = handler_post;
  kp.faultHandler = handler_fault;

  const ret = register_kprobe(kp);
  if (ret < 0) {
    pr_err('%s: register_kprobe failed, returned %d\n', 'kprobe_init', ret);
    return ret;
  }
  info('kprobe_init', 'Planted kprobe at %p\n', kp.addr);
  return 0;
}

function kprobe_exit(): void {
  unregister_kprobe(kp);
  info('kprobe_exit', 'kprobe at %p unregistered\n', kp.addr);
}

module_init(kprobe_init);
module_exit(kprobe_exit);
MODULE_DESCRIPTION('sample kernel module showing the use of kprobes');
MODULE_LICENSE('GPL');
