/* tool_opts — the one flag table of the command line: each flag's names, its value, the
 * commands that accept it and its help. Parsing, the wrong-flag rule and every command's
 * --help are read from it, so they cannot disagree. */
#include "sim/tool/tool.h"

#include "viz/render.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef enum {
    F_FILENAME,
    F_POD_CIDR,
    F_POD_LIMIT,
    F_STRICT,
    F_PORT,
    F_ALL_PORTS,
    F_FROM,
    F_TO,
    F_SCENARIO,
    F_AT,
    F_VIA,
    F_OUTPUT,
    F_EXPLAIN,
    F_ENGINE,
    F_STATS,
    F_EXPECT,
    F_AGAINST,
    F_VIEW,
    F_SEED,
    F_VERBOSE,
    F_JUNIT,
    F_DB,
    F_LIMIT,
    F_INSTANCE_TYPE,
    F_PREFIX_DELEGATION,
    F_CUSTOM_NETWORKING,
    F_VCPUS,
    F_SHOW_MAX_ALLOWED,
    F_CNI_VERSION,
    F_SETTLE,
    F_NODE,
    F_POD,
    F_TYPE,
    F_FAIL_ON,
    F_EXPOSURE,
    F_FROM_CLUSTER,
    F_CONTEXT,
    F_NAMESPACE,
    F_ALL_NAMESPACES,
    F_AWS,
    F_SNAPSHOT_OUTPUT,
    F_HELP,
} flag_id;

/* Commands that read a cluster from -f. */
#define LOADS                                                                                      \
    (PN_CMD_REACH | PN_CMD_TRACE | PN_CMD_DNS | PN_CMD_GRAPH | PN_CMD_CHECK | PN_CMD_DIFF |        \
     PN_CMD_IPAM_PLAN | PN_CMD_ROUTES | PN_CMD_LINT)
/* Commands that replay scenarios (lab run is run -v on a lab). */
#define RUNS (PN_CMD_RUN | PN_CMD_LAB_RUN)

/* One row per flag and meaning: a flag whose value or sense differs between commands has a
 * row per group of commands, so each command's --help says what it means there. */
typedef struct {
    flag_id id;
    const char *short_name; /* "-f", or NULL */
    const char *long_name;  /* "--filename", or NULL */
    const char *value;      /* the value's name in help ("PATH"), or NULL: takes no value */
    unsigned commands;      /* PN_CMD_ bits of the commands that accept it */
    const char *help;       /* one line */
} flag;

