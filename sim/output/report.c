/* report — text, CSV, JSON and Markdown forms of truth tables and verdicts. */
#include "sim/output/report.h"

#include "sim/query/explain.h"

#include "sim/base/arena.h"
#include "models/instance.h"
#include "sim/base/time.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

int pn_format_parse(const char *s, pn_format *out)
{
    static const char *const names[] = {"table", "csv", "json", "md", "count"};
    for (int i = 0; i < 5; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = (pn_format)i;
            return 0;
        }
    return -1;
}

/* ---- tables ---- */

static size_t *selected_pods(const pn_world *w, const char *pattern, size_t *count)
{
    size_t n;
    const pn_pod *pods = pn_world_pods(w, &n);
    size_t *idx = pn_xcalloc(n ? n : 1, sizeof *idx);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (pn_pod_matches(pattern, &pods[i]))
            idx[k++] = i;
    *count = k;
    return idx;
}

/* Appends n bytes to a buffer that is written out whenever it fills: CSV tables reach
 * hundreds of megabytes, and one fprintf per row would dominate the run. */
typedef struct {
    FILE *out;
    char buf[1 << 16];
    size_t used;
} sink;

static void sink_put(sink *k, const char *s, size_t n)
{
    if (k->used + n > sizeof k->buf) {
        fwrite(k->buf, 1, k->used, k->out);
        k->used = 0;
    }
    memcpy(k->buf + k->used, s, n);
    k->used += n;
}

static void sink_flush(sink *k)
{
    fwrite(k->buf, 1, k->used, k->out);
    k->used = 0;
}

static void write_csv(FILE *out, const pn_world *w, const pn_reach *r, const pn_port *ports,
                      size_t port_count, const size_t *from, size_t nf, const size_t *to, size_t nt)
{
    size_t n;
    const pn_pod *pods = pn_world_pods(w, &n);
    char **names = pn_xcalloc(n ? n : 1, sizeof *names);
    size_t *lens = pn_xcalloc(n ? n : 1, sizeof *lens);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(pods[i].ns_name) + strlen(pods[i].name) + 2;
        names[i] = pn_xcalloc(len, 1);
        lens[i] = (size_t)snprintf(names[i], len, "%s/%s", pods[i].ns_name, pods[i].name);
    }
    char(*port_text)[24] = pn_xcalloc(port_count ? port_count : 1, sizeof *port_text);
    size_t *port_lens = pn_xcalloc(port_count ? port_count : 1, sizeof *port_lens);
    for (size_t p = 0; p < port_count; p++)
        port_lens[p] = (size_t)snprintf(port_text[p], sizeof port_text[p], ",%u,%s,",
                                        ports[p].number, pn_proto_name(ports[p].proto));
    sink *k = pn_xcalloc(1, sizeof *k);
    k->out = out;
    static const char header[] = "from,to,port,protocol,allowed\n";
    sink_put(k, header, sizeof header - 1);
    for (size_t a = 0; a < nf; a++)
        for (size_t b = 0; b < nt; b++)
            for (size_t p = 0; p < port_count; p++) {
                sink_put(k, names[from[a]], lens[from[a]]);
                sink_put(k, ",", 1);
                sink_put(k, names[to[b]], lens[to[b]]);
                sink_put(k, port_text[p], port_lens[p]);
                sink_put(k, pn_reach_allowed(r, p, from[a], to[b]) ? "1\n" : "0\n", 2);
            }
    sink_flush(k);
    free(k);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(lens);
    free(port_text);
    free(port_lens);
}

/* Allowed ordered pairs per port, among the filtered pods. */
static void write_count(FILE *out, const pn_reach *r, const pn_port *ports, size_t port_count,
                        const size_t *from, size_t nf, const size_t *to, size_t nt, bool all)
{
    fputs("port,protocol,allowed,pairs\n", out);
    for (size_t p = 0; p < port_count; p++) {
        size_t allowed = 0;
        if (all) {
            allowed = pn_reach_count(r, p);
        } else {
            for (size_t a = 0; a < nf; a++)
                for (size_t b = 0; b < nt; b++)
                    allowed += pn_reach_allowed(r, p, from[a], to[b]);
        }
        fprintf(out, "%u,%s,%zu,%zu\n", ports[p].number, pn_proto_name(ports[p].proto), allowed,
                nf * nt);
    }
}

static void pod_name(const pn_pod *p, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", p->ns_name, p->name);
}

/* A Markdown matrix's heading row and alignment row, one column per destination pod. */
static void md_columns(FILE *out, const pn_pod *pods, const size_t *to, size_t nt)
{
    char name[600];
    fputs("| from \\ to |", out);
    for (size_t b = 0; b < nt; b++) {
        pod_name(&pods[to[b]], name, sizeof name);
        fprintf(out, " %s |", name);
    }
    fputs("\n|---|", out);
    for (size_t b = 0; b < nt; b++)
        fputs(":-:|", out);
    fputc('\n', out);
}

