/* struct stat of the asm-generic arches (arm64 among them): what newfstatat and fstat fill, the
 * kernel's own uapi definition. Counterpart of musl's arch/generic/bits/stat.h. */
#include <asm/stat.h>