static const flag flags[] = {
    {F_FILENAME, "-f", "--filename", "PATH", LOADS,
     "a file, a folder (read recursively: *.yaml, *.yml, *.json) or - for standard input; "
     "repeatable"},
    {F_POD_CIDR, NULL, "--pod-cidr", "CIDR", LOADS,
     "addresses for pods without status.podIP (default 10.244.0.0/16)"},
    {F_POD_LIMIT, NULL, "--pod-limit", "N", LOADS | PN_CMD_RUN,
     "the most pods in all, replicas included (default 200000)"},
    {F_STRICT, NULL, "--strict", NULL, LOADS, "unknown kinds are errors, not warnings"},
    {F_PORT, NULL, "--port", "PORT[/PROTO]", PN_CMD_REACH | PN_CMD_DIFF | PN_CMD_GRAPH,
     "a port to ask about (TCP when no protocol is given); repeatable (default: every port a "
     "pod declares)"},
    {F_ALL_PORTS, NULL, "--all-ports", NULL, PN_CMD_REACH | PN_CMD_DIFF,
     "answer over every protocol and port (connection sets; the default for -o table and md)"},
    {F_PORT, NULL, "--port", "PORT[/PROTO]", PN_CMD_TRACE,
     "the destination port (TCP when no protocol is given)"},
    {F_FROM, NULL, "--from", "SEL", PN_CMD_REACH,
     "only rows whose pod matches namespace/name (shell wildcards)"},
    {F_FROM, NULL, "--from", "NS/POD|IP|network/NAME|node/NAME", PN_CMD_TRACE,
     "the sending pod, an address outside the cluster (IP or external/IP), a RemoteNetwork, "
     "or a node itself"},
    {F_FROM, NULL, "--from", "NS/POD|node/NAME", PN_CMD_DNS,
     "the pod that resolves the name, or a node asking the cluster DNS (no search list)"},
    {F_TYPE, NULL, "--type", "A|AAAA|SRV|CNAME|PTR", PN_CMD_DNS,
     "the record type to ask for (default A; PTR takes an address)"},
    {F_TO, NULL, "--to", "SEL", PN_CMD_REACH,
     "only columns whose pod matches namespace/name (shell wildcards)"},
    {F_TO, NULL, "--to", "DEST", PN_CMD_TRACE,
     "NS/POD, svc/NS/NAME, network/NAME, an IPv4 address or a DNS name"},
    {F_SCENARIO, NULL, "--scenario", "FILE",
     PN_CMD_REACH | PN_CMD_TRACE | PN_CMD_DNS | PN_CMD_ROUTES | PN_CMD_LINT,
     "instead of -f: the world a scenario's timeline has made by --at"},
    {F_AT, NULL, "--at", "TIME",
     PN_CMD_REACH | PN_CMD_TRACE | PN_CMD_DNS | PN_CMD_ROUTES | PN_CMD_LINT,
     "with --scenario: the moment (30s, 2m)"},
    {F_VIA, NULL, "--via", "NODE", PN_CMD_TRACE,
     "the node traffic from outside the cluster arrives at"},
    {F_OUTPUT, "-o", "--output", "table|csv|json|md|count", PN_CMD_REACH,
     "the output format (default table)"},
    {F_OUTPUT, "-o", "--output", "table|csv|json|md", PN_CMD_DIFF,
     "the output format (default table)"},
    {F_OUTPUT, "-o", "--output", "text|json", RUNS, "the output format (default text)"},
    {F_OUTPUT, "-o", "--output", "text|json|sarif", PN_CMD_LINT,
     "the output format (default text; sarif: SARIF 2.1.0 for code scanning)"},
    {F_FAIL_ON, NULL, "--fail-on", "warning|error", PN_CMD_LINT,
     "exit 1 when a finding is at least this severe (default error; notes never fail)"},
    {F_EXPOSURE, NULL, "--exposure", NULL, PN_CMD_REACH,
     "per workload, who may reach it from outside its namespace and from outside the cluster "
     "(-o table or json)"},
    {F_OUTPUT, "-o", "--output", "json",
     PN_CMD_TRACE | PN_CMD_DNS | PN_CMD_IPAM_PLAN | PN_CMD_ROUTES,
     "the answer as JSON instead of text"},
    {F_OUTPUT, "-o", "--output", "FILE", PN_CMD_GRAPH,
     "FILE.svg, FILE.png or FILE.dot (the extension picks the format), or - for DOT on "
     "standard output"},
    {F_EXPLAIN, NULL, "--explain", NULL, PN_CMD_REACH,
     "with -o json: the policy and rule behind each answer"},
    {F_ENGINE, NULL, "--engine", "bitset|naive",
     PN_CMD_REACH | PN_CMD_TRACE | PN_CMD_DNS | PN_CMD_GRAPH | RUNS | PN_CMD_CHECK | PN_CMD_DIFF,
     "the bitset engine (default) or the per-pair reference evaluator"},
    {F_STATS, NULL, "--stats", NULL, PN_CMD_REACH,
     "print timings and peak memory on standard error"},
    {F_EXPECT, NULL, "--expect", "FILE", PN_CMD_CHECK, "the expectations to check"},
    {F_AGAINST, NULL, "--against", "PATH", PN_CMD_DIFF,
     "the new side of the comparison, as -f; repeatable"},
    {F_VIEW, NULL, "--view", "topology|reach|path", PN_CMD_GRAPH,
     "what to draw (default topology; path: one trace, with --from, --to and --port)"},
    {F_FROM, NULL, "--from", "NS/POD|IP|network/NAME", PN_CMD_GRAPH,
     "with --view path: the sender, as trace takes it"},
    {F_TO, NULL, "--to", "DEST", PN_CMD_GRAPH,
     "with --view path: the destination, as trace takes it"},
    {F_SEED, NULL, "--seed", "N", PN_CMD_GRAPH,
     "with --view path: the source port and the Service endpoint (default 1)"},
    {F_SEED, NULL, "--seed", "N", RUNS, "replaces the scenarios' seeds"},
    {F_SEED, NULL, "--seed", "N", PN_CMD_TRACE,
     "picks the source port and the Service endpoint (default 1)"},
    {F_VERBOSE, "-v", "--verbose", NULL, RUNS, "narrate every step and print passes"},
    {F_VERBOSE, "-v", "--verbose", NULL, PN_CMD_CHECK, "print passes too"},
    {F_JUNIT, NULL, "--junit", "FILE", RUNS, "write JUnit XML to FILE"},
    {F_DB, NULL, "--db", "FILE", PN_CMD_REACH | PN_CMD_CHECK | RUNS,
     "record the run in this SQLite results store"},
    {F_DB, NULL, "--db", "FILE", PN_CMD_DIFF | PN_CMD_HISTORY, "the SQLite results store to read"},
    {F_LIMIT, "-n", "--limit", "N", PN_CMD_HISTORY, "only the newest N runs"},
    {F_INSTANCE_TYPE, NULL, "--instance-type", "T", PN_CMD_IPAM_MAX_PODS,
     "an EC2 instance type such as m5.large; repeatable (default: all)"},
    {F_PREFIX_DELEGATION, NULL, "--prefix-delegation", NULL, PN_CMD_IPAM_MAX_PODS,
     "with prefix delegation (/28 prefixes per ENI slot)"},
    {F_CUSTOM_NETWORKING, NULL, "--custom-networking", NULL, PN_CMD_IPAM_MAX_PODS,
     "with custom networking (the primary ENI holds no pods)"},
    {F_VCPUS, NULL, "--vcpus", "N", PN_CMD_IPAM_MAX_PODS,
     "the instance's vCPUs: applies EKS's cap (110 pods up to 30 vCPUs, else 250)"},
    {F_SHOW_MAX_ALLOWED, NULL, "--show-max-allowed", NULL, PN_CMD_IPAM_MAX_PODS,
     "the formula's answer without the 110/250 cap (as max-pods-calculator.sh)"},
    {F_CNI_VERSION, NULL, "--cni-version", "VERSION", PN_CMD_IPAM_MAX_PODS,
     "the VPC CNI's version (1.9.0, v1.18.2-eksbuild.1): before 1.9 prefix delegation does not "
     "count (default: a current one)"},
    {F_SETTLE, NULL, "--settle", "DURATION", PN_CMD_IPAM_PLAN,
     "how long ipamd runs on the world before the plan (default 5m)"},
    {F_NODE, NULL, "--node", "NAME", PN_CMD_ROUTES,
     "the node whose ip rules and routing tables to print"},
    {F_POD, NULL, "--pod", "NS/NAME", PN_CMD_ROUTES,
     "the pod whose addresses, routes and neighbour entry to print"},
    {F_FROM_CLUSTER, NULL, "--from-cluster", NULL, LOADS,
     "read the cluster kubectl points at, as podnet snapshot does, in memory (diff: the old "
     "side)"},
    {F_CONTEXT, NULL, "--context", "NAME", PN_CMD_SNAPSHOT | LOADS,
     "kubectl's context to read (default: its current one)"},
    {F_NAMESPACE, "-n", "--namespace", "NS", PN_CMD_SNAPSHOT | LOADS,
     "only this namespace's pods, Services and policies (Namespaces and Nodes are all read)"},
    {F_ALL_NAMESPACES, "-A", "--all-namespaces", NULL, PN_CMD_SNAPSHOT | LOADS,
     "every namespace (the default)"},
    {F_AWS, NULL, "--aws", NULL, PN_CMD_SNAPSHOT | LOADS,
     "also describe the cluster's VPC with aws ec2 describe-* (read-only calls)"},
    {F_SNAPSHOT_OUTPUT, "-o", "--output", "FILE", PN_CMD_SNAPSHOT,
     "the file to write (- for standard output)"},
    {F_HELP, "-h", "--help", NULL, PN_CMD_ALL, "this help"},
};

