/* explain — verdicts in words (the prose every writer shares). */
#ifndef PN_EXPLAIN_H
#define PN_EXPLAIN_H

#include "sim/base/buf.h"
#include "sim/query/reach.h"

#include <stddef.h>

/* The stable code of a reason ("not-isolated", "rule", "no-rule-matches", "self", "node",
 * "host-network", "not-running"), as JSON and CSV writers print it. Static storage. */
const char *pn_explain_why_code(pn_why why);

/* The reason in words ("no rule matches"). Static storage. */
const char *pn_explain_why_text(pn_why why);

/* One line explaining a verdict: "egress at x/a: allowed (not isolated); ingress at y/b: denied
 * (isolated by y/deny-all, y/web; no rule matches)". Appended to out, whatever its length. */
void pn_explain_verdict(const pn_world *w, size_t src, size_t dst, const pn_verdict *v,
                        pn_buf *out);

#endif
