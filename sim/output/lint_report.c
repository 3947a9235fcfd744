/* lint_report — writers for the policy review (see lint_report.h). */
#include "sim/output/lint_report.h"

#include "sim/base/buf.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

/* Sets are written whole: a cell of a policy review is short, and a long one is the answer. */
#define SET_TEXT_MAX 65536

size_t pn_lint_count_at_least(const pn_lint *l, pn_lint_severity at_least)
{
    size_t n, count = 0;
    const pn_lint_finding *f = pn_lint_findings(l, &n);
    for (size_t i = 0; i < n; i++)
        if (f[i].severity >= at_least)
            count++;
    return count;
}

/* ---- text ---- */

static void print_location(FILE *out, pn_origin at)
{
    if (!at.file || at.line == 0)
        fprintf(out, "%s: ", at.file ? at.file : "podnet");
    else
        fprintf(out, "%s:%u:%u: ", at.file, at.line, at.column);
}

static void print_set(FILE *out, const char *lead, const pn_portset *s)
{
    char *buf = malloc(SET_TEXT_MAX);
    if (!buf)
        return;
    fprintf(out, "%s%s\n", lead, pn_portset_format_short(s, buf, SET_TEXT_MAX));
    free(buf);
}

void pn_lint_report_exposure_text(FILE *out, const pn_lint *l)
{
    size_t n;
    const pn_lint_exposure *x = pn_lint_exposures(l, &n);
    fputs("exposure: who may reach each workload from outside its namespace and from outside "
          "the cluster\n",
          out);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "  %s%s\n", x[i].label,
                x[i].isolated ? "" : " (not isolated for ingress: open to everything)");
        print_set(out, "    from outside the cluster: ", &x[i].from_outside);
        print_set(out, "    from any namespace: ", &x[i].from_any_ns);
        for (size_t k = 0; k < x[i].source_count; k++) {
            char lead[600];
            snprintf(lead, sizeof lead, "    from %s: ", x[i].sources[k].label);
            print_set(out, lead, &x[i].sources[k].set);
        }
    }
}

void pn_lint_report_text(FILE *out, const pn_lint *l, bool exposure)
{
    size_t n, by[3] = {0, 0, 0};
    const pn_lint_finding *f = pn_lint_findings(l, &n);
    for (size_t i = 0; i < n; i++) {
        print_location(out, f[i].at);
        fprintf(out, "%s: %s %s%s%s: %s [%s]\n", pn_lint_severity_name(f[i].severity), f[i].kind,
                f[i].ns ? f[i].ns : "", f[i].ns ? "/" : "", f[i].name, f[i].message,
                pn_lint_rule_of(f[i].code)->id);
        fprintf(out, "    hint: %s\n", f[i].hint);
        by[f[i].severity]++;
    }
    fprintf(out, "lint: %zu error%s, %zu warning%s, %zu note%s\n", by[PN_LINT_ERROR],
            by[PN_LINT_ERROR] == 1 ? "" : "s", by[PN_LINT_WARNING],
            by[PN_LINT_WARNING] == 1 ? "" : "s", by[PN_LINT_NOTE],
            by[PN_LINT_NOTE] == 1 ? "" : "s");
    if (exposure) {
        fputc('\n', out);
        pn_lint_report_exposure_text(out, l);
    }
}

/* ---- JSON ---- */

/* [{"protocol": "TCP", "ports": "80 443"}] per protocol the set holds, as reach's CSV writes
 * ports. */
static cJSON *json_set(const pn_portset *s)
{
    cJSON *a = cJSON_CreateArray();
    char *buf = malloc(SET_TEXT_MAX);
    for (int p = 0; buf && p < PN_PROTO_COUNT; p++) {
        if (pn_portset_size(s, (pn_proto)p) == 0)
            continue;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "protocol", pn_proto_name((pn_proto)p));
        cJSON_AddStringToObject(o, "ports",
                                pn_portset_format_ports(s, (pn_proto)p, buf, SET_TEXT_MAX));
        cJSON_AddItemToArray(a, o);
    }
    free(buf);
    return a;
}

