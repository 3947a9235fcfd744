/* main — the podnet command line: the command table and the dispatch. Each command lives in
 * its own tool_<command>.c; the flags in tool_opts.c's table; the policy they share in
 * sim/run/session.c. */
#include "sim/tool/tool.h"

#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <string.h>

static const char usage_text[] =
    "usage: podnet COMMAND [options]\n"
    "\n"
    "answers:\n"
    "  reach -f PATH...   all-pairs reachability (connection sets, truth tables)\n"
    "        [--port PORT[/PROTO]]... [--from SEL] [--to SEL]\n"
    "        [-o table|csv|json|md|count] [--explain] [--engine bitset|naive] [--stats]\n"
    "  trace -f PATH... --from NS/POD --to NS/POD|svc/NS/NAME|IP|NAME --port P\n"
    "        [--seed N] [-o json]        one connection hop by hop; exit 1 when dropped\n"

    "        (--from IP --to svc/NS/NAME [--via NODE]: a client outside the cluster through a\n"
    "        NodePort or LoadBalancer Service; --from network/NAME: a RemoteNetwork)\n"
    "  routes -f PATH... --node NAME|--pod NS/NAME [-o json]\n"
    "                                   ip rules and routes as the VPC CNI leaves them\n"
    "  dns -f PATH... --from NS/POD NAME   a pod's DNS resolution, query by query\n"
    "  graph -f PATH... [--view topology|reach] [--port P]... -o FILE.svg|.png|.dot|-\n"
    "                                   diagrams, rendered by Graphviz\n"
    "  reach, trace, dns and routes take --scenario FILE --at TIME instead of -f: the world a\n"
    "        scenario's timeline has made by then\n"
    "tests:\n"
    "  run SCENARIO...    replay scenarios on the virtual clock and check their expectations;\n"
    "        exit 1 if any fails   [-v] [--junit FILE] [-o text|json] [--seed N]\n"
    "  check -f PATH... --expect FILE   expectations without a timeline; exit 1 if any fails\n"
    "        [--engine bitset|naive] [-v]\n"
    "  diff -f OLD... --against NEW...  connectivity that changed between two worlds\n"
    "        [--port PORT[/PROTO]]... [-o table|csv|json|md]\n"
    "  diff --db FILE RUN_A RUN_B       the same between two runs recorded by reach --db\n"
    "  lint -f PATH... [-o text|json|sarif] [--fail-on warning|error]\n"
    "                                   policy review: findings at file:line:column; exit 1\n"
    "                                   when one is at least --fail-on (default error)\n"
    "  history --db FILE [-n N]         recorded runs, newest first\n"
    "AWS:\n"
    "  ipam max-pods [--instance-type T]... [--prefix-delegation] [--custom-networking]\n"
    "        [--vcpus N] [--show-max-allowed] [--cni-version V]\n"
    "                                   EKS max-pods per instance type (CSV)\n"
    "  ipam plan -f PATH... [-o json] [--settle DURATION]\n"
    "                                   address capacity: nodes, subnets, what runs out first\n"
    "clusters:\n"
    "  snapshot [--context C] [--namespace N | -A] [--aws] -o FILE\n"
    "                                   the live cluster through kubectl, as one List file;\n"
    "        every command that takes -f also takes --from-cluster (the same, in memory)\n"
    "learning:\n"
    "  lab list | lab run NAME          the training labs, narrated\n"
    "  version                          print the version\n"
    "  completion bash|zsh|fish         a shell completion script\n"
    "  man                              this manual as a man page (roff)\n"
    "  help COMMAND [SUBCOMMAND]        a command's usage and every flag it takes (also:\n"
    "                                   podnet COMMAND --help)\n"
    "\n"
    "common options:\n"
    "  -f PATH            a file, a folder (read recursively: *.yaml, *.yml, *.json) or - for\n"
    "                     standard input; repeatable\n"
    "  --pod-cidr CIDR    addresses for pods without status.podIP (default 10.244.0.0/16)\n"
    "  --strict           unknown kinds are errors, not warnings\n"
    "  --stats            print timings and peak memory on standard error\n"
    "  --db FILE          record the run (run, check, reach) in an SQLite results store\n"
    "\n"
    "A flag a command does not take is an error (exit 2).\n"
    "SEL is namespace/pod with shell wildcards (x/*, */web-?). Pods are named namespace/name.\n"
    "Exit status: 0 success, 1 expectations failed (trace: dropped), 2 bad input or usage.\n";

