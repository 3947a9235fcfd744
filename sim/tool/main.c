/* main — the podnet command line: subcommands, flags, exit statuses. The only file that knows
 * about flags; everything it does is a call into sim/. */
#include "sim/base/arena.h"
#include "sim/output/diff.h"
#include "sim/query/dns.h"
#include "sim/base/diag.h"
#include "sim/query/expect.h"
#include "sim/engine/ipamd.h"
#include "sim/input/load.h"
#include "sim/query/reach.h"
#include "sim/output/report.h"
#include "sim/run/scenario.h"
#include "sim/output/store.h"
#include "sim/query/trace.h"
#include "sim/world/world.h"
#include "viz/graph.h"
#include "viz/render.h"
#include "models/instance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>
#include <time.h>

#define PODNET_VERSION "0.1.0"

#ifndef PN_LABS_DIR
#define PN_LABS_DIR "/usr/local/share/podnet/labs"
#endif

static int name_order(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

static const char usage_text[] =
    "usage: podnet COMMAND [options]\n"
    "\n"
    "answers:\n"
    "  reach -f PATH...   all-pairs reachability (truth table)\n"
    "        [--port PORT[/PROTO]]... [--from SEL] [--to SEL]\n"
    "        [-o table|csv|json|md|count] [--explain] [--engine bitset|naive] [--stats]\n"
    "  trace -f PATH... --from NS/POD --to NS/POD|svc/NS/NAME|IP|NAME --port P\n"
    "        [--seed N] [-o json]        one connection hop by hop; exit 1 when dropped\n"

    "        (--from IP --to svc/NS/NAME [--via NODE]: a client outside the cluster through a\n"
    "        NodePort or LoadBalancer Service)\n"
    "  dns -f PATH... --from NS/POD NAME   a pod's DNS resolution, query by query\n"
    "  graph -f PATH... [--view topology|reach] [--port P]... -o FILE.svg|.png|.dot|-\n"
    "                                   diagrams, rendered by Graphviz\n"
    "  reach, trace and dns take --scenario FILE --at TIME instead of -f: the world a\n"
    "        scenario's timeline has made by then\n"
    "tests:\n"
    "  run SCENARIO...    replay scenarios on the virtual clock and check their expectations;\n"
    "        exit 1 if any fails   [-v] [--junit FILE] [-o text|json] [--seed N]\n"
    "  check -f PATH... --expect FILE   expectations without a timeline; exit 1 if any fails\n"
    "        [--engine bitset|naive] [-v]\n"
    "  diff -f OLD... --against NEW...  connectivity that changed between two worlds\n"
    "        [--port PORT[/PROTO]]... [-o table|csv|json|md]\n"
    "  diff --db FILE RUN_A RUN_B       the same between two runs recorded by reach --db\n"
    "  history --db FILE [-n N]         recorded runs, newest first\n"
    "AWS:\n"
    "  ipam max-pods [--instance-type T]... [--prefix-delegation] [--custom-networking]\n"
    "        [--vcpus N]                EKS max-pods per instance type (CSV)\n"
    "  ipam plan -f PATH... [-o json]   address capacity: nodes, subnets, what runs out first\n"
    "learning:\n"
    "  lab list | lab run NAME          the training labs, narrated\n"
    "  version                          print the version\n"
    "\n"
    "common options:\n"
    "  -f PATH            a file, a folder (read recursively: *.yaml, *.yml, *.json) or - for\n"
    "                     standard input; repeatable\n"
    "  --pod-cidr CIDR    addresses for pods without status.podIP (default 10.244.0.0/16)\n"
    "  --strict           unknown kinds are errors, not warnings\n"
    "  --stats            print timings and peak memory on standard error\n"
    "  --db FILE          record the run (run, check, reach) in an SQLite results store\n"
    "\n"
    "SEL is namespace/pod with shell wildcards (x/*, */web-?). Pods are named namespace/name.\n"
    "Exit status: 0 success, 1 expectations failed (trace: dropped), 2 bad input or usage.\n";

typedef struct {
    const char **paths;
    size_t path_count;
    const char **against; /* diff: the new side */
    size_t against_count;
    pn_port *ports;
    size_t port_count;
    const char *from, *to;
    const char *expect;
    const char *pod_cidr;
    const char *junit;
    const char *db;    /* --db: the results store */
    size_t history;    /* history -n */
    const char **args; /* positional arguments (run: scenario files) */
    size_t arg_count;
    bool seed_set;
    uint64_t seed;
    bool text_output;     /* run: -o text */
    const char *output;   /* graph: -o FILE (or -) */
    const char *view;     /* graph: --view */
    const char *via;      /* trace: the node external traffic arrives at */
    const char *scenario; /* trace: --scenario FILE, traced --at a moment of its timeline */
    const char *at;
    pn_format format;
    pn_reach_engine engine;
    bool explain, strict, verbose, stats;
    bool prefix_delegation, custom_networking; /* ipam max-pods */
    int vcpus;
    const char **instance_types;
    size_t instance_type_count;
} options;

static int cmd_run(const options *o);

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* --stats: wall time per phase and peak memory, on standard error (never in results). */
static void print_stats(double t0, double t_load, double t_compute, double t_out, size_t pods,
                        size_t policies, size_t ports)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    fprintf(stderr,
            "stats: pods=%zu policies=%zu ports=%zu load_s=%.4f compute_s=%.4f output_s=%.4f "
            "peak_rss_mb=%.1f\n",
            pods, policies, ports, t_load - t0, t_compute - t_load, t_out - t_compute,
            (double)ru.ru_maxrss / 1024.0);
}