#define FLAG_COUNT (sizeof flags / sizeof flags[0])

bool pn_tool_flag_at(size_t i, pn_tool_flag *out)
{
    if (i >= FLAG_COUNT)
        return false;
    *out = (pn_tool_flag){flags[i].short_name, flags[i].long_name, flags[i].value,
                          flags[i].commands, flags[i].help};
    return true;
}

int pn_tool_usage_error(const char *fmt, const char *arg)
{
    fputs("podnet: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\n(see podnet --help)\n", stderr);
    return PN_EXIT_USAGE;
}

/* Whether arg is name, or (for a flag with a value) name=value. */
static bool names(const char *arg, const char *name, bool takes_value)
{
    if (!name)
        return false;
    size_t n = strlen(name);
    return strncmp(arg, name, n) == 0 && (arg[n] == '\0' || (takes_value && arg[n] == '='));
}

/* The row of the flag arg names, preferring one that a command of bits accepts (bits 0: any);
 * NULL when arg names no flag. *name is the name it was given by. */
static const flag *find_flag(const char *arg, unsigned bits, const char **name)
{
    const flag *found = NULL;
    for (size_t i = 0; i < FLAG_COUNT; i++) {
        const flag *f = &flags[i];
        bool takes_value = f->value != NULL;
        bool by_short = names(arg, f->short_name, takes_value);
        if (!by_short && !names(arg, f->long_name, takes_value))
            continue;
        if (!found || (!(found->commands & bits) && (f->commands & bits))) {
            found = f;
            *name = by_short ? f->short_name : f->long_name;
        }
    }
    return found;
}