static cJSON *json_finding(const pn_lint_finding *f)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "code", pn_lint_rule_of(f->code)->id);
    cJSON_AddStringToObject(o, "severity", pn_lint_severity_name(f->severity));
    cJSON *obj = cJSON_AddObjectToObject(o, "object");
    cJSON_AddStringToObject(obj, "kind", f->kind);
    if (f->ns)
        cJSON_AddStringToObject(obj, "namespace", f->ns);
    else
        cJSON_AddNullToObject(obj, "namespace");
    cJSON_AddStringToObject(obj, "name", f->name);
    cJSON_AddStringToObject(o, "field", f->field);
    cJSON_AddStringToObject(o, "file", f->at.file ? f->at.file : "");
    cJSON_AddNumberToObject(o, "line", f->at.line);
    cJSON_AddNumberToObject(o, "column", f->at.column);
    cJSON_AddStringToObject(o, "message", f->message);
    cJSON_AddStringToObject(o, "hint", f->hint);
    cJSON_AddItemToObject(o, "connections", json_set(&f->ports));
    return o;
}

static cJSON *json_exposure(const pn_lint_exposure *x)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "namespace", x->ns);
    cJSON_AddStringToObject(o, "kind", x->kind);
    cJSON_AddStringToObject(o, "name", x->name);
    cJSON_AddNumberToObject(o, "pods", (double)x->pods);
    cJSON_AddBoolToObject(o, "isolated", x->isolated);
    cJSON_AddItemToObject(o, "fromOutsideCluster", json_set(&x->from_outside));
    cJSON_AddItemToObject(o, "fromAnyNamespace", json_set(&x->from_any_ns));
    cJSON *srcs = cJSON_AddArrayToObject(o, "fromOtherNamespaces");
    for (size_t k = 0; k < x->source_count; k++) {
        const pn_lint_source *s = &x->sources[k];
        cJSON *so = cJSON_CreateObject();
        cJSON_AddStringToObject(so, "namespace", s->ns);
        cJSON_AddNumberToObject(so, "pods", (double)s->pods);
        cJSON_AddItemToObject(so, "connections", json_set(&s->set));
        cJSON_AddItemToArray(srcs, so);
    }
    return o;
}

static void print_json(FILE *out, cJSON *root)
{
    char *text = cJSON_Print(root);
    if (text) {
        fputs(text, out);
        fputc('\n', out);
    }
    cJSON_free(text);
    cJSON_Delete(root);
}

void pn_lint_report_json(FILE *out, const pn_lint *l, bool findings, bool exposure)
{
    cJSON *root = cJSON_CreateObject();
    if (findings) {
        size_t n;
        const pn_lint_finding *f = pn_lint_findings(l, &n);
        cJSON *a = cJSON_AddArrayToObject(root, "findings");
        for (size_t i = 0; i < n; i++)
            cJSON_AddItemToArray(a, json_finding(&f[i]));
        cJSON *sum = cJSON_AddObjectToObject(root, "summary");
        size_t errors = pn_lint_count_at_least(l, PN_LINT_ERROR);
        size_t warnings = pn_lint_count_at_least(l, PN_LINT_WARNING) - errors;
        cJSON_AddNumberToObject(sum, "errors", (double)errors);
        cJSON_AddNumberToObject(sum, "warnings", (double)warnings);
        cJSON_AddNumberToObject(sum, "notes", (double)(n - errors - warnings));
    }
    if (exposure) {
        size_t n;
        const pn_lint_exposure *x = pn_lint_exposures(l, &n);
        cJSON *a = cJSON_AddArrayToObject(root, "exposure");
        for (size_t i = 0; i < n; i++)
            cJSON_AddItemToArray(a, json_exposure(&x[i]));
    }
    print_json(out, root);
}

/* ---- SARIF 2.1.0 ---- */

/* A relative URI reference for a path: unreserved characters and '/' as they are, every other
 * byte percent-encoded (a space, '#', '%', non-ASCII). */
static char *path_uri(const char *path)
{
    pn_buf b;
    pn_buf_init(&b);
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~/", *p))
            pn_buf_appendn(&b, (const char *)p, 1);
        else
            pn_buf_appendf(&b, "%%%02X", *p);
    }
    return pn_buf_take(&b);
}