/* A matrix per port: rows are sources, columns destinations, each column as wide as its
 * heading (like the truth tables of the upstream e2e suite). */
static void write_matrix(FILE *out, const pn_world *w, const pn_reach *r, const pn_port *ports,
                         size_t port_count, const size_t *from, size_t nf, const size_t *to,
                         size_t nt, bool markdown)
{
    size_t n;
    const pn_pod *pods = pn_world_pods(w, &n);
    int width = 4;
    for (size_t a = 0; a < nf; a++) {
        char name[600];
        pod_name(&pods[from[a]], name, sizeof name);
        if ((int)strlen(name) > width)
            width = (int)strlen(name);
    }
    for (size_t p = 0; p < port_count; p++) {
        char name[600];
        if (markdown) {
            fprintf(out, "%s**%u/%s** (rows: from, columns: to; ✓ allowed, · denied)\n\n",
                    p ? "\n" : "", ports[p].number, pn_proto_name(ports[p].proto));
            md_columns(out, pods, to, nt);
        } else {
            fprintf(out, "%s%u/%s (rows: from, columns: to; 1 allowed, . denied)\n%-*s",
                    p ? "\n" : "", ports[p].number, pn_proto_name(ports[p].proto), width, "");
            for (size_t b = 0; b < nt; b++) {
                pod_name(&pods[to[b]], name, sizeof name);
                fprintf(out, " %s", name);
            }
            fputc('\n', out);
        }
        size_t allowed = 0;
        for (size_t a = 0; a < nf; a++) {
            pod_name(&pods[from[a]], name, sizeof name);
            if (markdown)
                fprintf(out, "| %s |", name);
            else
                fprintf(out, "%-*s", width, name);
            for (size_t b = 0; b < nt; b++) {
                bool ok = pn_reach_allowed(r, p, from[a], to[b]);
                allowed += ok;
                if (markdown) {
                    fputs(ok ? " ✓ |" : " · |", out);
                    continue;
                }
                char col[600];
                pod_name(&pods[to[b]], col, sizeof col);
                int cw = (int)strlen(col), left = (cw - 1) / 2;
                int right = b + 1 < nt ? cw - 1 - left : 0; /* no trailing blanks */
                fprintf(out, " %*s%c%*s", left, "", ok ? '1' : '.', right, "");
            }
            fputc('\n', out);
        }
        fprintf(out, "%s%zu of %zu pairs allowed\n", markdown ? "\n" : "", allowed, nf * nt);
    }
}

static cJSON *direction_json(const pn_world *w, const pn_direction_verdict *d)
{
    size_t count;
    const pn_netpol *pols = pn_world_policies(w, &count);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddBoolToObject(o, "allowed", d->allowed);
    cJSON_AddStringToObject(o, "reason", pn_explain_why_code(d->why));
    if (d->why == PN_WHY_RULE) {
        char name[600];
        snprintf(name, sizeof name, "%s/%s", pols[d->policy].ns_name, pols[d->policy].name);
        cJSON_AddStringToObject(o, "policy", name);
        cJSON_AddNumberToObject(o, "rule", (double)d->rule);
    }
    return o;
}

/* "connections": the allowed set of each pair, a row per protocol it opens. */
static void json_connections(cJSON *root, const pn_world *w, const pn_reach *sets,
                             const size_t *from, size_t nf, const size_t *to, size_t nt)
{
    size_t n;
    const pn_pod *pods = pn_world_pods(w, &n);
    cJSON *rows = cJSON_AddArrayToObject(root, "connections");
    pn_reach_sets *rs = pn_reach_sets_new(sets);
    for (size_t a = 0; a < nf; a++)
        for (size_t b = 0; b < nt; b++) {
            const pn_portset *set = pn_reach_sets_pair(rs, from[a], to[b]);
            for (int p = 0; p < PN_PROTO_COUNT; p++) {
                if (pn_portset_size(set, (pn_proto)p) == 0)
                    continue;
                char name[600], text[4096];
                cJSON *o = cJSON_CreateObject();
                pod_name(&pods[from[a]], name, sizeof name);
                cJSON_AddStringToObject(o, "from", name);
                pod_name(&pods[to[b]], name, sizeof name);
                cJSON_AddStringToObject(o, "to", name);
                cJSON_AddStringToObject(o, "protocol", pn_proto_name((pn_proto)p));
                cJSON_AddStringToObject(
                    o, "ports", pn_portset_format_ports(set, (pn_proto)p, text, sizeof text));
                cJSON_AddItemToArray(rows, o);
            }
        }
    pn_reach_sets_free(rs);
    cJSON_AddNumberToObject(root, "intervals", (double)pn_reach_interval_count(sets));
    size_t classes;
    pn_reach_ports(sets, &classes);
    cJSON_AddNumberToObject(root, "intervalClasses", (double)classes);
}

/* The table r on its ports (results), the sets of sets over the whole space (connections),
 * or both; either may be NULL. */
