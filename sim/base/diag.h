/* diag — diagnostics about input: every problem found in one run, each with its file, line and
 * column, printed GNU-style ("file:line:column: error: message") so editors can jump to it. */
#ifndef PN_DIAG_H
#define PN_DIAG_H

#include <stddef.h>
#include <stdio.h>

/* Where an object or value came from, for messages ("file:line:column"). */
typedef struct {
    const char *file; /* borrowed: the path as read */
    unsigned line;    /* 1-based; 0 when unknown */
    unsigned column;  /* 1-based; 0 when unknown */
} pn_origin;

typedef enum { PN_DIAG_ERROR, PN_DIAG_WARNING } pn_diag_severity;

typedef struct pn_diags pn_diags;

pn_diags *pn_diags_new(void);

/* Accepts NULL. */
void pn_diags_free(pn_diags *d);

/* Records a problem. file is copied; line and column are 1-based (0 when unknown). */
void pn_diag_add(pn_diags *d, pn_diag_severity sev, const char *file, unsigned line,
                 unsigned column, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Errors recorded so far (warnings not counted). */
size_t pn_diags_errors(const pn_diags *d);

/* Prints every diagnostic in the order recorded, then forgets them. */
void pn_diags_flush(pn_diags *d, FILE *out);

#endif
