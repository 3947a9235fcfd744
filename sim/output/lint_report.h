/* lint_report — the review of sim/query/lint written out: compiler-style text, JSON (a
 * contract, docs/cli.md), SARIF 2.1.0 for code scanning, and the exposure section (also
 * `reach --exposure`). */
#ifndef PN_LINT_REPORT_H
#define PN_LINT_REPORT_H

#include "sim/query/lint.h"

#include <stdbool.h>
#include <stdio.h>

/* One line per finding, "file:line:column: warning: Kind ns/name: message [code]", a hint line
 * under it, a summary line ("lint: 1 error, 2 warnings, 0 notes"), then, with exposure, the
 * exposure section. */
void pn_lint_report_text(FILE *out, const pn_lint *l, bool exposure);

/* The exposure section alone (reach --exposure). */
void pn_lint_report_exposure_text(FILE *out, const pn_lint *l);

/* {"findings": [...], "summary": {...}, "exposure": [...]} (docs/cli.md); with exposure false
 * the "exposure" member is left out, and with findings false "findings" and "summary" are. */
void pn_lint_report_json(FILE *out, const pn_lint *l, bool findings, bool exposure);

/* A SARIF 2.1.0 log of the findings: one run whose tool.driver.rules hold every code; version
 * names the tool's version. */
void pn_lint_report_sarif(FILE *out, const pn_lint *l, const char *version);

/* How many findings are at severity at_least or above. */
size_t pn_lint_count_at_least(const pn_lint *l, pn_lint_severity at_least);

#endif