static void write_json(FILE *out, const pn_world *w, const pn_reach *r, const pn_reach *sets,
                       const size_t *from, size_t nf, const size_t *to, size_t nt, bool explain)
{
    size_t n, port_count = 0;
    const pn_pod *pods = pn_world_pods(w, &n);
    const pn_port *ports = r ? pn_reach_ports(r, &port_count) : NULL;
    cJSON *root = cJSON_CreateObject();
    cJSON *jports = cJSON_AddArrayToObject(root, "ports");
    for (size_t p = 0; p < port_count; p++) {
        char port[32];
        snprintf(port, sizeof port, "%u/%s", ports[p].number, pn_proto_name(ports[p].proto));
        cJSON_AddItemToArray(jports, cJSON_CreateString(port));
    }
    /* The pods the results name (every pod without --from/--to), in world order. */
    bool *named = pn_xcalloc(n ? n : 1, sizeof *named);
    for (size_t i = 0; i < nf; i++)
        named[from[i]] = true;
    for (size_t i = 0; i < nt; i++)
        named[to[i]] = true;
    cJSON *jpods = cJSON_AddArrayToObject(root, "pods");
    for (size_t i = 0; i < n; i++) {
        if (!named[i])
            continue;
        cJSON *o = cJSON_CreateObject();
        char name[600], ip[16];
        snprintf(name, sizeof name, "%s/%s", pods[i].ns_name, pods[i].name);
        cJSON_AddStringToObject(o, "name", name);
        if (pods[i].ip)
            cJSON_AddStringToObject(o, "ip", pn_ipv4_format(pods[i].ip, ip));
        else
            cJSON_AddNullToObject(o, "ip");
        if (pods[i].node_name)
            cJSON_AddStringToObject(o, "node", pods[i].node_name);
        if (pods[i].phase != PN_POD_RUNNING)
            cJSON_AddStringToObject(o, "phase", pn_pod_phase_name(pods[i].phase));
        else if (!pods[i].ready)
            cJSON_AddFalseToObject(o, "ready");
        if (pods[i].terminating)
            cJSON_AddTrueToObject(o, "terminating");
        cJSON_AddItemToArray(jpods, o);
    }
    free(named);
    cJSON *rows = cJSON_AddArrayToObject(root, "results");
    pn_path_view *view = explain ? pn_path_view_new(w) : NULL;
    for (size_t a = 0; r && a < nf; a++)
        for (size_t b = 0; b < nt; b++)
            for (size_t p = 0; p < port_count; p++) {
                const pn_pod *s = &pods[from[a]], *d = &pods[to[b]];
                char name[600];
                cJSON *o = cJSON_CreateObject();
                snprintf(name, sizeof name, "%s/%s", s->ns_name, s->name);
                cJSON_AddStringToObject(o, "from", name);
                snprintf(name, sizeof name, "%s/%s", d->ns_name, d->name);
                cJSON_AddStringToObject(o, "to", name);
                cJSON_AddNumberToObject(o, "port", ports[p].number);
                cJSON_AddStringToObject(o, "protocol", pn_proto_name(ports[p].proto));
                cJSON_AddBoolToObject(o, "allowed", pn_reach_allowed(r, p, from[a], to[b]));
                if (explain) {
                    pn_verdict v = pn_reach_evaluate_in(w, view, from[a], to[b], ports[p]);
                    cJSON_AddItemToObject(o, "egress", direction_json(w, &v.egress));
                    cJSON_AddItemToObject(o, "ingress", direction_json(w, &v.ingress));
                    if (view) { /* an AWS world: what the network between them said */
                        cJSON *net = cJSON_AddObjectToObject(o, "network");
                        cJSON_AddBoolToObject(net, "allowed", v.network.allowed);
                        if (!v.network.allowed) {
                            cJSON_AddStringToObject(net, "reason",
                                                    pn_net_reason_name(v.network.reason));
                            /* The walk again, recorded, names the rule in full. */
                            pn_arena *arena = pn_arena_new();
                            pn_path path;
                            pn_path_from src = {.pod = (long)from[a]};
                            pn_path_walk(view, &src, d->ip, ports[p], 0, true, arena, &path);
                            if (path.decided_by)
                                cJSON_AddStringToObject(net, "decidedBy", path.decided_by);
                            pn_path_release(&path);
                            pn_arena_free(arena);
                        }
                    }
                }
                cJSON_AddItemToArray(rows, o);
            }
    pn_path_view_free(view);
    if (sets)
        json_connections(root, w, sets, from, nf, to, nt);
    char *text = cJSON_Print(root);
    fputs(text, out);
    fputc('\n', out);
    cJSON_free(text);
    cJSON_Delete(root);
}