bool pn_tool_wants_help(int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        const char *name;
        const flag *f = find_flag(argv[i], 0, &name);
        if (f && f->id == F_HELP)
            return true;
        if (f && f->value && !strchr(argv[i], '='))
            i++; /* its value, whatever it looks like */
    }
    return false;
}

/* "reach" or "ipam plan", for messages. */
static void print_command_name(FILE *out, const pn_tool_command *cmd)
{
    fputs(cmd->name, out);
    if (cmd->sub)
        fprintf(out, " %s", cmd->sub);
}

/* The synopsis lines, the first after "usage: ", the others aligned under it. */
static void print_usage(FILE *out, const pn_tool_command *cmd)
{
    const char *line = cmd->synopsis;
    for (bool first = true; *line; first = false) {
        const char *end = strchr(line, '\n');
        int len = end ? (int)(end - line) : (int)strlen(line);
        fprintf(out, "%s%.*s\n", first ? "usage: " : "       ", len, line);
        line += len + (end ? 1 : 0);
    }
}

/* Prints text from column indent, wrapped at word boundaries before column 100, each line
 * after the first indented likewise. */
static void print_wrapped(FILE *out, const char *text, size_t indent)
{
    size_t column = indent;
    while (*text) {
        size_t word = strcspn(text, " ");
        if (column > indent && column + 1 + word > 100) {
            fprintf(out, "\n%*s", (int)indent, "");
            column = indent;
        }
        if (column > indent) {
            fputc(' ', out);
            column++;
        }
        fprintf(out, "%.*s", (int)word, text);
        column += word;
        text += word;
        text += strspn(text, " ");
    }
    fputc('\n', out);
}

