/* diag — a growable list of formatted diagnostics. */
#include "sim/base/diag.h"

#include "sim/base/arena.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MAX_KEPT 100 /* after this many, one line says how many more were found */

struct pn_diags {
    char **lines;
    size_t count, cap;
    size_t errors;
    size_t dropped;
};

pn_diags *pn_diags_new(void)
{
    return pn_xcalloc(1, sizeof(pn_diags));
}

void pn_diags_free(pn_diags *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->count; i++)
        free(d->lines[i]);
    free(d->lines);
    free(d);
}

void pn_diag_add(pn_diags *d, pn_diag_severity sev, const char *file, unsigned line,
                 unsigned column, const char *fmt, ...)
{
    if (sev == PN_DIAG_ERROR)
        d->errors++;
    if (d->count >= MAX_KEPT) {
        d->dropped++;
        return;
    }
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const char *sev_name = sev == PN_DIAG_ERROR ? "error" : "warning";
    char head[512];
    if (line)
        snprintf(head, sizeof head, "%s:%u:%u: %s: ", file, line, column, sev_name);
    else
        snprintf(head, sizeof head, "%s: %s: ", file, sev_name);
    size_t n = strlen(head) + strlen(msg) + 1;
    char *text = pn_xcalloc(1, n);
    snprintf(text, n, "%s%s", head, msg);
    PN_GROW(d->lines, d->count, d->cap);
    d->lines[d->count++] = text;
}

size_t pn_diags_errors(const pn_diags *d)
{
    return d->errors;
}

void pn_diags_flush(pn_diags *d, FILE *out)
{
    for (size_t i = 0; i < d->count; i++) {
        fprintf(out, "%s\n", d->lines[i]);
        free(d->lines[i]);
    }
    if (d->dropped)
        fprintf(out, "podnet: %zu more problems not shown\n", d->dropped);
    d->count = 0;
    d->dropped = 0;
}