static int usage_error(const char *fmt, const char *arg)
{
    fputs("podnet: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\n(see podnet --help)\n", stderr);
    return EXIT_USAGE;
}

/* Takes the value of a flag: "--flag value" or "--flag=value". */
static const char *flag_value(int argc, char **argv, int *i, const char *flag)
{
    size_t n = strlen(flag);
    if (strncmp(argv[*i], flag, n) == 0 && argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (*i + 1 >= argc)
        return NULL;
    return argv[++*i];
}

static bool is_flag(const char *arg, const char *flag)
{
    size_t n = strlen(flag);
    return strncmp(arg, flag, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

static int parse_options(int argc, char **argv, options *o)
{
    o->paths = calloc((size_t)argc + 1, sizeof *o->paths);
    o->ports = calloc((size_t)argc + 1, sizeof *o->ports);
    o->args = calloc((size_t)argc + 1, sizeof *o->args);
    o->against = calloc((size_t)argc + 1, sizeof *o->against);
    o->instance_types = calloc((size_t)argc + 1, sizeof *o->instance_types);
    if (!o->paths || !o->ports || !o->args || !o->against || !o->instance_types)
        return usage_error("%s", "out of memory");
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v;
        if (is_flag(a, "-f") || is_flag(a, "--filename")) {
            if (!(v = flag_value(argc, argv, &i, a[1] == 'f' ? "-f" : "--filename")))
                return usage_error("%s needs a path", a);
            o->paths[o->path_count++] = v;
        } else if (is_flag(a, "--instance-type")) {
            if (!(v = flag_value(argc, argv, &i, "--instance-type")))
                return usage_error("%s needs a type such as m5.large", a);
            o->instance_types[o->instance_type_count++] = v;
        } else if (strcmp(a, "--prefix-delegation") == 0) {
            o->prefix_delegation = true;
        } else if (strcmp(a, "--custom-networking") == 0) {
            o->custom_networking = true;
        } else if (is_flag(a, "--vcpus")) {
            v = flag_value(argc, argv, &i, "--vcpus");
            char *end = NULL;
            long n = v ? strtol(v, &end, 10) : 0;
            if (!v || *end || n < 1 || n > 100000)
                return usage_error("--vcpus takes a positive number%s", "");
            o->vcpus = (int)n;
        } else if (is_flag(a, "--scenario")) {
            if (!(o->scenario = flag_value(argc, argv, &i, "--scenario")))
                return usage_error("%s needs a scenario file", a);
        } else if (is_flag(a, "--at")) {
            if (!(o->at = flag_value(argc, argv, &i, "--at")))
                return usage_error("%s needs a time (30s, 2m)", a);
        } else if (is_flag(a, "--via")) {
            if (!(o->via = flag_value(argc, argv, &i, "--via")))
                return usage_error("%s needs a node name", a);
        } else if (is_flag(a, "--view")) {
            if (!(o->view = flag_value(argc, argv, &i, "--view")))
                return usage_error("%s takes topology or reach", a);
        } else if (is_flag(a, "--against")) {
            if (!(v = flag_value(argc, argv, &i, "--against")))
                return usage_error("%s needs a path", a);
            o->against[o->against_count++] = v;
        } else if (is_flag(a, "--port")) {
            if (!(v = flag_value(argc, argv, &i, "--port")))
                return usage_error("%s needs PORT[/PROTOCOL]", a);
            if (pn_port_parse(v, &o->ports[o->port_count]) != 0)
                return usage_error("\"%s\" is not a port (1-65535, optionally /TCP, /UDP or "
                                   "/SCTP)",
                                   v);
            o->port_count++;
        } else if (is_flag(a, "--from") || is_flag(a, "--to")) {
            bool from = a[2] == 'f';
            if (!(v = flag_value(argc, argv, &i, from ? "--from" : "--to")))
                return usage_error("%s needs a pod selector (ns/pod)", a);
            pn_ipv4 from_ip;
            if (!strchr(v, '/') && from && pn_ipv4_parse(v, &from_ip) != 0)
                return usage_error("\"%s\" is not a pod selector (namespace/pod, * wildcards)", v);
            *(from ? &o->from : &o->to) = v;
        } else if (is_flag(a, "-o") || is_flag(a, "--output")) {
            v = flag_value(argc, argv, &i, a[1] == 'o' ? "-o" : "--output");
            if (!v)
                return usage_error("-o needs a value%s", "");
            o->output = v; /* graph takes a file; the others a format, checked here */
            o->text_output = strcmp(v, "text") == 0;
            if (!o->text_output && pn_format_parse(v, &o->format) != 0 && !pn_render_format_of(v) &&
                strcmp(v, "-") != 0)
                return usage_error("-o takes table, csv, json, md or count (graph: a .svg, "
                                   ".png or .dot file, or -)%s",
                                   "");
        } else if (is_flag(a, "--engine")) {
            v = flag_value(argc, argv, &i, "--engine");
            if (v && strcmp(v, "bitset") == 0)
                o->engine = PN_ENGINE_BITSET;
            else if (v && strcmp(v, "naive") == 0)
                o->engine = PN_ENGINE_NAIVE;
            else
                return usage_error("--engine takes bitset or naive%s", "");
        } else if (is_flag(a, "--expect")) {
            if (!(o->expect = flag_value(argc, argv, &i, "--expect")))
                return usage_error("%s needs a file", a);
        } else if (is_flag(a, "--pod-cidr")) {
            if (!(o->pod_cidr = flag_value(argc, argv, &i, "--pod-cidr")))
                return usage_error("%s needs a CIDR", a);
        } else if (is_flag(a, "--db")) {
            if (!(o->db = flag_value(argc, argv, &i, "--db")))
                return usage_error("%s needs a file", a);
        } else if (strcmp(a, "-n") == 0 || is_flag(a, "--limit")) {
            v = flag_value(argc, argv, &i, a[1] == 'n' ? "-n" : "--limit");
            char *end = NULL;
            long n = v ? strtol(v, &end, 10) : -1;
            if (!v || *end || n < 1)
                return usage_error("-n takes a positive number%s", "");
            o->history = (size_t)n;
        } else if (is_flag(a, "--junit")) {
            if (!(o->junit = flag_value(argc, argv, &i, "--junit")))
                return usage_error("%s needs a file", a);
        } else if (is_flag(a, "--seed")) {
            v = flag_value(argc, argv, &i, "--seed");
            char *end = NULL;
            unsigned long long seed = v ? strtoull(v, &end, 10) : 0;
            if (!v || !*v || *end || v[0] == '-')
                return usage_error("--seed takes a non-negative integer%s", "");
            o->seed = seed;
            o->seed_set = true;
        } else if (a[0] != '-' || strcmp(a, "-") == 0) {
            o->args[o->arg_count++] = a;
        } else if (strcmp(a, "--explain") == 0) {
            o->explain = true;
        } else if (strcmp(a, "--stats") == 0) {
            o->stats = true;
        } else if (strcmp(a, "--strict") == 0) {
            o->strict = true;
        } else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
            o->verbose = true;
        } else {
            return usage_error("unknown option \"%s\"", a);
        }
    }
    return EXIT_OK;
}

static void free_options(options *o)
{
    free(o->instance_types);
    free(o->against);
    free(o->args);
    free(o->paths);
    free(o->ports);
}

/* Reads the -f inputs into a world. Returns NULL after printing the problems. */
static pn_world *load_paths(const options *o, const char *const *paths, size_t count,
                            pn_diags *diags, pn_documents *docs)
{
    docs->hash = o->db != NULL; /* the store records each input's SHA-256 */
    pn_world *w = pn_world_new();
    int rc = 0;
    for (size_t i = 0; i < count; i++)
        if (pn_load_path(pn_world_arena(w), diags, paths[i], docs) != 0)
            rc = -1;
    pn_world_options wo = {.pod_cidr = o->pod_cidr, .strict = o->strict};
    if (rc == 0)
        rc = pn_world_load(w, docs, &wo, diags);
    if (rc == 0 && pn_world_aws(w))
        pn_ipamd_settle(w, 5 * 60 * PN_SECOND); /* pods get their VPC addresses */
    pn_diags_flush(diags, stderr);
    if (rc != 0) {
        pn_world_free(w);
        return NULL;
    }
    return w;
}

/* Opens --db, printing the problem when it cannot. */
static pn_store *open_store(const char *path)
{
    char *err = NULL;
    pn_store *st = pn_store_open(path, &err);
    if (!st) {
        fprintf(stderr, "podnet: %s\n", err);
        free(err);
    }
    return st;
}

/* Starts a run record in --db (when given). Returns 0 and *st, *run; or -1 after a message. */
static int begin_record(const options *o, const char *command, bool has_seed, uint64_t seed,
                        pn_store **st, int64_t *run)
{
    *st = NULL;
    *run = -1;
    if (!o->db)
        return 0;
    if (!(*st = open_store(o->db)))
        return -1;
    pn_run_info info = {command, PODNET_VERSION, has_seed, seed};
    if ((*run = pn_store_begin_run(*st, &info)) < 0) {
        fprintf(stderr, "podnet: %s: %s\n", o->db, pn_store_errmsg(*st));
        pn_store_close(*st);
        *st = NULL;
        return -1;
    }
    return 0;
}

/* Commits the run record. Returns 0, or -1 after a message. */
static int end_record(const options *o, pn_store *st, int64_t run, int rc, size_t passed,
                      size_t failed)
{
    if (!st)
        return 0;
    if (rc == 0)
        rc = pn_store_end_run(st, run, passed, failed);
    else
        pn_store_abort_run(st);
    if (rc != 0)
        fprintf(stderr, "podnet: %s: cannot record the run: %s\n", o->db, pn_store_errmsg(st));
    pn_store_close(st);
    return rc;
}

static pn_world *load_world(const options *o, pn_diags *diags, pn_documents *docs)
{
    return load_paths(o, o->paths, o->path_count, diags, docs);
}

/* The ports a command asks about: --port, or every port a pod of either world declares. */
static pn_port *ports_to_ask(const options *o, pn_world *const *worlds, size_t world_count,
                             size_t *count)
{
    if (o->port_count) {
        pn_port *ports = pn_xcalloc(o->port_count, sizeof *ports);
        memcpy(ports, o->ports, o->port_count * sizeof *ports);
        *count = o->port_count;
        return ports;
    }
    pn_port *all = NULL;
    size_t total = 0;
    for (size_t i = 0; i < world_count; i++) {
        size_t n;
        pn_port *some = pn_reach_declared_ports(worlds[i], &n);
        all = pn_xrealloc(all, total + n + 1, sizeof *all);
        memcpy(all + total, some, n * sizeof *some);
        total += n;
        free(some);
    }
    /* Union, ordered by number then protocol. */
    size_t u = 0;
    for (size_t i = 0; i < total; i++) {
        size_t j = 0;
        while (j < u && pn_port_compare(&all[j], &all[i]) != 0)
            j++;
        if (j == u)
            all[u++] = all[i];
    }
    for (size_t i = 1; i < u; i++) /* insertion sort: a handful of ports */
        for (size_t j = i; j > 0 && pn_port_compare(&all[j - 1], &all[j]) > 0; j--) {
            pn_port t = all[j];
            all[j] = all[j - 1];
            all[j - 1] = t;
        }
    *count = u;
    return all;
}

/* podnet ipam max-pods: the EKS max-pods for instance types; podnet ipam plan: capacity. */
static int cmd_ipam(const options *o)
{
    if (o->arg_count == 0)
        return usage_error("ipam takes max-pods or plan%s", "");
    const char *what = o->args[0];
    if (strcmp(what, "max-pods") == 0) {
        pn_max_pods_options mo = {.prefix_delegation = o->prefix_delegation,
                                  .custom_networking = o->custom_networking,
                                  .vcpus = o->vcpus};
        size_t count = o->instance_type_count ? o->instance_type_count : pn_instance_count();
        for (size_t i = 0; i < count; i++) {
            const char *name = o->instance_type_count ? o->instance_types[i] : NULL;
            const pn_instance_type *t = name ? pn_instance_find(name) : pn_instance_at(i);
            if (!t)
                return usage_error("unknown instance type \"%s\"", name);
        }
        puts("instance_type,max_pods");
        for (size_t i = 0; i < count; i++) {
            const pn_instance_type *t =
                o->instance_type_count ? pn_instance_find(o->instance_types[i]) : pn_instance_at(i);
            printf("%s,%d\n", t->name, pn_instance_max_pods(t, &mo));
        }
        return EXIT_OK;
    }
    if (strcmp(what, "plan") == 0) {
        if (o->path_count == 0)
            return usage_error("ipam plan needs -f PATH... (VPC, subnets and nodes)%s", "");
        pn_diags *diags = pn_diags_new();
        pn_documents docs = {0};
        pn_world *w = load_world(o, diags, &docs);
        pn_documents_free(&docs);
        pn_diags_free(diags);
        if (!w)
            return EXIT_USAGE;
        if (!pn_world_aws(w)) {
            pn_world_free(w);
            return usage_error("ipam plan needs an AWS description (kind VPC and Subnet)%s", "");
        }
        pn_report_ipam_plan(stdout, w, o->format == PN_FORMAT_JSON);
        pn_world_free(w);
        return EXIT_OK;
    }
    return usage_error("ipam takes max-pods or plan, not \"%s\"", what);
}

/* podnet graph: the topology or the reachability between workloads, as a diagram. */
static int cmd_graph(const options *o)
{
    const char *view = o->view ? o->view : "topology";
    if (strcmp(view, "topology") != 0 && strcmp(view, "reach") != 0)
        return usage_error("--view takes topology or reach, not \"%s\"", view);
    if (o->path_count == 0 || !o->output)
        return usage_error("graph needs -f PATH... and -o FILE.svg|.png|.dot (or - for DOT)%s", "");
    const char *format = strcmp(o->output, "-") == 0 ? "dot" : pn_render_format_of(o->output);
    if (!format)
        return usage_error("-o must name a .svg, .png or .dot file, or be -%s", "");
    pn_diags *diags = pn_diags_new();
    pn_documents docs = {0};
    pn_world *w = load_world(o, diags, &docs);
    pn_documents_free(&docs);
    pn_diags_free(diags);
    if (!w)
        return EXIT_USAGE;
    pn_vgraph *g;
    pn_port *ports = NULL;
    if (strcmp(view, "reach") == 0) {
        size_t count;
        ports = ports_to_ask(o, &w, 1, &count);
        pn_reach *r = pn_reach_compute(w, ports, count, o->engine);
        g = pn_viz_reach(w, r);
        pn_reach_free(r);
    } else {
        g = pn_viz_topology(w);
    }
    int status = EXIT_OK;
    if (strcmp(format, "dot") == 0) {
        FILE *out = strcmp(o->output, "-") == 0 ? stdout : fopen(o->output, "w");
        if (!out || pn_render_dot(g, out) != 0) {
            fprintf(stderr, "podnet: cannot write %s\n", o->output);
            status = EXIT_USAGE;
        }
        if (out && out != stdout)
            fclose(out);
    } else {
        const char *why;
        if (pn_render_file(g, format, o->output, &why) != 0) {
            fprintf(stderr, "podnet: %s: %s\n", o->output, why);
            status = EXIT_USAGE;
        }
    }
    pn_vgraph_free(g);
    free(ports);
    pn_world_free(w);
    return status;
}

/* Where the labs are: $PODNET_LABS, ./scenarios/labs, next to the program, or installed. */
static const char *labs_dir(char *buf, size_t size)
{
    const char *env = getenv("PODNET_LABS");
    if (env && *env)
        return env;
    if (access("scenarios/labs", R_OK) == 0)
        return "scenarios/labs";
    char exe[1024];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(buf, size, "%s/scenarios/labs", exe);
            if (access(buf, R_OK) == 0)
                return buf;
        }
    }
    return PN_LABS_DIR;
}

