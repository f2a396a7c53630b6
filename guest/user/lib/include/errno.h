/* errno and its values (Linux's, the arch's numbering: <bits/errno.h>). */
#ifndef _ERRNO_H
#define _ERRNO_H

extern int errno;

#include <bits/errno.h>

#endif
