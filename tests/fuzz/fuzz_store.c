/* fuzz_store — libFuzzer target for the results store as the reading commands meet it: the
 * input is an SQLite file, on which podnet history and podnet diff --db 1 2 (in every output
 * format) run as the command line runs them. A file that is not a podnet database, a
 * corrupt one, or one with a schema podnet wrote but rows it never would (a run without its
 * table, a class out of range, a blob of the wrong length) must be refused with a message,
 * never crash.
 *
 * Built and run by tests/fuzz/run.sh; seeds are databases podnet recorded (run, reach). */
#include "sim/tool/tool.h"
#include "tests/fuzz/fuzzkit.h"

#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    if (!freopen("/dev/null", "w", stdout))
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char db[256], wal[272], shm[272];
    snprintf(db, sizeof db, "%s", fuzz_path("results.db"));
    snprintf(wal, sizeof wal, "%s-wal", db);
    snprintf(shm, sizeof shm, "%s-shm", db);
    unlink(wal); /* what the last input left must not be read with this one */
    unlink(shm);
    fuzz_write_file(db, data, size);
    pn_tool_options o = {.db = db};
    pn_tool_history(&o);
    o.history = 1;
    pn_tool_history(&o);
    static const pn_format formats[] = {PN_FORMAT_TABLE, PN_FORMAT_CSV, PN_FORMAT_JSON,
                                        PN_FORMAT_MD};
    const char *args[] = {"1", "2"};
    o = (pn_tool_options){.db = db, .args = args, .arg_count = 2};
    o.format = formats[size % (sizeof formats / sizeof formats[0])];
    pn_tool_diff(&o);
    args[0] = "2";
    args[1] = "1";
    pn_tool_diff(&o);
    return 0;
}
