/* tool — what the files of the podnet command line share: the parsed options, the command
 * table's entry type, the flag table's interface (tool_opts.c) and the helpers every command
 * uses (tool_session.c). Only sim/tool includes it. */
#ifndef PN_TOOL_H
#define PN_TOOL_H

#include "sim/base/diag.h"
#include "sim/input/load.h"
#include "sim/output/lint_report.h"
#include "sim/output/report.h"
#include "sim/query/reach.h"
#include "sim/run/session.h"
#include "sim/world/world.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum { PN_EXIT_OK = 0, PN_EXIT_FAILED = 1, PN_EXIT_USAGE = 2 };

/* One bit per command (and per subcommand that takes its own flags): the flag table says with
 * them which commands accept a flag. */
enum {
    PN_CMD_REACH = 1 << 0,
    PN_CMD_TRACE = 1 << 1,
    PN_CMD_DNS = 1 << 2,
    PN_CMD_GRAPH = 1 << 3,
    PN_CMD_RUN = 1 << 4,
    PN_CMD_CHECK = 1 << 5,
    PN_CMD_DIFF = 1 << 6,
    PN_CMD_HISTORY = 1 << 7,
    PN_CMD_IPAM_MAX_PODS = 1 << 8,
    PN_CMD_IPAM_PLAN = 1 << 9,
    PN_CMD_LAB_LIST = 1 << 10,
    PN_CMD_LAB_RUN = 1 << 11,
    PN_CMD_ROUTES = 1 << 12,
    PN_CMD_LINT = 1 << 13,
    PN_CMD_SNAPSHOT = 1 << 14,
    PN_CMD_COMPLETION = 1 << 15,
    PN_CMD_MAN = 1 << 16,
    PN_CMD_IPAM = PN_CMD_IPAM_MAX_PODS | PN_CMD_IPAM_PLAN,
    PN_CMD_LAB = PN_CMD_LAB_LIST | PN_CMD_LAB_RUN,
    PN_CMD_ALL = (1 << 17) - 1,
};

/* Everything the command line said. The arrays point into argv (or are allocated by
 * pn_tool_parse and freed by pn_tool_options_free). */
typedef struct {
    const char **paths; /* -f */
    size_t path_count;
    const char **against; /* diff: the new side */
    size_t against_count;
    pn_port *ports; /* --port, in the order given */
    size_t port_count;
    const char *from, *to; /* --from, --to */
    const char *expect;    /* check: --expect FILE */
    const char *pod_cidr;  /* --pod-cidr */
    int64_t pod_limit;     /* --pod-limit; 0: the default */
    const char *junit;     /* run: --junit FILE */
    const char *db;        /* --db: the results store */
    size_t history;        /* history -n */
    const char **args;     /* positional arguments (run: scenario files) */
    size_t arg_count;
    bool seed_set; /* --seed given */
    uint64_t seed;
    bool text_output;     /* run: -o text */
    const char *output;   /* graph: -o FILE (or -) */
    const char *view;     /* graph: --view */
    const char *via;      /* trace: the node external traffic arrives at */
    const char *node;     /* routes: --node NAME */
    const char *pod;      /* routes: --pod NS/NAME */
    const char *dns_type; /* dns: --type A|AAAA|SRV|CNAME|PTR */
    const char *scenario; /* --scenario FILE, answered --at a moment of its timeline */
    const char *at;       /* --at TIME */
    pn_format format;     /* -o as a report format */
    pn_reach_engine engine;
    bool explain, strict, verbose, stats;
    bool all_ports;                            /* reach, diff: --all-ports */
    bool prefix_delegation, custom_networking; /* ipam max-pods */
    int vcpus;                                 /* ipam max-pods --vcpus */
    bool show_max_allowed;                     /* ipam max-pods --show-max-allowed */
    const char *cni_version;                   /* ipam max-pods --cni-version */
    pn_time aws_settle;          /* ipam plan --settle DURATION; 0: the session's default (5m) */
    const char **instance_types; /* ipam max-pods --instance-type */
    size_t instance_type_count;
    bool exposure;         /* reach --exposure */
    bool fail_on_set;      /* lint: --fail-on given */
    int fail_on;           /* lint --fail-on: a pn_lint_severity (default error) */
    bool from_cluster;     /* --from-cluster: read the cluster through kubectl (tool_snapshot.c) */
    const char *context;   /* --context: kubectl's context */
    const char *namespace; /* --namespace: only this namespace's namespaced kinds */
    bool all_namespaces;   /* -A (the default) */
    bool aws;              /* --aws: the VPC through aws ec2 describe-* */
} pn_tool_options;

/* A command (or subcommand) of the table in main.c. */
typedef struct {
    const char *name;     /* "reach", "ipam" */
    const char *sub;      /* "plan" for podnet ipam plan; NULL for the command itself */
    unsigned bit;         /* its PN_CMD_ bit (or bits: a command with subcommands) */
    const char *synopsis; /* usage lines after "podnet ", newline-separated */
    const char *summary;  /* what it does, one or more lines */
    int (*run)(const pn_tool_options *o);
} pn_tool_command;

