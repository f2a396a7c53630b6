// Linux errno values, the counterpart of include/uapi/asm-generic/errno-base.h and errno.h,
// with the messages strerror() prints (a shell says "Invalid argument" for EINVAL).

export const EPERM = 1;
export const ENOENT = 2;
export const ESRCH = 3;
export const EINTR = 4;
export const EIO = 5;
export const ENXIO = 6;
export const E2BIG = 7;
export const ENOEXEC = 8;
export const EBADF = 9;
export const ECHILD = 10;
export const EAGAIN = 11;
export const ENOMEM = 12;
export const EACCES = 13;
export const EFAULT = 14;
export const EBUSY = 16;
export const EEXIST = 17;
export const EXDEV = 18;
export const ENODEV = 19;
export const ENOTDIR = 20;
export const EISDIR = 21;
export const EINVAL = 22;
export const ENFILE = 23;
export const EMFILE = 24;
export const ENOTTY = 25;
export const EFBIG = 27;
export const ENOSPC = 28;
export const ESPIPE = 29;
export const EROFS = 30;
export const EPIPE = 32;
export const ERANGE = 34;
export const ENAMETOOLONG = 36;
export const ENOSYS = 38;
export const ENOTEMPTY = 39;
export const ELOOP = 40;
export const EILSEQ = 84;
export const EOPNOTSUPP = 95;
export const EADDRNOTAVAIL = 99;
export const ECANCELED = 125;

const messages: Record<number, string> = {
  [EPERM]: 'Operation not permitted',
  [ENOENT]: 'No such file or directory',
  [ESRCH]: 'No such process',
  [EINTR]: 'Interrupted system call',
  [EIO]: 'Input/output error',
  [ENXIO]: 'No such device or address',
  [E2BIG]: 'Argument list too long',
  [ENOEXEC]: 'Exec format error',
  [EBADF]: 'Bad file descriptor',
  [ECHILD]: 'No child processes',
  [EAGAIN]: 'Resource temporarily unavailable',
  [ENOMEM]: 'Cannot allocate memory',
  [EACCES]: 'Permission denied',
  [EFAULT]: 'Bad address',
  [EBUSY]: 'Device or resource busy',
  [EEXIST]: 'File exists',
  [EXDEV]: 'Invalid cross-device link',
  [ENODEV]: 'No such device',
  [ENOTDIR]: 'Not a directory',
  [EISDIR]: 'Is a directory',
  [EINVAL]: 'Invalid argument',
  [ENFILE]: 'Too many open files in system',
  [EMFILE]: 'Too many open files',
  [ENOTTY]: 'Inappropriate ioctl for device',
  [EFBIG]: 'File too large',
  [ENOSPC]: 'No space left on device',
  [ESPIPE]: 'Illegal seek',
  [EROFS]: 'Read-only file system',
  [EPIPE]: 'Broken pipe',
  [ERANGE]: 'Numerical result out of range',
  [ENAMETOOLONG]: 'File name too long',
  [ENOSYS]: 'Function not implemented',
  [ENOTEMPTY]: 'Directory not empty',
  [ELOOP]: 'Too many levels of symbolic links',
  [EILSEQ]: 'Invalid or incomplete multibyte or wide character',
  [EOPNOTSUPP]: 'Operation not supported',
  [EADDRNOTAVAIL]: 'Cannot assign requested address',
  [ECANCELED]: 'Operation canceled',
};

/** strerror(): the message a C library prints for an errno (positive or negative). */
export function strerror(errno: number): string {
  return messages[Math.abs(errno)] ?? `Unknown error ${Math.abs(errno)}`;
}
