/* error — the status codes of podnet's library functions: 0 for success, a negative PN_E…
 * for failure (STYLE rule 5, as libuv does it). Problems in input files are reported in detail
 * through the diagnostics list (sim/base/diag.h); the code only says which kind of failure. */
#ifndef PN_ERROR_H
#define PN_ERROR_H

enum {
    PN_OK = 0,
    PN_EINPUT = -1,    /* the input had errors; the diagnostics list says which */
    PN_ENOMEM = -2,    /* out of memory */
    PN_EIO = -3,       /* a file or database could not be read or written */
    PN_ENOTFOUND = -4, /* no such object */
    PN_EEXIST = -5,    /* the object already exists */
    PN_EINVAL = -6,    /* an argument is not valid for this call */
    PN_ESTATE = -7,    /* the call is not allowed in the object's current state */
};

/* A short static description of code ("success", "no such object"); "unknown error" for a
 * code that is not one of the above. */
const char *pn_strerror(int code);

#endif
