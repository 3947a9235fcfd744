/* buf — a growable heap string: capacity doubles, so appending n bytes costs O(n) amortised. */
#include "sim/base/buf.h"

#include "sim/base/arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pn_buf_init(pn_buf *b)
{
    *b = (pn_buf){0};
}

void pn_buf_free(pn_buf *b)
{
    if (!b)
        return;
    free(b->data);
    *b = (pn_buf){0};
}

void pn_buf_reset(pn_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

/* Makes room for extra more bytes plus the NUL. */
static void reserve(pn_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    b->data = pn_xrealloc(b->data, cap, 1);
    b->cap = cap;
}

void pn_buf_appendn(pn_buf *b, const char *s, size_t n)
{
    reserve(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void pn_buf_append(pn_buf *b, const char *s)
{
    pn_buf_appendn(b, s, strlen(s));
}

void pn_buf_vappendf(pn_buf *b, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    if (n < 0) {
        va_end(again);
        return; /* an encoding error: nothing sensible to append */
    }
    if ((size_t)n < sizeof small) {
        pn_buf_appendn(b, small, (size_t)n);
    } else {
        reserve(b, (size_t)n);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
        b->len += (size_t)n;
    }
    va_end(again);
}

void pn_buf_appendf(pn_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pn_buf_vappendf(b, fmt, ap);
    va_end(ap);
}

const char *pn_buf_str(const pn_buf *b)
{
    return b->data ? b->data : "";
}

char *pn_buf_take(pn_buf *b)
{
    char *s = b->data ? b->data : pn_xstrdup("");
    *b = (pn_buf){0};
    return s;
}