/* podnet lab list | lab run NAME: the training scenarios, narrated. */
static int cmd_lab(const options *o)
{
    char buf[1200];
    const char *dir = labs_dir(buf, sizeof buf);
    if (o->arg_count == 1 && strcmp(o->args[0], "list") == 0) {
        DIR *d = opendir(dir);
        if (!d) {
            fprintf(stderr, "podnet: no labs at %s (set PODNET_LABS)\n", dir);
            return EXIT_USAGE;
        }
        char **names = NULL;
        size_t count = 0, cap = 0;
        for (struct dirent *e; (e = readdir(d));) {
            if (e->d_name[0] == '.')
                continue;
            PN_GROW(names, count, cap);
            names[count++] = pn_xstrdup(e->d_name);
        }
        closedir(d);
        pn_sort(names, count, sizeof *names, name_order);
        for (size_t i = 0; i < count; i++) {
            char path[2600];
            snprintf(path, sizeof path, "%s/%s/scenario.yaml", dir, names[i]);
            pn_diags *diags = pn_diags_new();
            pn_scenario *s = pn_scenario_load(path, diags);
            if (s) { /* the first sentence of the description */
                const char *text = pn_scenario_description(s);
                const char *stop = strstr(text, ". ");
                int len = stop ? (int)(stop - text + 1) : (int)strlen(text);
                printf("%-28s %.*s\n", names[i], len, text);
            }
            pn_scenario_free(s);
            pn_diags_free(diags);
            free(names[i]);
        }
        free(names);
        return EXIT_OK;
    }
    if (o->arg_count == 2 && strcmp(o->args[0], "run") == 0) {
        char path[2600];
        snprintf(path, sizeof path, "%s/%s/scenario.yaml", dir, o->args[1]);
        if (access(path, R_OK) != 0)
            return usage_error("no lab named \"%s\" (see podnet lab list)", o->args[1]);
        options lab = *o;
        const char *args[1] = {path};
        lab.args = args;
        lab.arg_count = 1;
        lab.verbose = true;
        return cmd_run(&lab);
    }
    return usage_error("lab takes list, or run NAME%s", "");
}