void pn_report_reach(FILE *out, const pn_world *w, const pn_reach *r, const pn_port *ports,
                     size_t port_count, pn_format format, const pn_pair_filter *filter,
                     bool explain)
{
    size_t nf, nt;
    size_t *from = selected_pods(w, filter ? filter->from : NULL, &nf);
    size_t *to = selected_pods(w, filter ? filter->to : NULL, &nt);
    switch (format) {
    case PN_FORMAT_CSV:
        write_csv(out, w, r, ports, port_count, from, nf, to, nt);
        break;
    case PN_FORMAT_JSON:
        write_json(out, w, r, NULL, from, nf, to, nt, explain);
        break;
    case PN_FORMAT_COUNT:
        write_count(out, r, ports, port_count, from, nf, to, nt,
                    !(filter && (filter->from || filter->to)));
        break;
    default:
        write_matrix(out, w, r, ports, port_count, from, nf, to, nt, format == PN_FORMAT_MD);
        break;
    }
    free(from);
    free(to);
}

/* ---- connection sets ---- */

/* from,to,protocol,ports: a row per pair and protocol with something allowed. */
static void write_sets_csv(FILE *out, const pn_world *w, const pn_reach *sets, const size_t *from,
                           size_t nf, const size_t *to, size_t nt)
{
    size_t n;
    const pn_pod *pods = pn_world_pods(w, &n);
    sink *k = pn_xcalloc(1, sizeof *k);
    k->out = out;
    static const char header[] = "from,to,protocol,ports\n";
    sink_put(k, header, sizeof header - 1);
    pn_reach_sets *rs = pn_reach_sets_new(sets);
    char src[600], dst[600], text[8192], row[10000];
    for (size_t a = 0; a < nf; a++) {
        pod_name(&pods[from[a]], src, sizeof src);
        for (size_t b = 0; b < nt; b++) {
            const pn_portset *set = pn_reach_sets_pair(rs, from[a], to[b]);
            if (pn_portset_empty(set))
                continue;
            pod_name(&pods[to[b]], dst, sizeof dst);
            for (int p = 0; p < PN_PROTO_COUNT; p++) {
                if (pn_portset_size(set, (pn_proto)p) == 0)
                    continue;
                pn_portset_format_ports(set, (pn_proto)p, text, sizeof text);
                int len = snprintf(row, sizeof row, "%s,%s,%s,%s\n", src, dst,
                                   pn_proto_name((pn_proto)p), text);
                sink_put(k, row, (size_t)len < sizeof row ? (size_t)len : sizeof row - 1);
            }
        }
    }
    pn_reach_sets_free(rs);
    sink_flush(k);
    free(k);
}

/* protocol,allowed,all,pairs: pairs that may open some port of the protocol, pairs that may
 * open every port of it, pairs asked. */
static void write_sets_count(FILE *out, const pn_reach *sets, const size_t *from, size_t nf,
                             const size_t *to, size_t nt, bool all)
{
    size_t some[PN_PROTO_COUNT] = {0}, every[PN_PROTO_COUNT] = {0};
    pn_reach_sets *rs = pn_reach_sets_new(sets);
    if (all) {
        pn_reach_sets_totals(rs, some, every);
    } else {
        for (size_t a = 0; a < nf; a++)
            for (size_t b = 0; b < nt; b++) {
                const pn_portset *set = pn_reach_sets_pair(rs, from[a], to[b]);
                for (int p = 0; p < PN_PROTO_COUNT; p++) {
                    uint32_t size = pn_portset_size(set, (pn_proto)p);
                    some[p] += size > 0;
                    every[p] += size == PN_PORT_MAX - PN_PORT_MIN + 1;
                }
            }
    }
    pn_reach_sets_free(rs);
    fputs("protocol,allowed,all,pairs\n", out);
    for (int p = 0; p < PN_PROTO_COUNT; p++)
        fprintf(out, "%s,%zu,%zu,%zu\n", pn_proto_name((pn_proto)p), some[p], every[p], nf * nt);
}

