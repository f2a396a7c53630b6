// A port of the kernel's samples/kprobes/kretprobe_example.c to a TypeScript module of the
// emulated machine: a return probe on kernel_clone() (or the function named by the `func`
// parameter) that reports the return value and how long the call took, in virtual-clock
// nanoseconds. Load with `insmod examples/kretprobe_example.ts [func=NAME]`.

import {
  KSYM_NAME_LEN,
  MODULE_DESCRIPTION,
  MODULE_LICENSE,
  current,
  ktime_get,
  module_exit,
  module_init,
  module_param_string,
  pr_err,
  pr_info,
  register_kretprobe,
  regs_return_value,
  unregister_kretprobe,
  type Kretprobe,
  type KretprobeInstance,
  type PtRegs,
} from '../src/kernel/module.ts';

const func_name = module_param_string('func', 'kernel_clone', KSYM_NAME_LEN, 0o644);

/* per-instance private data: struct my_data { ktime_t entry_stamp; } */
const MY_DATA_SIZE = 8;

/* Here we use the entry_handler to timestamp function entry */
function entry_handler(ri: KretprobeInstance, _regs: PtRegs): number {
  if (!current().mm) return 1; /* Skip kernel threads */
  new DataView(ri.data.buffer, ri.data.byteOffset).setBigInt64(0, ktime_get(), true);
  return 0;
}

/*
 * Return-probe handler: Log the return value and duration. Duration may turn
 * out to be zero consistently, depending upon the granularity of time
 * accounting on the platform.
 */
function ret_handler(ri: KretprobeInstance, regs: PtRegs): number {
  const retval = regs_return_value(regs);
  const entry_stamp = new DataView(ri.data.buffer, ri.data.byteOffset).getBigInt64(0, true);
  const now = ktime_get();
  const delta = now - entry_stamp;
  pr_info('%s returned %lu and took %lld ns to execute\n', func_name, retval, delta);
  return 0;
}

const my_kretprobe: Kretprobe = {
  kp: {},
  handler: ret_handler,
  entryHandler: entry_handler,
  dataSize: MY_DATA_SIZE,
  /* Probe up to 20 instances concurrently. */
  maxactive: 20,
};

function kretprobe_init(): number {
  my_kretprobe.kp.symbolName = func_name;
  const ret = register_kretprobe(my_kretprobe);
  if (ret < 0) {
    pr_err('register_kretprobe failed, returned %d\n', ret);
    return ret;
  }
  pr_info('Planted return probe at %s: %p\n', my_kretprobe.kp.symbolName, my_kretprobe.kp.addr);
  return 0;
}

function kretprobe_exit(): void {
  unregister_kretprobe(my_kretprobe);
  pr_info('kretprobe at %p unregistered\n', my_kretprobe.kp.addr);
  /* nmissed > 0 suggests that maxactive was set too low. */
  pr_info('Missed probing %d instances of %s\n', my_kretprobe.nmissed, my_kretprobe.kp.symbolName);
}

module_init(kretprobe_init);
module_exit(kretprobe_exit);
MODULE_DESCRIPTION('sample kernel module showing the use of return probes');
MODULE_LICENSE('GPL');