static cJSON *sarif_text(const char *text)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "text", text);
    return o;
}

static cJSON *sarif_rules(void)
{
    cJSON *rules = cJSON_CreateArray();
    for (int c = 0; c < PN_LINT_CODE_COUNT; c++) {
        const pn_lint_rule *r = pn_lint_rule_of((pn_lint_code)c);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", r->id);
        cJSON_AddItemToObject(o, "shortDescription", sarif_text(r->summary));
        cJSON_AddItemToObject(o, "help",
                              sarif_text("podnet's docs/lint.md describes the code "
                                         "with an example and its fix."));
        cJSON *cfg = cJSON_AddObjectToObject(o, "defaultConfiguration");
        cJSON_AddStringToObject(cfg, "level", pn_lint_severity_name(r->severity));
        cJSON_AddItemToArray(rules, o);
    }
    return rules;
}

static cJSON *sarif_result(const pn_lint_finding *f)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "ruleId", pn_lint_rule_of(f->code)->id);
    cJSON_AddNumberToObject(o, "ruleIndex", f->code);
    cJSON_AddStringToObject(o, "level", pn_lint_severity_name(f->severity));
    pn_buf msg;
    pn_buf_init(&msg);
    pn_buf_appendf(&msg, "%s %s%s%s: %s. Hint: %s", f->kind, f->ns ? f->ns : "", f->ns ? "/" : "",
                   f->name, f->message, f->hint);
    cJSON_AddItemToObject(o, "message", sarif_text(pn_buf_str(&msg)));
    pn_buf_free(&msg);
    cJSON *locs = cJSON_AddArrayToObject(o, "locations");
    cJSON *loc = cJSON_CreateObject();
    cJSON_AddItemToArray(locs, loc);
    if (f->at.file && f->at.line > 0) {
        cJSON *phys = cJSON_AddObjectToObject(loc, "physicalLocation");
        cJSON *art = cJSON_AddObjectToObject(phys, "artifactLocation");
        char *uri = path_uri(f->at.file);
        cJSON_AddStringToObject(art, "uri", uri);
        free(uri);
        cJSON *region = cJSON_AddObjectToObject(phys, "region");
        cJSON_AddNumberToObject(region, "startLine", f->at.line);
        if (f->at.column > 0)
            cJSON_AddNumberToObject(region, "startColumn", f->at.column);
    }
    cJSON *logical = cJSON_AddArrayToObject(loc, "logicalLocations");
    cJSON *lo = cJSON_CreateObject();
    pn_buf name;
    pn_buf_init(&name);
    pn_buf_appendf(&name, "%s/%s%s%s%s%s", f->kind, f->ns ? f->ns : "", f->ns ? "/" : "", f->name,
                   f->field[0] ? "." : "", f->field);
    cJSON_AddStringToObject(lo, "fullyQualifiedName", pn_buf_str(&name));
    pn_buf_free(&name);
    cJSON_AddStringToObject(lo, "kind", "object");
    cJSON_AddItemToArray(logical, lo);
    return o;
}

void pn_lint_report_sarif(FILE *out, const pn_lint *l, const char *version)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    cJSON_AddStringToObject(root, "version", "2.1.0");
    cJSON *runs = cJSON_AddArrayToObject(root, "runs");
    cJSON *run = cJSON_CreateObject();
    cJSON_AddItemToArray(runs, run);
    cJSON *driver = cJSON_AddObjectToObject(cJSON_AddObjectToObject(run, "tool"), "driver");
    cJSON_AddStringToObject(driver, "name", "podnet");
    cJSON_AddStringToObject(driver, "version", version);
    cJSON_AddItemToObject(driver, "rules", sarif_rules());
    cJSON_AddStringToObject(run, "columnKind", "unicodeCodePoints");
    cJSON *results = cJSON_AddArrayToObject(run, "results");
    size_t n;
    const pn_lint_finding *f = pn_lint_findings(l, &n);
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(results, sarif_result(&f[i]));
    print_json(out, root);
}