/* One matrix: each cell the pair's set in short form ("all", "TCP 80,443", "-"). */
static void write_sets_matrix(FILE *out, const pn_world *w, const pn_reach *sets,
                              const size_t *from, size_t nf, const size_t *to, size_t nt,
                              bool markdown)
{
    size_t n;
    const pn_pod *pods = pn_world_pods(w, &n);
    pn_reach_sets *rs = pn_reach_sets_new(sets);
    char **cell = pn_xcalloc(nf * nt + 1, sizeof *cell);
    int *width = pn_xcalloc(nt + 1, sizeof *width), first = 4;
    char name[600], text[4096];
    size_t some = 0, every = 0;
    for (size_t b = 0; b < nt; b++) {
        pod_name(&pods[to[b]], name, sizeof name);
        width[b] = (int)strlen(name);
    }
    for (size_t a = 0; a < nf; a++) {
        pod_name(&pods[from[a]], name, sizeof name);
        if ((int)strlen(name) > first)
            first = (int)strlen(name);
        for (size_t b = 0; b < nt; b++) {
            const pn_portset *set = pn_reach_sets_pair(rs, from[a], to[b]);
            char *c = cell[a * nt + b] =
                pn_xstrdup(pn_portset_format_short(set, text, sizeof text));
            some += !pn_portset_empty(set);
            every += strcmp(c, "all") == 0;
            if ((int)strlen(c) > width[b])
                width[b] = (int)strlen(c);
        }
    }
    pn_reach_sets_free(rs);
    if (markdown) {
        fputs("**all ports** (rows: from, columns: to; the connections allowed, - none)\n\n", out);
        md_columns(out, pods, to, nt);
    } else {
        fprintf(out, "all ports (rows: from, columns: to; the connections allowed, - none)\n%-*s",
                first, "");
        for (size_t b = 0; b < nt; b++) {
            pod_name(&pods[to[b]], name, sizeof name);
            fprintf(out, " %-*s", b + 1 < nt ? width[b] : 0, name);
        }
        fputc('\n', out);
    }
    for (size_t a = 0; a < nf; a++) {
        pod_name(&pods[from[a]], name, sizeof name);
        if (markdown)
            fprintf(out, "| %s |", name);
        else
            fprintf(out, "%-*s", first, name);
        for (size_t b = 0; b < nt; b++) {
            const char *c = cell[a * nt + b];
            if (markdown)
                fprintf(out, " %s |", c);
            else
                fprintf(out, " %-*s", b + 1 < nt ? width[b] : 0, c); /* no trailing blanks */
        }
        fputc('\n', out);
    }
    fprintf(out, "%s%zu of %zu pairs allowed some connection, %zu every port\n",
            markdown ? "\n" : "", some, nf * nt, every);
    for (size_t i = 0; i < nf * nt; i++)
        free(cell[i]);
    free(cell);
    free(width);
}

void pn_report_reach_sets(FILE *out, const pn_world *w, const pn_reach *sets,
                          const pn_reach *per_port, pn_format format, const pn_pair_filter *filter,
                          bool explain)
{
    size_t nf, nt;
    size_t *from = selected_pods(w, filter ? filter->from : NULL, &nf);
    size_t *to = selected_pods(w, filter ? filter->to : NULL, &nt);
    switch (format) {
    case PN_FORMAT_CSV:
        write_sets_csv(out, w, sets, from, nf, to, nt);
        break;
    case PN_FORMAT_JSON:
        write_json(out, w, per_port, sets, from, nf, to, nt, explain);
        break;
    case PN_FORMAT_COUNT:
        write_sets_count(out, sets, from, nf, to, nt, !(filter && (filter->from || filter->to)));
        break;
    default:
        write_sets_matrix(out, w, sets, from, nf, to, nt, format == PN_FORMAT_MD);
        break;
    }
    free(from);
    free(to);
}

/* ---- run results ---- */

static void xml_text(FILE *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<':
            fputs("&lt;", out);
            break;
        case '>':
            fputs("&gt;", out);
            break;
        case '&':
            fputs("&amp;", out);
            break;
        case '"':
            fputs("&quot;", out);
            break;
        default:
            /* XML 1.0 has no way to write other control characters, not even as &#N;: they
             * are shown as text (\x01), so that the file stays parseable. */
            if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
                fprintf(out, "\\x%02x", (unsigned)(unsigned char)*s);
            else
                fputc(*s, out);
        }
    }
}

static void result_title(const pn_expect_result *x, char *buf, size_t size)
{
    char t[32] = "settled";
    if (x->at >= 0) {
        char f[32];
        snprintf(t, sizeof t, "t=%s", pn_time_format(x->at, f));
    }
    snprintf(buf, size, "%s [%s]", x->name, t);
}

