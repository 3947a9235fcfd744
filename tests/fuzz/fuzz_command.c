/* fuzz_command — libFuzzer target for the commands that answer questions about a loaded
 * world: trace, dns and reach, as the command line runs them (the flag table's parser, then
 * the command), on shipped worlds. The first byte picks the command and the world; the rest,
 * cut at newlines, are the arguments after the world's -f flags (--from, --to, --port, -o,
 * a DNS name, --at ...).
 *
 * Arguments that would make a command read or write other files (-f, --db, --scenario) are
 * dropped: what files do to podnet is fuzz_load's and fuzz_store's business, and a harness
 * that may record into a database or walk / by accident fuzzes the file system, not podnet.
 *
 * Built and run by tests/fuzz/run.sh (from the repository's root: the worlds are read by
 * path). A crash, a sanitizer report or a leak here is a bug in podnet (or this harness). */
#include "sim/tool/tool.h"
#include "tests/fuzz/fuzzkit.h"

#include <string.h>

/* The worlds, as -f arguments (NULL-terminated lists), and one scenario for --at. */
static const char *const worlds[][5] = {
    {"scenarios/ci/three-tier/manifests", "scenarios/labs/services/services.yaml", NULL},
    {"scenarios/ci/aws-network-changes/vpc.yaml", "scenarios/ci/aws-network-changes/cluster.yaml",
     NULL},
    {"scenarios/labs/pods-to-internet/vpc.yaml", "scenarios/labs/pods-to-internet/cluster.yaml",
     NULL},
    {"scenarios/labs/node-local-services/cluster.yaml", NULL},
};
#define WORLD_COUNT (sizeof worlds / sizeof worlds[0])
#define SCENARIO "scenarios/labs/services/scenario.yaml"

static const pn_tool_command commands[] = {
    {"trace", NULL, PN_CMD_TRACE, "", "", pn_tool_trace},
    {"dns", NULL, PN_CMD_DNS, "", "", pn_tool_dns},
    {"reach", NULL, PN_CMD_REACH, "", "", pn_tool_reach},
};
#define COMMAND_COUNT (sizeof commands / sizeof commands[0])

#define MAX_ARGS 24

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    /* The commands print their answers on standard output. */
    if (!freopen("/dev/null", "w", stdout))
        abort();
    return 0;
}

/* Whether a argument names one of the flags this harness keeps for itself. */
static bool reserved(const char *a)
{
    static const char *const names[] = {"-f", "--filename", "--db", "--scenario"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t n = strlen(names[i]);
        if (strncmp(a, names[i], n) == 0 && (a[n] == '\0' || a[n] == '='))
            return true;
    }
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 4096)
        return 0;
    const pn_tool_command *cmd = &commands[data[0] % COMMAND_COUNT];
    size_t world = (size_t)(data[0] / COMMAND_COUNT) % (WORLD_COUNT + 1);
    char *argv[MAX_ARGS + 16];
    int argc = 0;
    if (world < WORLD_COUNT) {
        for (size_t i = 0; worlds[world][i]; i++) {
            argv[argc++] = "-f";
            argv[argc++] = (char *)worlds[world][i];
        }
    } else {
        argv[argc++] = "--scenario";
        argv[argc++] = SCENARIO;
    }
    int ours = argc;
    char *copy = fuzz_split_lines(data + 1, size - 1, argv, &argc, ours + MAX_ARGS);
    for (int i = ours; i < argc; i++)
        if (reserved(argv[i])) {
            free(copy);
            return 0;
        }
    pn_tool_options o = {0};
    if (pn_tool_parse(cmd, argc, argv, &o) == PN_EXIT_OK && !pn_tool_wants_help(argc, argv))
        cmd->run(&o);
    pn_tool_options_free(&o);
    free(copy);
    return 0;
}