void pn_tool_print_help(FILE *out, const pn_tool_command *cmd)
{
    print_usage(out, cmd);
    fprintf(out, "\n%s\n\noptions:\n", cmd->summary);
    size_t width = 0;
    char left[FLAG_COUNT][64];
    for (size_t i = 0; i < FLAG_COUNT; i++) {
        const flag *f = &flags[i];
        snprintf(left[i], sizeof left[i], "%s%s%s%s%s", f->short_name ? f->short_name : "  ",
                 f->short_name && f->long_name ? ", " : "  ", f->long_name ? f->long_name : "",
                 f->value ? " " : "", f->value ? f->value : "");
        if ((f->commands & cmd->bit) && strlen(left[i]) > width)
            width = strlen(left[i]);
    }
    for (size_t i = 0; i < FLAG_COUNT; i++)
        if (flags[i].commands & cmd->bit) {
            fprintf(out, "  %-*s  ", (int)width, left[i]);
            print_wrapped(out, flags[i].help, width + 4);
        }
}

/* Takes the value of flag name: "--flag value" or "--flag=value"; NULL when there is none. */
static const char *flag_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) == 0 && argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (*i + 1 >= argc)
        return NULL;
    return argv[++*i];
}

/* A flag the command does not take: the message, the command's usage, where to read more. */
static int not_an_option(const pn_tool_command *cmd, const char *name)
{
    fprintf(stderr, "podnet: %s is not an option of ", name);
    print_command_name(stderr, cmd);
    fputc('\n', stderr);
    print_usage(stderr, cmd);
    fputs("(see podnet help ", stderr);
    print_command_name(stderr, cmd);
    fputs(")\n", stderr);
    return PN_EXIT_USAGE;
}

/* Applies flag f (given as a, by name) to o, taking its value from argv. Returns PN_EXIT_OK
 * or PN_EXIT_USAGE after a message. */