void pn_report_junit(FILE *out, const pn_suite *suites, size_t count)
{
    size_t tests = 0, failures = 0;
    for (size_t i = 0; i < count; i++) {
        size_t p, f;
        pn_expect_tally_results(suites[i].results, &p, &f);
        tests += p + f;
        failures += f;
    }
    fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    fprintf(out, "<testsuites name=\"podnet\" tests=\"%zu\" failures=\"%zu\">\n", tests, failures);
    for (size_t i = 0; i < count; i++) {
        const pn_suite *su = &suites[i];
        size_t p, f;
        pn_expect_tally_results(su->results, &p, &f);
        fputs("  <testsuite name=\"", out);
        xml_text(out, su->name);
        fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" time=\"0\">\n", p + f, f);
        fprintf(out, "    <properties><property name=\"file\" value=\"");
        xml_text(out, su->file);
        fprintf(out, "\"/><property name=\"seed\" value=\"%llu\"/></properties>\n",
                (unsigned long long)su->seed);
        for (size_t k = 0; k < su->results->count; k++) {
            const pn_expect_result *x = &su->results->items[k];
            char title[400];
            result_title(x, title, sizeof title);
            fputs("    <testcase classname=\"", out);
            xml_text(out, su->name);
            fputs("\" name=\"", out);
            xml_text(out, title);
            fputs("\" time=\"0\"", out);
            if (x->passed) {
                fputs("/>\n", out);
                continue;
            }
            fprintf(out, ">\n      <failure message=\"%zu of %zu pairs differ\">", x->wrong,
                    x->pairs);
            xml_text(out, x->file);
            fprintf(out, ":%u:%u\n", x->line, x->column);
            if (x->detail) {
                xml_text(out, x->detail);
                fputc('\n', out);
            }
            if (x->why) {
                fputs("why: ", out);
                xml_text(out, x->why);
                fputc('\n', out);
            }
            for (size_t m = 0; m < x->shown_count; m++) {
                const pn_mismatch *mm = &x->shown[m];
                char line[2000];
                if (mm->sets)
                    snprintf(line, sizeof line, "%s -> %s: %s\n", mm->from, mm->to, mm->sets);
                else if (mm->expected == mm->actual)
                    snprintf(line, sizeof line, "%s -> %s %u/%s: %s as expected, but %s\n",
                             mm->from, mm->to, x->port.number, pn_proto_name(x->port.proto),
                             mm->actual ? "allowed" : "denied", mm->explanation);
                else
                    snprintf(line, sizeof line, "%s -> %s %u/%s: expected %s, got %s; %s\n",
                             mm->from, mm->to, x->port.number, pn_proto_name(x->port.proto),
                             mm->expected ? "allowed" : "denied", mm->actual ? "allowed" : "denied",
                             mm->explanation);
                xml_text(out, line);
            }
            fputs("</failure>\n    </testcase>\n", out);
        }
        fputs("  </testsuite>\n", out);
    }
    fputs("</testsuites>\n", out);
}

void pn_report_results_json(FILE *out, const pn_suite *suites, size_t count)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *jsuites = cJSON_AddArrayToObject(root, "scenarios");
    size_t passed = 0, failed = 0;
    for (size_t i = 0; i < count; i++) {
        const pn_suite *su = &suites[i];
        cJSON *js = cJSON_CreateObject();
        cJSON_AddStringToObject(js, "name", su->name);
        cJSON_AddStringToObject(js, "file", su->file);
        cJSON_AddNumberToObject(js, "seed", (double)su->seed);
        cJSON *jr = cJSON_AddArrayToObject(js, "expectations");
        for (size_t k = 0; k < su->results->count; k++) {
            const pn_expect_result *x = &su->results->items[k];
            cJSON *o = cJSON_CreateObject();
            char port[32], t[32];
            cJSON_AddStringToObject(o, "name", x->name);
            if (x->at >= 0)
                cJSON_AddStringToObject(o, "at", pn_time_format(x->at, t));
            else
                cJSON_AddStringToObject(o, "at", "settled");
            if (x->port.number) {
                snprintf(port, sizeof port, "%u/%s", x->port.number, pn_proto_name(x->port.proto));
                cJSON_AddStringToObject(o, "port", port);
            }
            if (x->detail)
                cJSON_AddStringToObject(o, "detail", x->detail);
            cJSON_AddBoolToObject(o, "passed", x->passed);
            cJSON_AddNumberToObject(o, "pairs", (double)x->pairs);
            cJSON_AddNumberToObject(o, "wrong", (double)x->wrong);
            char where[600];
            snprintf(where, sizeof where, "%s:%u:%u", x->file, x->line, x->column);
            cJSON_AddStringToObject(o, "source", where);
            if (x->why)
                cJSON_AddStringToObject(o, "why", x->why);
            if (x->shown_count) {
                cJSON *mm = cJSON_AddArrayToObject(o, "mismatches");
                for (size_t m = 0; m < x->shown_count; m++) {
                    cJSON *jm = cJSON_CreateObject();
                    cJSON_AddStringToObject(jm, "from", x->shown[m].from);
                    cJSON_AddStringToObject(jm, "to", x->shown[m].to);
                    cJSON_AddBoolToObject(jm, "expected", x->shown[m].expected);
                    cJSON_AddBoolToObject(jm, "actual", x->shown[m].actual);
                    cJSON_AddStringToObject(jm, "explanation",
                                            x->shown[m].sets ? x->shown[m].sets
                                                             : x->shown[m].explanation);
                    cJSON_AddItemToArray(mm, jm);
                }
            }
            cJSON_AddItemToArray(jr, o);
            x->passed ? passed++ : failed++;
        }
        cJSON_AddItemToArray(jsuites, js);
    }
    cJSON_AddNumberToObject(root, "passed", (double)passed);
    cJSON_AddNumberToObject(root, "failed", (double)failed);
    char *text = cJSON_Print(root);
    fputs(text, out);
    fputc('\n', out);
    cJSON_free(text);
    cJSON_Delete(root);
}

/* ---- ipam plan ---- */

/* Pods a node could still take: kubelet's max-pods left, and the addresses its ENIs could
 * still hold for pods (custom networking: not on eth0; the trunk takes a slot). */