/* podnet trace: one connection, hop by hop. Exit 0 delivered, 1 dropped, 2 bad input. */
/* What a command does with a world, returning its exit status. */
typedef int (*world_command)(const options *o, pn_world *w);

typedef struct {
    const options *o;
    world_command fn;
    int status;
} moment;

static void at_moment_world(pn_world *w, void *ctx)
{
    moment *m = ctx;
    m->status = m->fn(m->o, w);
}

/* --scenario FILE --at TIME: replays the timeline up to TIME and runs fn on the world it has
 * made by then (the replay's own expectations are not reported). */
static int at_moment(const options *o, world_command fn)
{
    pn_time at;
    if (o->path_count || o->db)
        return usage_error("--scenario replaces -f and cannot be recorded with --db%s", "");
    if (!o->at || pn_time_parse(o->at, &at) != 0)
        return usage_error("--scenario needs --at TIME (30s, 2m), not %s",
                           o->at ? o->at : "nothing");
    pn_diags *diags = pn_diags_new();
    pn_scenario *s = pn_scenario_load(o->scenario, diags);
    moment m = {o, fn, EXIT_USAGE};
    char *quiet = NULL;
    size_t quiet_len;
    FILE *sink = open_memstream(&quiet, &quiet_len);
    pn_expect_results results = {0};
    pn_run_options ro = {.out = sink,
                         .engine = o->engine,
                         .inspect = at_moment_world,
                         .inspect_ctx = &m,
                         .inspect_at = at};
    int run_rc = s && sink ? pn_scenario_run(s, &ro, &results, diags) : -1;
    if (sink)
        fclose(sink);
    free(quiet);
    pn_expect_results_free(&results);
    pn_scenario_free(s);
    pn_diags_flush(diags, stderr);
    size_t errors = pn_diags_errors(diags);
    pn_diags_free(diags);
    return run_rc != 0 || errors ? EXIT_USAGE : m.status;
}