static int apply(const flag *f, const char *a, const char *name, int argc, char **argv, int *i,
                 pn_tool_options *o)
{
    const char *v = f->value ? flag_value(argc, argv, i, name) : NULL;
    char *end = NULL;
    switch (f->id) {
    case F_FILENAME:
        if (!v)
            return pn_tool_usage_error("%s needs a path", a);
        o->paths[o->path_count++] = v;
        break;
    case F_INSTANCE_TYPE:
        if (!v)
            return pn_tool_usage_error("%s needs a type such as m5.large", a);
        o->instance_types[o->instance_type_count++] = v;
        break;
    case F_PREFIX_DELEGATION:
        o->prefix_delegation = true;
        break;
    case F_CUSTOM_NETWORKING:
        o->custom_networking = true;
        break;
    case F_VCPUS: {
        long n = v ? strtol(v, &end, 10) : 0;
        if (!v || *end || n < 1 || n > 100000)
            return pn_tool_usage_error("--vcpus takes a positive number%s", "");
        o->vcpus = (int)n;
        break;
    }
    case F_SHOW_MAX_ALLOWED:
        o->show_max_allowed = true;
        break;
    case F_CNI_VERSION:
        if (!(o->cni_version = v))
            return pn_tool_usage_error("%s needs a version such as 1.18.2", a);
        break;
    case F_SETTLE:
        /* ipamd publishes a node's figures at its first pool check, so 0 is refused. */
        if (!v || pn_time_parse(v, &o->aws_settle) != 0 || o->aws_settle <= 0)
            return pn_tool_usage_error("--settle takes a duration above 0 (30s, 5m), not \"%s\"",
                                       v ? v : "");
        break;
    case F_SCENARIO:
        if (!(o->scenario = v))
            return pn_tool_usage_error("%s needs a scenario file", a);
        break;
    case F_AT:
        if (!(o->at = v))
            return pn_tool_usage_error("%s needs a time (30s, 2m)", a);
        break;
    case F_VIA:
        if (!(o->via = v))
            return pn_tool_usage_error("%s needs a node name", a);
        break;
    case F_NODE:
        if (!(o->node = v))
            return pn_tool_usage_error("%s needs a node name", a);
        break;
    case F_TYPE:
        if (!(o->dns_type = v))
            return pn_tool_usage_error("%s takes A, AAAA, SRV, CNAME or PTR", a);
        break;
    case F_POD:
        if (!(o->pod = v) || !strchr(v, '/'))
            return pn_tool_usage_error("%s needs a pod (namespace/name)", a);
        break;
    case F_VIEW:
        if (!(o->view = v))
            return pn_tool_usage_error("%s takes topology or reach", a);
        break;
    case F_AGAINST:
        if (!v)
            return pn_tool_usage_error("%s needs a path", a);
        o->against[o->against_count++] = v;
        break;
    case F_PORT:
        if (!v)
            return pn_tool_usage_error("%s needs PORT[/PROTOCOL]", a);
        if (pn_port_parse(v, &o->ports[o->port_count]) != 0)
            return pn_tool_usage_error(
                "\"%s\" is not a port (1-65535, optionally /TCP, /UDP or /SCTP)", v);
        o->port_count++;
        break;
    case F_FROM:
    case F_TO: {
        bool from = f->id == F_FROM;
        if (!v)
            return pn_tool_usage_error("%s needs a pod selector (ns/pod)", a);
        pn_ipv4 from_ip;
        if (!strchr(v, '/') && from && pn_ipv4_parse(v, &from_ip) != 0)
            return pn_tool_usage_error("\"%s\" is not a pod selector (namespace/pod, * wildcards)",
                                       v);
        *(from ? &o->from : &o->to) = v;
        break;
    }
    case F_OUTPUT:
        if (!v)
            return pn_tool_usage_error("-o needs a value%s", "");
        o->output = v; /* graph takes a file; the others a format, checked here */
        o->text_output = strcmp(v, "text") == 0;
        if (f->commands == PN_CMD_LINT) {
            if (!o->text_output && strcmp(v, "json") != 0 && strcmp(v, "sarif") != 0)
                return pn_tool_usage_error("-o takes text, json or sarif, not \"%s\"", v);
            break;
        }
        if (!o->text_output && pn_format_parse(v, &o->format) != 0 && !pn_render_format_of(v) &&
            strcmp(v, "-") != 0)
            return pn_tool_usage_error("-o takes table, csv, json, md or count (graph: a .svg, "
                                       ".png or .dot file, or -)%s",
                                       "");
        break;
    case F_ENGINE:
        if (v && strcmp(v, "bitset") == 0)
            o->engine = PN_ENGINE_BITSET;
        else if (v && strcmp(v, "naive") == 0)
            o->engine = PN_ENGINE_NAIVE;
        else
            return pn_tool_usage_error("--engine takes bitset or naive%s", "");
        break;
    case F_EXPECT:
        if (!(o->expect = v))
            return pn_tool_usage_error("%s needs a file", a);
        break;
    case F_POD_CIDR:
        if (!(o->pod_cidr = v))
            return pn_tool_usage_error("%s needs a CIDR", a);
        break;
    case F_POD_LIMIT: {
        long long n = v ? strtoll(v, &end, 10) : -1;
        if (!v || !*v || *end || n < 1 || n > PN_WORLD_POD_LIMIT_MAX)
            return pn_tool_usage_error("--pod-limit takes a number from 1 to 100000000%s", "");
        o->pod_limit = n;
        break;
    }
    case F_DB:
        if (!(o->db = v))
            return pn_tool_usage_error("%s needs a file", a);
        break;
    case F_LIMIT: {
        long n = v ? strtol(v, &end, 10) : -1;
        if (!v || *end || n < 1)
            return pn_tool_usage_error("-n takes a positive number%s", "");
        o->history = (size_t)n;
        break;
    }
    case F_JUNIT:
        if (!(o->junit = v))
            return pn_tool_usage_error("%s needs a file", a);
        break;
    case F_SEED: {
        errno = 0; /* a seed past 2^64 - 1 is refused, not clamped */
        unsigned long long seed = v ? strtoull(v, &end, 10) : 0;
        if (!v || !*v || *end || v[0] == '-' || errno == ERANGE)
            return pn_tool_usage_error("--seed takes an integer from 0 to 18446744073709551615%s",
                                       "");
        o->seed = seed;
        o->seed_set = true;
        break;
    }
    case F_EXPLAIN:
        o->explain = true;
        break;
    case F_STATS:
        o->stats = true;
        break;
    case F_ALL_PORTS:
        o->all_ports = true;
        break;
    case F_STRICT:
        o->strict = true;
        break;
    case F_VERBOSE:
        o->verbose = true;
        break;
    case F_FAIL_ON:
        if (v && strcmp(v, "warning") == 0)
            o->fail_on = PN_LINT_WARNING;
        else if (v && strcmp(v, "error") == 0)
            o->fail_on = PN_LINT_ERROR;
        else
            return pn_tool_usage_error("--fail-on takes warning or error, not \"%s\"", v ? v : "");
        o->fail_on_set = true;
        break;
    case F_EXPOSURE:
        o->exposure = true;
        break;
    case F_FROM_CLUSTER:
        o->from_cluster = true;
        o->paths[o->path_count++] = pn_tool_cluster_path; /* read where -f's paths are */
        break;
    case F_CONTEXT:
        if (!(o->context = v))
            return pn_tool_usage_error("%s needs a kubectl context", a);
        break;
    case F_NAMESPACE:
        if (!(o->namespace = v))
            return pn_tool_usage_error("%s needs a namespace", a);
        break;
    case F_ALL_NAMESPACES:
        o->all_namespaces = true;
        break;
    case F_AWS:
        o->aws = true;
        break;
    case F_SNAPSHOT_OUTPUT:
        if (!(o->output = v))
            return pn_tool_usage_error("%s needs a file (or - for standard output)", a);
        break;
    case F_HELP: /* answered before parsing (pn_tool_wants_help) */
        break;
    }
    return PN_EXIT_OK;
}