/* The commands. An entry with sub set is a subcommand with flags of its own; the entry without
 * sub before it stands for them all. */
static const pn_tool_command commands[] = {
    {"reach", NULL, PN_CMD_REACH,
     "podnet reach -f PATH... [--port PORT[/PROTO]... | --all-ports] [--from SEL] [--to SEL]\n"
     "             [-o table|csv|json|md|count] [--explain] [--engine bitset|naive] [--stats]\n"
     "             [--db FILE]\n"
     "podnet reach -f PATH... --exposure [-o table|json]\n"
     "podnet reach --scenario FILE --at TIME [options]",
     "All-pairs reachability: for every ordered pair of pods, the connections allowed over\n"
     "every protocol and port (a set per pair), or with --port whether each port is (the\n"
     "truth table).",
     pn_tool_reach},
    {"trace", NULL, PN_CMD_TRACE,
     "podnet trace -f PATH... --from NS/POD --to NS/POD|svc/NS/NAME|IP|NAME --port P\n"
     "             [--seed N] [-o json]\n"
     "podnet trace -f PATH... --from IP|external/IP --to svc/NS/NAME --port P [--via NODE]\n"
     "podnet trace -f PATH... --from network/NAME --to NS/POD|IP --port P\n"
     "podnet trace -f PATH... --from node/NAME --to NS/POD|svc/NS/NAME|IP|NAME --port P\n"
     "podnet trace --scenario FILE --at TIME --from ... --to ... --port P",
     "One connection, hop by hop. Exit 0 when delivered, 1 when dropped or refused.",
     pn_tool_trace},
    {"routes", NULL, PN_CMD_ROUTES,
     "podnet routes -f PATH... --node NAME|--pod NS/NAME [-o json]\n"
     "podnet routes --scenario FILE --at TIME --node NAME|--pod NS/NAME [-o json]",
     "A node's ip rules and routing tables, or a pod's own addresses, routes and neighbour\n"
     "entry, as the VPC CNI leaves them (ip command syntax). Needs an AWS world.",
     pn_tool_routes},
    {"dns", NULL, PN_CMD_DNS,
     "podnet dns -f PATH... --from NS/POD|node/NAME [--type A|AAAA|SRV|CNAME|PTR] [-o json]\n"
     "           NAME\n"
     "podnet dns --scenario FILE --at TIME --from NS/POD|node/NAME NAME",
     "How a pod (or a node) resolves a name, query by query, as CoreDNS answers it. Exit 1\n"
     "when nothing answers or policy drops the lookup.",
     pn_tool_dns},
    {"graph", NULL, PN_CMD_GRAPH,
     "podnet graph -f PATH... [--view topology|reach] [--port PORT[/PROTO]]...\n"
     "             -o FILE.svg|FILE.png|FILE.dot|-\n"
     "podnet graph -f PATH... --view path --from A --to B --port P -o FILE.svg|.png|.dot|-",
     "Draws the topology or the reachability between workloads with Graphviz (-o - writes DOT\n"
     "to standard output).",
     pn_tool_graph},
    {"run", NULL, PN_CMD_RUN,
     "podnet run SCENARIO... [-v] [--junit FILE] [-o text|json] [--seed N]\n"
     "           [--engine bitset|naive] [--db FILE]",
     "Replays scenarios on the virtual clock and checks their expectations. Exit 1 when any\n"
     "fails.",
     pn_tool_run},
    {"check", NULL, PN_CMD_CHECK,
     "podnet check -f PATH... --expect FILE [--engine bitset|naive] [-v] [--db FILE]",
     "Checks expectations against a cluster, without a timeline. Exit 1 when any fails.",
     pn_tool_check},
    {"diff", NULL, PN_CMD_DIFF,
     "podnet diff -f OLD... --against NEW... [--port PORT[/PROTO]... | --all-ports]\n"
     "            [-o table|csv|json|md]\n"
     "podnet diff --db FILE RUN_A RUN_B [-o table|csv|json|md]",
     "The pod pairs whose connectivity changed between two worlds (over every protocol and\n"
     "port, or with --port on those ports), or between two tables recorded with\n"
     "podnet reach --db.",
     pn_tool_diff},
    {"lint", NULL, PN_CMD_LINT,
     "podnet lint -f PATH... [-o text|json|sarif] [--fail-on warning|error]\n"
     "podnet lint --scenario FILE --at TIME [options]",
     "Reviews the NetworkPolicies for mistakes no single connection shows, each at the\n"
     "file:line:column of the field at fault with a fix hint, and prints who may reach each\n"
     "workload from outside (docs/lint.md). Exit 1 when a finding is at least --fail-on.",
     pn_tool_lint},
    {"history", NULL, PN_CMD_HISTORY, "podnet history --db FILE [-n N]",
     "The runs recorded in a results store, newest first.", pn_tool_history},
    {"ipam", NULL, PN_CMD_IPAM,
     "podnet ipam max-pods [--instance-type T]... [--prefix-delegation] [--custom-networking]\n"
     "                     [--vcpus N] [--show-max-allowed] [--cni-version VERSION]\n"
     "podnet ipam plan -f PATH... [-o json] [--settle DURATION]",
     "The VPC CNI's addresses: EKS max-pods per instance type, and the address capacity of\n"
     "nodes and subnets.",
     pn_tool_ipam},
    {"ipam", "max-pods", PN_CMD_IPAM_MAX_PODS,
     "podnet ipam max-pods [--instance-type T]... [--prefix-delegation] [--custom-networking]\n"
     "                     [--vcpus N] [--show-max-allowed] [--cni-version VERSION]",
     "The EKS max-pods of instance types (all of them by default), as CSV.", pn_tool_ipam},
    {"ipam", "plan", PN_CMD_IPAM_PLAN, "podnet ipam plan -f PATH... [-o json] [--settle DURATION]",
     "Address capacity: nodes, subnets, and what runs out first.", pn_tool_ipam},
    {"lab", NULL, PN_CMD_LAB, "podnet lab list\npodnet lab run NAME [run's options]",
     "The training labs: list them, or run one narrated (podnet run -v).", pn_tool_lab},
    {"lab", "list", PN_CMD_LAB_LIST, "podnet lab list",
     "Each lab with the first sentence of its description.", pn_tool_lab},
    {"lab", "run", PN_CMD_LAB_RUN, "podnet lab run NAME [run's options]",
     "Runs a lab narrated, as podnet run -v does.", pn_tool_lab},
    {"snapshot", NULL, PN_CMD_SNAPSHOT,
     "podnet snapshot [--context NAME] [--namespace NS | -A] [--aws] -o FILE|-",
     "Reads the cluster your kubectl points at (read-only: get, version, config\n"
     "current-context): Namespaces, Nodes, Pods, Services, EndpointSlices, NetworkPolicies,\n"
     "ENIConfigs, SecurityGroupPolicies and the aws-node DaemonSet, never Secrets or\n"
     "ConfigMaps; and writes them as one List, its metadata recording the context, the\n"
     "server's version and the time. With --aws also the VPC, through aws ec2 describe-*.\n"
     "podnet reads the file back with -f; --from-cluster does the same in memory.",
     pn_tool_snapshot},
    {"completion", NULL, PN_CMD_COMPLETION, "podnet completion bash|zsh|fish",
     "A completion script for the shell, generated from the command and flag tables:\n"
     "  source <(podnet completion bash)",
     pn_tool_completion},
    {"man", NULL, PN_CMD_MAN, "podnet man",
     "The manual page podnet.1 (roff), generated from the command and flag tables:\n"
     "  podnet man > podnet.1 && man -l podnet.1",
     pn_tool_man},
};