/* Runs fn on the world of -f, or with --scenario on the one its timeline has made --at. */
static int with_world(const options *o, world_command fn)
{
    if (o->scenario)
        return at_moment(o, fn);
    pn_diags *diags = pn_diags_new();
    pn_documents docs = {0};
    pn_world *w = load_world(o, diags, &docs);
    pn_documents_free(&docs);
    pn_diags_free(diags);
    if (!w)
        return EXIT_USAGE;
    int status = fn(o, w);
    pn_world_free(w);
    return status;
}

static int trace_in(const options *o, pn_world *w)
{
    pn_trace_request req = {o->from, o->to, o->ports[0], o->seed_set ? o->seed : 1, o->via};
    const char *why = NULL;
    int rc = pn_trace(stdout, w, &req, o->format == PN_FORMAT_JSON, &why);
    if (rc < 0) {
        fprintf(stderr, "podnet: %s\n", why);
        return EXIT_USAGE;
    }
    return rc == 0 ? EXIT_OK : EXIT_FAILED;
}

static int cmd_trace(const options *o)
{
    if (!o->from || !o->to || o->port_count != 1 || (o->path_count == 0) == !o->scenario)
        return usage_error("trace needs -f PATH... (or --scenario FILE --at TIME), --from "
                           "ns/pod, --to ns/pod|svc/ns/name|IP and one --port%s",
                           "");
    return with_world(o, trace_in);
}