static int node_room_at(const pn_node *n, const pn_cni_settings *s, int assigned)
{
    int by_enis = pn_ipam_pod_addresses_max(pn_instance_find(n->instance_type), s) - assigned;
    int by_kubelet = n->max_pods - assigned;
    int room = by_enis < by_kubelet ? by_enis : by_kubelet;
    return room > 0 ? room : 0;
}

static int node_room(const pn_node *n, const pn_cni_settings *s)
{
    return node_room_at(n, s, n->ips_assigned);
}

static const char *pod_subnet_of(pn_world *w, const pn_node *n)
{
    if (pn_world_cni(w)->custom_networking) {
        const pn_subnet *sn =
            pn_world_eni_config_subnet(w, n->eni_config ? n->eni_config : n->zone);
        return sn ? sn->name : n->subnet;
    }
    return n->subnet;
}

/* A node's ENIs as JSON (ipam plan -o json eniDetail): device, subnet, trunk, primaryIp and
 * the secondary IPs or /28 prefixes held for pods. *prefixes gets the prefixes held. */
static cJSON *eni_detail(pn_world *w, size_t node, int *prefixes)
{
    cJSON *list = cJSON_CreateArray();
    size_t count;
    const pn_eni *enis = pn_world_node_enis(w, node, &count);
    *prefixes = 0;
    for (size_t e = 0; e < count; e++) {
        const pn_eni *eni = &enis[e];
        char text[64];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "device", eni->device);
        cJSON_AddStringToObject(o, "subnet", eni->subnet ? eni->subnet->name : "");
        cJSON_AddBoolToObject(o, "trunk", eni->trunk);
        cJSON_AddStringToObject(o, "primaryIp", pn_ipv4_format(eni->primary, text));
        cJSON *held = cJSON_AddArrayToObject(o, eni->prefix ? "prefixes" : "secondaryIps");
        for (int k = 0; k < eni->held; k++) {
            if (eni->prefix) {
                pn_cidr block = {.addr = eni->cidrs[k], .len = 28, .family = 4};
                cJSON_AddItemToArray(held, cJSON_CreateString(pn_cidr_format(&block, text)));
            } else {
                cJSON_AddItemToArray(held, cJSON_CreateString(pn_ipv4_format(eni->cidrs[k], text)));
            }
        }
        *prefixes += eni->prefix ? eni->held : 0;
        cJSON_AddItemToArray(list, o);
    }
    return list;
}

void pn_ipam_fit_clear(pn_ipam_fit *fit)
{
    free(fit->node_pods);
    free(fit->next_node);
    free(fit->next_reason);
    *fit = (pn_ipam_fit){0};
}

/* What stops one pod more than fit->pods: the subnet index when its node waits for an address
 * with room left on its ENIs (*limit "subnet"), else "node" (the node's ENIs are full), "nodes"
 * (no node takes it: max-pods) or "unknown" (not tried: the pod limit). */
static long fit_limit(pn_world *w, const pn_ipam_fit *fit, const char **limit)
{
    *limit = "unknown";
    if (!fit->next_known)
        return -1;
    if (!fit->next_node || fit->next_phase == PN_POD_PENDING) {
        *limit = "nodes";
        return -1;
    }
    const pn_node *n = pn_world_find_node(w, fit->next_node);
    if (n && node_room_at(n, pn_world_cni(w), fit->next_node_assigned) == 0) {
        *limit = "node";
        return -1;
    }
    *limit = "subnet";
    const char *sub = n ? pod_subnet_of(w, n) : NULL;
    size_t subnet_count;
    pn_subnet *subnets = pn_world_subnets(w, &subnet_count);
    for (size_t k = 0; sub && k < subnet_count; k++)
        if (strcmp(subnets[k].name, sub) == 0)
            return (long)k;
    return -1;
}

