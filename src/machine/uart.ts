// A PL011-style UART: the emulated machine's console device. The guest's console driver writes
// bytes to DR and reads typed input from it; FR tells it whether input is waiting.
// Counterpart of drivers/tty/serial/amba-pl011.c's view of the hardware (register offsets only).

import type { MmioDevice } from './memory.ts';

const UART_DR = 0x00;
const UART_FR = 0x18;
const FR_RXFE = 1 << 4;
const FR_TXFE = 1 << 7;

export class Uart implements MmioDevice {
  readonly name = 'uart-pl011';
  private readonly input: number[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(private readonly output: (byte: number) => void) {}

  /** Queue bytes typed on the host so the guest can read them. */
  feed(bytes: Uint8Array): void {
    for (const b of bytes) this.input.push(b);
    // Wake readers even for an empty feed: that is end of input (a reader resumed with the FIFO
    // still empty reads 0 bytes).
    for (const w of [...this.waiters]) w();
  }

  /** Resolves when input is fed (or end of input is signalled), or when `signal` aborts. */
  waitForInput(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      this.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /** Take back the bytes nobody read (the shell re-reads what was typed ahead). */
  takeInput(): Uint8Array {
    return Uint8Array.from(this.input.splice(0));
  }

  read(offset: number): number {
    if (offset === UART_DR) return this.input.shift() ?? 0;
    if (offset === UART_FR) return (this.input.length === 0 ? FR_RXFE : 0) | FR_TXFE;
    return 0;
  }

  write(offset: number, _size: number, value: number): void {
    if (offset === UART_DR) this.output(value & 0xff);
  }
}