static int dns_in(const options *o, pn_world *w)
{
    const char *slash = strchr(o->from, '/');
    char ns[256];
    snprintf(ns, sizeof ns, "%.*s", slash ? (int)(slash - o->from) : 0, o->from);
    long i = slash ? pn_world_find_pod(w, ns, slash + 1) : -1;
    if (i < 0)
        return usage_error("--from names no pod: %s", o->from);
    size_t n;
    const pn_pod *pods = pn_world_pods(w, &n);
    pn_dns_resolution r;
    pn_dns_resolve(w, &pods[i], o->args[0], &r);
    printf("%s resolves %s (search %s.svc.%s svc.%s %s, ndots:5)\n", o->from, o->args[0],
           pods[i].ns_name, PN_DNS_ZONE, PN_DNS_ZONE, PN_DNS_ZONE);
    pn_dns_print(stdout, &r);
    return r.found ? EXIT_OK : EXIT_FAILED;
}

/* podnet dns: a pod's resolution of a name, query by query. */
static int cmd_dns(const options *o)
{
    if (!o->from || o->arg_count != 1 || (o->path_count == 0) == !o->scenario)
        return usage_error("dns needs -f PATH... (or --scenario FILE --at TIME), --from ns/pod "
                           "and a NAME%s",
                           "");
    return with_world(o, dns_in);
}

static int cmd_history(const options *o)
{
    if (!o->db || o->arg_count || o->path_count)
        return usage_error("history takes --db FILE [-n N]%s", "");
    pn_store *st = open_store(o->db);
    if (!st)
        return EXIT_USAGE;
    int rc = pn_store_history(st, stdout, o->history);
    pn_store_close(st);
    return rc == 0 ? EXIT_OK : EXIT_USAGE;
}

/* podnet diff --db FILE RUN_A RUN_B: the same comparison between two recorded tables. */
static int diff_runs(const options *o)
{
    if (o->arg_count != 2)
        return usage_error("diff --db FILE takes two run ids (see podnet history)%s", "");
    int64_t ids[2];
    for (int i = 0; i < 2; i++) {
        char *end;
        long long id = strtoll(o->args[i], &end, 10);
        if (*end || id < 1)
            return usage_error("\"%s\" is not a run id", o->args[i]);
        ids[i] = id;
    }
    pn_store *st = open_store(o->db);
    if (!st)
        return EXIT_USAGE;
    pn_snapshot snaps[2] = {{0}, {0}};
    int status = EXIT_OK;
    for (int i = 0; i < 2 && status == EXIT_OK; i++)
        if (pn_store_load_snapshot(st, ids[i], &snaps[i]) != 0) {
            fprintf(stderr,
                    "podnet: %s: run %lld has no truth table (record one with podnet "
                    "reach --db)\n",
                    o->db, (long long)ids[i]);
            status = EXIT_USAGE;
        }
    if (status == EXIT_OK)
        pn_diff_write(stdout, &snaps[0], &snaps[1], o->format);
    pn_snapshot_clear(&snaps[0]);
    pn_snapshot_clear(&snaps[1]);
    pn_store_close(st);
    return status;
}

static int cmd_diff(const options *o)
{
    if (o->format == PN_FORMAT_COUNT || o->text_output)
        return usage_error("diff prints table, csv, json or md%s", "");
    if (o->db && !o->path_count && !o->against_count)
        return diff_runs(o);
    if (o->path_count == 0 || o->against_count == 0)
        return usage_error("diff needs -f OLD... and --against NEW...%s", "");
    if (o->arg_count)
        return usage_error("unexpected argument \"%s\"", o->args[0]);
    if (o->format == PN_FORMAT_COUNT || o->text_output)
        return usage_error("diff prints table, csv, json or md%s", "");
    pn_diags *diags = pn_diags_new();
    pn_documents old_docs = {0}, new_docs = {0};
    pn_world *worlds[2];
    worlds[0] = load_paths(o, o->paths, o->path_count, diags, &old_docs);
    worlds[1] = worlds[0] ? load_paths(o, o->against, o->against_count, diags, &new_docs) : NULL;
    pn_documents_free(&old_docs);
    pn_documents_free(&new_docs);
    pn_diags_free(diags);
    if (!worlds[0] || !worlds[1]) {
        pn_world_free(worlds[0]);
        return EXIT_USAGE;
    }
    size_t port_count;
    pn_port *ports = ports_to_ask(o, worlds, 2, &port_count);
    pn_snapshot snaps[2];
    for (int i = 0; i < 2; i++) {
        pn_reach *r = pn_reach_compute(worlds[i], ports, port_count, o->engine);
        pn_snapshot_from_reach(&snaps[i], worlds[i], r);
        pn_reach_free(r);
    }
    pn_diff_write(stdout, &snaps[0], &snaps[1], o->format);
    for (int i = 0; i < 2; i++) {
        pn_snapshot_clear(&snaps[i]);
        pn_world_free(worlds[i]);
    }
    free(ports);
    return EXIT_OK;
}