void pn_report_ipam_plan(FILE *out, pn_world *w, const pn_ipam_fit *fit, bool json)
{
    const pn_cni_settings *cni = pn_world_cni(w);
    size_t node_count, subnet_count;
    const pn_node *nodes = pn_world_nodes(w, &node_count);
    pn_subnet *subnets = pn_world_subnets(w, &subnet_count);
    /* Per subnet: the pods of the engine's scale-out that run on the nodes whose pods it
     * addresses. */
    long *fits = pn_xcalloc(subnet_count ? subnet_count : 1, sizeof *fits);
    for (size_t i = 0; i < node_count && i < fit->node_count; i++) {
        const char *sub = pod_subnet_of(w, &nodes[i]);
        for (size_t k = 0; k < subnet_count; k++)
            if (sub && strcmp(subnets[k].name, sub) == 0)
                fits[k] += fit->node_pods[i];
    }
    const char *limit;
    long first = fit_limit(w, fit, &limit);
    if (json) {
        cJSON *root = cJSON_CreateObject();
        cJSON *jn = cJSON_AddArrayToObject(root, "nodes");
        for (size_t i = 0; i < node_count; i++) {
            const pn_node *n = &nodes[i];
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "name", n->name);
            cJSON_AddStringToObject(o, "instanceType", n->instance_type);
            cJSON_AddStringToObject(o, "subnet", pod_subnet_of(w, n));
            cJSON_AddNumberToObject(o, "maxPods", n->max_pods);
            cJSON_AddNumberToObject(o, "enis", n->enis);
            cJSON_AddNumberToObject(o, "ipsHeld", n->ips_held);
            cJSON_AddNumberToObject(o, "ipsAssigned", n->ips_assigned);
            cJSON_AddNumberToObject(o, "room", node_room(n, cni));
            cJSON_AddNumberToObject(o, "podsThatFit", i < fit->node_count ? fit->node_pods[i] : 0);
            int prefixes;
            cJSON *detail = eni_detail(w, i, &prefixes);
            cJSON_AddNumberToObject(o, "prefixesHeld", prefixes);
            cJSON_AddItemToObject(o, "eniDetail", detail);
            cJSON_AddItemToArray(jn, o);
        }
        cJSON *js = cJSON_AddArrayToObject(root, "subnets");
        for (size_t k = 0; k < subnet_count; k++) {
            char block[64];
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "name", subnets[k].name);
            cJSON_AddStringToObject(o, "cidr", pn_cidr_format(&subnets[k].cidr, block));
            cJSON_AddNumberToObject(o, "freeAddresses", subnets[k].free);
            cJSON_AddNumberToObject(o, "freePrefixes", pn_subnet_free_prefixes(&subnets[k]));
            cJSON_AddNumberToObject(o, "podsThatFit", (double)fits[k]);
            cJSON_AddItemToArray(js, o);
        }
        cJSON_AddNumberToObject(root, "morePods", (double)fit->pods);
        if (first >= 0)
            cJSON_AddStringToObject(root, "runsOutFirst", subnets[first].name);
        if (fit->next_known) {
            cJSON *next = cJSON_AddObjectToObject(root, "onePodMore");
            if (fit->next_node)
                cJSON_AddStringToObject(next, "node", fit->next_node);
            else
                cJSON_AddNullToObject(next, "node");
            cJSON_AddStringToObject(next, "phase", pn_pod_phase_name(fit->next_phase));
            if (fit->next_reason)
                cJSON_AddStringToObject(next, "reason", fit->next_reason);
            cJSON_AddStringToObject(next, "limit", limit);
        }
        char *text = cJSON_Print(root);
        fprintf(out, "%s\n", text);
        cJSON_free(text);
        cJSON_Delete(root);
    } else {
        fprintf(out, "%-16s %-14s %-14s %8s %5s %8s %7s %6s %5s %5s\n", "node", "instance",
                "pod subnet", "max-pods", "ENIs", "ips-held", "in-use", "warm", "room", "fits");
        for (size_t i = 0; i < node_count; i++) {
            const pn_node *n = &nodes[i];
            fprintf(out, "%-16s %-14s %-14s %8d %5d %8d %7d %6d %5d %5d\n", n->name,
                    n->instance_type, pod_subnet_of(w, n), n->max_pods, n->enis, n->ips_held,
                    n->ips_assigned, n->ips_held - n->ips_assigned, node_room(n, cni),
                    i < fit->node_count ? fit->node_pods[i] : 0);
        }
        fprintf(out, "\n%-16s %-18s %-12s %9s %10s %13s\n", "subnet", "cidr", "zone", "free-ips",
                "free-/28s", "pods-that-fit");
        for (size_t k = 0; k < subnet_count; k++) {
            char block[64];
            fprintf(out, "%-16s %-18s %-12s %9u %10u %13ld\n", subnets[k].name,
                    pn_cidr_format(&subnets[k].cidr, block),
                    subnets[k].zone ? subnets[k].zone : "-", subnets[k].free,
                    pn_subnet_free_prefixes(&subnets[k]), fits[k]);
        }
        fprintf(out, "\n%ld more pod%s fit: a scale-out of %ld runs them all", fit->pods,
                fit->pods == 1 ? "" : "s", fit->pods);
        if (first >= 0)
            fprintf(out, "; subnet %s runs out first", subnets[first].name);
        else if (strcmp(limit, "node") == 0)
            fprintf(out, "; node %s's ENIs are full first", fit->next_node);
        else if (strcmp(limit, "nodes") == 0)
            fputs("; the nodes' max-pods run out before any subnet", out);
        else
            fputs("; the pod limit (--pod-limit) allows no more", out);
        fputs("\n", out);
        if (fit->next_known) {
            fprintf(out, "one more would stay %s", pn_pod_phase_name(fit->next_phase));
            if (fit->next_node)
                fprintf(out, " on %s", fit->next_node);
            if (fit->next_reason)
                fprintf(out, ": %s", fit->next_reason);
            fputs("\n", out);
        }
    }
    free(fits);
}