#define COMMAND_COUNT (sizeof commands / sizeof commands[0])

const pn_tool_command *pn_tool_commands(size_t *count)
{
    *count = COMMAND_COUNT;
    return commands;
}

const char *pn_tool_usage_text(void)
{
    return usage_text;
}

/* The entry for name (and sub, when it names one of its subcommands), or NULL. */
static const pn_tool_command *find_command(const char *name, const char *sub)
{
    const pn_tool_command *found = NULL;
    for (size_t i = 0; i < COMMAND_COUNT; i++) {
        if (strcmp(commands[i].name, name) != 0)
            continue;
        if (!commands[i].sub && !found)
            found = &commands[i];
        else if (commands[i].sub && sub && strcmp(commands[i].sub, sub) == 0)
            return &commands[i];
    }
    return found;
}

/* podnet help [COMMAND [SUBCOMMAND]]. */
static int help(int argc, char **argv)
{
    if (argc == 0) {
        fputs(usage_text, stdout);
        return PN_EXIT_OK;
    }
    const pn_tool_command *cmd = find_command(argv[0], argc > 1 ? argv[1] : NULL);
    if (!cmd)
        return pn_tool_usage_error("unknown command \"%s\"", argv[0]);
    if (argc > 1 && (!cmd->sub || argc > 2))
        return pn_tool_usage_error("help takes a command and its subcommand, not \"%s\"",
                                   argv[argc - 1]);
    pn_tool_print_help(stdout, cmd);
    return PN_EXIT_OK;
}