int pn_tool_parse(const pn_tool_command *cmd, int argc, char **argv, pn_tool_options *o)
{
    o->paths = calloc((size_t)argc + 1, sizeof *o->paths);
    o->ports = calloc((size_t)argc + 1, sizeof *o->ports);
    o->args = calloc((size_t)argc + 1, sizeof *o->args);
    o->against = calloc((size_t)argc + 1, sizeof *o->against);
    o->instance_types = calloc((size_t)argc + 1, sizeof *o->instance_types);
    if (!o->paths || !o->ports || !o->args || !o->against || !o->instance_types)
        return pn_tool_usage_error("%s", "out of memory");
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *name = NULL;
        const flag *f = find_flag(a, cmd->bit, &name);
        if (!f && (a[0] != '-' || strcmp(a, "-") == 0)) {
            o->args[o->arg_count++] = a;
            continue;
        }
        if (!f)
            return pn_tool_usage_error("unknown option \"%s\"", a);
        if (!(f->commands & cmd->bit))
            return not_an_option(cmd, name);
        int status = apply(f, a, name, argc, argv, &i, o);
        if (status != PN_EXIT_OK)
            return status;
    }
    /* --at is a moment of a scenario: without one it would be silently ignored. */
    if (o->at && !o->scenario)
        return pn_tool_usage_error("--at %s needs --scenario FILE (the moment of its timeline)",
                                   o->at);
    /* The cluster's flags say how to read it: without --from-cluster they would do nothing. */
    if ((o->context || o->namespace || o->all_namespaces || o->aws) && !o->from_cluster &&
        cmd->bit != PN_CMD_SNAPSHOT)
        return pn_tool_usage_error(
            "--context, --namespace, -A and --aws say how to read a cluster: add --from-cluster%s",
            "");
    return PN_EXIT_OK;
}

void pn_tool_options_free(pn_tool_options *o)
{
    free(o->instance_types);
    free(o->against);
    free(o->args);
    free(o->paths);
    free(o->ports);
}