/* The truth table of w on --port (or every declared port); *ports is the array to free. */
static pn_reach *reach_table(const options *o, pn_world *w, pn_port **ports, size_t *port_count)
{
    *ports = ports_to_ask(o, &w, 1, port_count);
    if (*port_count == 0)
        fputs("podnet: no pod declares a port; pass --port to choose one\n", stderr);
    return pn_reach_compute(w, *ports, *port_count, o->engine);
}

static void reach_print(const options *o, const pn_world *w, const pn_reach *r)
{
    size_t port_count;
    const pn_port *ports = pn_reach_ports(r, &port_count);
    pn_pair_filter filter = {o->from, o->to};
    pn_report_reach(stdout, w, r, ports, port_count, o->format, &filter, o->explain);
    fflush(stdout);
}

static int reach_in(const options *o, pn_world *w)
{
    pn_port *ports;
    size_t port_count;
    pn_reach *r = reach_table(o, w, &ports, &port_count);
    reach_print(o, w, r);
    pn_reach_free(r);
    free(ports);
    return EXIT_OK;
}

static int cmd_reach(const options *o)
{
    if (o->arg_count)
        return usage_error("unexpected argument \"%s\" (inputs are given with -f)", o->args[0]);
    if (o->scenario)
        return at_moment(o, reach_in);
    if (o->path_count == 0)
        return usage_error("reach needs at least one -f PATH (or --scenario FILE --at TIME)%s", "");
    double t0 = now_seconds();
    pn_diags *diags = pn_diags_new();
    pn_documents docs = {0};
    pn_world *w = load_world(o, diags, &docs);
    pn_diags_free(diags);
    if (!w) {
        pn_documents_free(&docs);
        return EXIT_USAGE;
    }
    double t_load = now_seconds();
    pn_port *ports;
    size_t port_count;
    pn_reach *r = reach_table(o, w, &ports, &port_count);
    double t_compute = now_seconds();
    reach_print(o, w, r);
    if (o->stats) {
        size_t pods, policies;
        pn_world_pods(w, &pods);
        pn_world_policies(w, &policies);
        print_stats(t0, t_load, t_compute, now_seconds(), pods, policies, port_count);
    }
    int status = EXIT_OK;
    pn_store *st;
    int64_t run;
    if (begin_record(o, "reach", false, 0, &st, &run) != 0) {
        status = EXIT_USAGE;
    } else if (st) {
        pn_snapshot snap;
        pn_snapshot_from_reach(&snap, w, r);
        int rc = pn_store_add_inputs(st, run, docs.inputs, docs.input_count);
        if (rc == 0)
            rc = pn_store_add_snapshot(st, run, &snap);
        pn_snapshot_clear(&snap);
        if (end_record(o, st, run, rc, 0, 0) != 0)
            status = EXIT_USAGE;
    }
    pn_documents_free(&docs);
    pn_reach_free(r);
    free(ports);
    pn_world_free(w);
    return status;
}

static int cmd_check(const options *o)
{
    if (o->arg_count)
        return usage_error("unexpected argument \"%s\" (inputs are given with -f)", o->args[0]);
    if (o->path_count == 0 || !o->expect)
        return usage_error("check needs -f PATH... and --expect FILE%s", "");
    pn_diags *diags = pn_diags_new();
    pn_documents docs = {0}, expect_docs = {0};
    pn_world *w = load_world(o, diags, &docs);
    if (!w) {
        pn_documents_free(&docs);
        pn_diags_free(diags);
        return EXIT_USAGE;
    }
    int status = EXIT_USAGE;
    pn_expectations *e = NULL;
    expect_docs.hash = o->db != NULL;
    if (pn_load_path(pn_world_arena(w), diags, o->expect, &expect_docs) == 0)
        e = pn_expect_load(&expect_docs, diags);
    if (e && pn_expect_count(e) == 0) {
        /* An empty file would pass in CI whatever the cluster does. */
        pn_diag_add(diags, PN_DIAG_ERROR, o->expect, 0, 0,
                    "no expectations: a check of nothing would always pass");
        pn_expect_free(e);
        e = NULL;
    }
    pn_expect_results results = {0};
    if (e && pn_expect_check(e, w, o->engine, NULL, -1, &results, diags) == 0) {
        size_t passed, failed;
        pn_expect_print(stdout, &results, 0, o->verbose);
        pn_expect_tally_results(&results, &passed, &failed);
        printf("%zu passed, %zu failed\n", passed, failed);
        status = failed ? EXIT_FAILED : EXIT_OK;
        pn_store *st;
        int64_t run;
        if (begin_record(o, "check", false, 0, &st, &run) != 0) {
            status = EXIT_USAGE;
        } else if (st) {
            int rc = pn_store_add_inputs(st, run, docs.inputs, docs.input_count);
            if (rc == 0)
                rc = pn_store_add_inputs(st, run, expect_docs.inputs, expect_docs.input_count);
            if (rc == 0)
                rc = pn_store_add_results(st, run, NULL, &results);
            if (end_record(o, st, run, rc, passed, failed) != 0)
                status = EXIT_USAGE;
        }
    }
    pn_expect_results_free(&results);
    pn_diags_flush(diags, stderr);
    pn_expect_free(e);
    pn_documents_free(&docs);
    pn_documents_free(&expect_docs);
    pn_diags_free(diags);
    pn_world_free(w);
    return status;
}