static int run(int argc, char **argv);

/* Every command's standard output is checked once at the end (buffered writes fail late): a
 * full disk or a closed pipe is exit 2 with the reason, never a silent 0. */
/* Large blocks (arena blocks, bitset tables) from the heap rather than one mmap each: memory
 * freed by one phase (the JSON parser's pool, a port's table) is then reused by the next
 * instead of being unmapped and faulted in again page by page — a third of a large load's
 * time went to page faults. */
static void tune_malloc(void)
{
#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
}

int main(int argc, char **argv)
{
    tune_malloc();
    int status = run(argc, argv);
    errno = 0;
    bool failed = fflush(stdout) != 0 || ferror(stdout);
    if (failed) {
        /* A write that failed while the command ran leaves no errno behind. */
        fprintf(stderr, "podnet: cannot write standard output: %s\n",
                errno ? strerror(errno) : "a write failed (a full disk, or a reader gone)");
        return PN_EXIT_USAGE;
    }
    return status;
}

static int run(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_text, stderr);
        return PN_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0)
        return help(0, NULL);
    if (strcmp(name, "help") == 0)
        return help(argc - 2, argv + 2);
    if (strcmp(name, "version") == 0 || strcmp(name, "--version") == 0) {
        printf("podnet %s\n", PN_VERSION);
        return PN_EXIT_OK;
    }
    const pn_tool_command *cmd = find_command(name, argc > 2 ? argv[2] : NULL);
    if (!cmd)
        return pn_tool_usage_error("unknown command \"%s\"", name);
    if (pn_tool_wants_help(argc - 2, argv + 2)) {
        pn_tool_print_help(stdout, cmd);
        return PN_EXIT_OK;
    }
    pn_tool_options o = {0};
    int status = pn_tool_parse(cmd, argc - 2, argv + 2, &o);
    if (status == PN_EXIT_OK)
        status = cmd->run(&o);
    pn_tool_options_free(&o);
    return status;
}
