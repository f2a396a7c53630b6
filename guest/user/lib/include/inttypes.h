/* printf formats of the fixed-width integers. */
#ifndef _INTTYPES_H
#define _INTTYPES_H

#include <stdint.h>

#ifdef __LP64__
#define __PRI64 "l"
#else
#define __PRI64 "ll"
#endif

#define PRId64 __PRI64 "d"
#define PRIu64 __PRI64 "u"
#define PRIx64 __PRI64 "x"
#define PRIX64 __PRI64 "X"

#endif