/* Replays each scenario. A scenario's narration is buffered and shown only when the scenario
 * had no input error, so bad input never mixes with results. */
static int cmd_run(const options *o)
{
    if (o->arg_count == 0)
        return usage_error("run needs at least one scenario file%s", "");
    if (o->path_count)
        return usage_error("run takes scenario files as arguments, not -f%s", "");
    if (!o->text_output && o->format != PN_FORMAT_TABLE && o->format != PN_FORMAT_JSON)
        return usage_error("run prints text or json%s", "");
    bool json = o->format == PN_FORMAT_JSON && !o->text_output;
    pn_diags *diags = pn_diags_new();
    pn_expect_results *results = pn_xcalloc(o->arg_count, sizeof *results);
    pn_scenario **scenarios = pn_xcalloc(o->arg_count, sizeof *scenarios);
    pn_suite *suites = pn_xcalloc(o->arg_count, sizeof *suites);
    int status = EXIT_OK;
    size_t passed = 0, failed = 0;
    for (size_t i = 0; i < o->arg_count && status != EXIT_USAGE; i++) {
        pn_scenario *s = scenarios[i] = pn_scenario_load(o->args[i], diags);
        if (!s) {
            status = EXIT_USAGE;
            break;
        }
        if (o->seed_set)
            pn_scenario_set_seed(s, o->seed);
        char *text = NULL;
        size_t len = 0;
        FILE *buf = open_memstream(&text, &len);
        pn_run_options ro = {.out = buf, .verbose = o->verbose, .engine = o->engine};
        int rc = buf ? pn_scenario_run(s, &ro, &results[i], diags) : -1;
        if (buf)
            fclose(buf);
        if (rc != 0) {
            status = EXIT_USAGE;
        } else if (!json) {
            fwrite(text, 1, len, stdout);
        }
        free(text);
        suites[i] =
            (pn_suite){pn_scenario_name(s), pn_scenario_file(s), pn_scenario_seed(s), &results[i]};
        size_t p, f;
        pn_expect_tally_results(&results[i], &p, &f);
        passed += p;
        failed += f;
    }
    pn_diags_flush(diags, stderr);
    if (status != EXIT_USAGE) {
        if (json)
            pn_report_results_json(stdout, suites, o->arg_count);
        else
            printf("%zu passed, %zu failed\n", passed, failed);
        status = failed ? EXIT_FAILED : EXIT_OK;
        pn_store *st;
        int64_t run;
        bool one_seed = o->seed_set || o->arg_count == 1;
        uint64_t seed = o->seed_set ? o->seed : pn_scenario_seed(scenarios[0]);
        if (begin_record(o, "run", one_seed, seed, &st, &run) != 0) {
            status = EXIT_USAGE;
        } else if (st) {
            int rc = 0;
            for (size_t i = 0; i < o->arg_count && rc == 0; i++) {
                size_t count;
                const pn_input *inputs = pn_scenario_inputs(scenarios[i], &count);
                rc = pn_store_add_inputs(st, run, inputs, count);
                if (rc == 0)
                    rc = pn_store_add_results(st, run, suites[i].name, &results[i]);
            }
            if (end_record(o, st, run, rc, passed, failed) != 0)
                status = EXIT_USAGE;
        }
        if (o->junit) {
            FILE *f = fopen(o->junit, "w");
            if (!f) {
                fprintf(stderr, "podnet: cannot write %s\n", o->junit);
                status = EXIT_USAGE;
            } else {
                pn_report_junit(f, suites, o->arg_count);
                fclose(f);
            }
        }
    }
    for (size_t i = 0; i < o->arg_count; i++) {
        pn_expect_results_free(&results[i]);
        pn_scenario_free(scenarios[i]);
    }
    free(results);
    free(scenarios);
    free(suites);
    pn_diags_free(diags);
    return status;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage_text, stdout);
        return EXIT_OK;
    }
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("podnet %s\n", PODNET_VERSION);
        return EXIT_OK;
    }
    int (*run)(const options *) = NULL;
    if (strcmp(cmd, "reach") == 0)
        run = cmd_reach;
    else if (strcmp(cmd, "run") == 0)
        run = cmd_run;
    else if (strcmp(cmd, "diff") == 0)
        run = cmd_diff;
    else if (strcmp(cmd, "history") == 0)
        run = cmd_history;
    else if (strcmp(cmd, "ipam") == 0)
        run = cmd_ipam;
    else if (strcmp(cmd, "graph") == 0)
        run = cmd_graph;
    else if (strcmp(cmd, "lab") == 0)
        run = cmd_lab;
    else if (strcmp(cmd, "trace") == 0)
        run = cmd_trace;
    else if (strcmp(cmd, "dns") == 0)
        run = cmd_dns;
    else if (strcmp(cmd, "check") == 0)
        run = cmd_check;
    else
        return usage_error("unknown command \"%s\"", cmd);
    options o = {0};
    int status = parse_options(argc - 2, argv + 2, &o);
    if (status == EXIT_OK)
        status = run(&o);
    free_options(&o);
    return status;
}