/* tool_opts.c: the flag table. */

/* Parses the arguments after the command name against the flag table for cmd, into o (which
 * starts zeroed). A flag cmd does not accept is a usage error naming both. Returns PN_EXIT_OK,
 * or PN_EXIT_USAGE after printing the problem. */
int pn_tool_parse(const pn_tool_command *cmd, int argc, char **argv, pn_tool_options *o);

/* Whether -h or --help stands among args in the place of a flag. */
bool pn_tool_wants_help(int argc, char **argv);

/* One row of the flag table, for the generators of completion scripts and the man page. */
typedef struct {
    const char *short_name, *long_name; /* "-f", "--filename"; either may be NULL */
    const char *value;                  /* the value's name ("PATH", "table|csv"), or NULL */
    unsigned commands;                  /* PN_CMD_ bits of the commands that accept it */
    const char *help;                   /* one line */
} pn_tool_flag;

/* Row i of the flag table into *f; false past its end. */
bool pn_tool_flag_at(size_t i, pn_tool_flag *f);

/* The command table of main.c and its length. */
const pn_tool_command *pn_tool_commands(size_t *count);

/* The text of podnet --help. */
const char *pn_tool_usage_text(void);

/* The path --from-cluster puts among -f's paths (compared by address): pn_tool_load reads the
 * cluster there. */
extern const char pn_tool_cluster_path[];

/* Prints cmd's usage, summary and the flags it accepts (from the flag table). */
void pn_tool_print_help(FILE *out, const pn_tool_command *cmd);

void pn_tool_options_free(pn_tool_options *o);

/* Prints "podnet: " and the message (fmt with one string argument) and a pointer to --help on
 * standard error. Returns PN_EXIT_USAGE. */
int pn_tool_usage_error(const char *fmt, const char *arg);

/* tool_session.c: helpers the commands share. */

/* Reads paths into a settled world (pn_session_load with the -f options), printing the
 * problems. docs is filled for recording (hashed when --db is given). Returns NULL after
 * printing. */
pn_world *pn_tool_load(const pn_tool_options *o, const char *const *paths, size_t count,
                       pn_documents *docs);

/* What a command does with a world, returning its exit status. */
typedef int (*pn_tool_world_command)(const pn_tool_options *o, pn_world *w);

/* Runs fn on the world of -f or, with --scenario, on the one its timeline has made --at. */
int pn_tool_with_world(const pn_tool_options *o, pn_tool_world_command fn);

/* --scenario FILE --at TIME: runs fn on the world the timeline has made by then. */
int pn_tool_at_moment(const pn_tool_options *o, pn_tool_world_command fn);

/* The ports a command asks about: --port, or every port a pod of the worlds declares,
 * ordered by number then protocol. Caller frees. */
pn_port *pn_tool_ports_to_ask(const pn_tool_options *o, pn_world *const *worlds, size_t world_count,
                              size_t *count);

/* Starts recording in --db when given (rec is empty otherwise). Returns 0, or -1 after
 * printing the problem. */
int pn_tool_record_begin(const pn_tool_options *o, const char *command, bool has_seed,
                         uint64_t seed, pn_session_record *rec);

/* Ends the record. Returns 0, or -1 after printing the problem. */
int pn_tool_record_end(pn_session_record *rec, int rc, size_t passed, size_t failed);

/* Opens --db for reading, printing the problem when it cannot. */
pn_store *pn_tool_open_store(const char *path);

/* The commands, one file each. */
int pn_tool_reach(const pn_tool_options *o);
int pn_tool_trace(const pn_tool_options *o);
int pn_tool_dns(const pn_tool_options *o);
int pn_tool_graph(const pn_tool_options *o);
int pn_tool_run(const pn_tool_options *o);
int pn_tool_check(const pn_tool_options *o);
int pn_tool_diff(const pn_tool_options *o);
int pn_tool_history(const pn_tool_options *o);
int pn_tool_ipam(const pn_tool_options *o);
int pn_tool_lab(const pn_tool_options *o);
int pn_tool_routes(const pn_tool_options *o);
int pn_tool_lint(const pn_tool_options *o);
int pn_tool_snapshot(const pn_tool_options *o);
int pn_tool_completion(const pn_tool_options *o);
int pn_tool_man(const pn_tool_options *o);

/* tool_snapshot.c: --from-cluster. Reads the cluster kubectl points at (with o's --context,
 * --namespace, --aws) into docs, its nodes in arena. Returns 0, or -1 after printing what
 * failed (kubectl missing, a forbidden resource, an unreachable server). */
int pn_tool_cluster_load(const pn_tool_options *o, pn_arena *arena, pn_diags *diags,
                         pn_documents *docs);

#endif
