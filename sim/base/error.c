/* error — descriptions of the PN_E… status codes. */
#include "sim/base/error.h"

const char *pn_strerror(int code)
{
    switch (code) {
    case PN_OK:
        return "success";
    case PN_EINPUT:
        return "invalid input";
    case PN_ENOMEM:
        return "out of memory";
    case PN_EIO:
        return "input/output error";
    case PN_ENOTFOUND:
        return "no such object";
    case PN_EEXIST:
        return "object already exists";
    case PN_EINVAL:
        return "invalid argument";
    case PN_ESTATE:
        return "not allowed in the current state";
    }
    return "unknown error";
}
