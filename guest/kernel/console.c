/* /dev/console (and /dev/tty) over the PL011 UART of ABI.md. Counterpart of
 * drivers/tty/serial/amba-pl011.c with a minimal tty on top (drivers/tty/tty_io.c, n_tty.c):
 * writes go byte by byte to the data register, raw (no \n -> \r\n: the host turns UART bytes
 * into the program's output as is); reads take the bytes waiting in the receive FIFO, up to
 * the end of a line, ^D (VEOF) ends input, and an empty FIFO puts the task to sleep until
 * TypeScript resumes it (with input, or with none left: end of file). */
#include "fs.h"
#include "sched.h"
#include "uaccess.h"
#include "uapi.h"
#include <asm/io.h>
#include <asm/memory.h>

#define UART01x_DR	0x00
#define UART01x_FR	0x18
#define UART01x_FR_TXFF	0x20
#define UART01x_FR_RXFE	0x10

#define TTY_MAJOR	5
#define VEOF_CHAR	0x04

/* tty_std_termios with raw output (see above); INIT_C_CC of include/linux/tty.h, by the arch's
 * c_cc indices. */
static struct termios console_termios = {
	.c_iflag = ICRNL | IXON,
	.c_oflag = 0,
	.c_cflag = B38400 | CS8 | CREAD,
	.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
	.c_cc = {
		[VINTR] = 'C' - 0x40, [VQUIT] = '\\' - 0x40, [VERASE] = '\177',
		[VKILL] = 'U' - 0x40, [VEOF] = 'D' - 0x40, [VSTART] = 'Q' - 0x40,
		[VSTOP] = 'S' - 0x40, [VSUSP] = 'Z' - 0x40, [VREPRINT] = 'R' - 0x40,
		[VDISCARD] = 'O' - 0x40, [VWERASE] = 'W' - 0x40, [VLNEXT] = 'V' - 0x40,
		[VMIN] = 1,
	},
};
static struct winsize console_winsize = { .ws_row = 24, .ws_col = 80 };

static void pl011_putc(unsigned char c)
{
	while (readl(UART_BASE + UART01x_FR) & UART01x_FR_TXFF)
		;
	writel(c, UART_BASE + UART01x_DR);
}

static bool pl011_rx_empty(void)
{
	return readl(UART_BASE + UART01x_FR) & UART01x_FR_RXFE;
}

static noinline ssize_t console_write(struct file *file, const char __user *buf, size_t count,
				      loff_t *ppos)
{
	char chunk[128];
	size_t done = 0;

	while (done < count) {
		size_t n = min_t(size_t, count - done, sizeof(chunk));

		if (copy_from_user(chunk, buf + done, n))
			return done ? (ssize_t)done : -EFAULT;
		for (size_t i = 0; i < n; i++)
			pl011_putc(chunk[i]);
		done += n;
	}
	return done;
}

static noinline ssize_t console_read(struct file *file, char __user *buf, size_t count,
				     loff_t *ppos)
{
	char chunk[128];
	size_t n = 0;
	bool waited = false;

	if (!count)
		return 0;
	for (;;) {
		while (n < count && n < sizeof(chunk) && !pl011_rx_empty()) {
			char c = readl(UART_BASE + UART01x_DR) & 0xff;

			if (c == VEOF_CHAR)
				goto done;	/* pushes what we have; alone, it is end of file */
			chunk[n++] = c;
			if (c == '\n')
				goto done;
		}
		if (n)
			goto done;
		if (signal_pending(current))
			return -EINTR;
		if (waited)
			return 0;	/* resumed with nothing to read: end of input */
		WRITE_ONCE(current->__state, TASK_INTERRUPTIBLE);
		schedule();
		waited = true;
	}
done:
	if (copy_to_user(buf, chunk, n))
		return -EFAULT;
	return n;
}

static long console_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *p = (void __user *)arg;

	switch (cmd) {
	case TCGETS:
		return copy_to_user(p, &console_termios, sizeof(console_termios)) ? -EFAULT : 0;
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return copy_from_user(&console_termios, p, sizeof(console_termios)) ? -EFAULT : 0;
	case TIOCGWINSZ:
		return copy_to_user(p, &console_winsize, sizeof(console_winsize)) ? -EFAULT : 0;
	case TIOCSWINSZ:
		return copy_from_user(&console_winsize, p, sizeof(console_winsize)) ? -EFAULT : 0;
	case TIOCGPGRP:
		return put_user((int)current->tgid, (int __user *)p);
	case TIOCSPGRP:
		return 0;
	}
	return -ENOTTY;
}

static const struct file_operations console_fops = {
	.llseek = no_llseek,
	.read = console_read,
	.write = console_write,
	.unlocked_ioctl = console_ioctl,
};

void console_init(void)
{
	register_chrdev(TTY_MAJOR, 1, "console", &console_fops);
	register_chrdev(TTY_MAJOR, 0, "tty", &console_fops);
}
