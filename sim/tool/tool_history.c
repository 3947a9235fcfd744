/* tool_history — podnet history: the runs recorded in --db, newest first. */
#include "sim/tool/tool.h"

int pn_tool_history(const pn_tool_options *o)
{
    if (!o->db || o->arg_count || o->path_count)
        return pn_tool_usage_error("history takes --db FILE [-n N]%s", "");
    pn_store *st = pn_tool_open_store(o->db);
    if (!st)
        return PN_EXIT_USAGE;
    int rc = pn_store_history(st, stdout, o->history);
    if (rc != 0)
        fprintf(stderr, "podnet: %s: cannot read the runs: %s\n", o->db, pn_store_errmsg(st));
    pn_store_close(st);
    return rc == 0 ? PN_EXIT_OK : PN_EXIT_USAGE;
}
