/* tool_lab — podnet lab list | lab run NAME: the training scenarios, narrated. */
#include "sim/tool/tool.h"

#include "sim/base/arena.h"
#include "sim/run/scenario.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef PN_LABS_DIR
#define PN_LABS_DIR "/usr/local/share/podnet/labs"
#endif

static int name_order(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Where the labs are: $PODNET_LABS, ./scenarios/labs, next to the program, where an install
 * beside the program put them (PREFIX/bin/podnet finds PREFIX/share/podnet/labs, whatever
 * PREFIX the objects were compiled with), or the compiled-in install folder. */
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
            snprintf(buf, size, "%s/../share/podnet/labs", exe);
            if (access(buf, R_OK) == 0)
                return buf;
        }
    }
    return PN_LABS_DIR;
}

/* Prints each lab with the first sentence of its description. */
static int lab_list(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "podnet: no labs at %s (set PODNET_LABS)\n", dir);
        return PN_EXIT_USAGE;
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
    return PN_EXIT_OK;
}

int pn_tool_lab(const pn_tool_options *o)
{
    char buf[1200];
    const char *dir = labs_dir(buf, sizeof buf);
    if (o->arg_count == 1 && strcmp(o->args[0], "list") == 0)
        return lab_list(dir);
    if (o->arg_count == 2 && strcmp(o->args[0], "run") == 0) {
        /* A lab is named, not given by path: a name with a slash or a leading dot would reach
         * outside the labs folder (../../ci/...). */
        const char *name = o->args[1];
        if (!*name || name[0] == '.' || strchr(name, '/'))
            return pn_tool_usage_error("\"%s\" is not a lab name (see podnet lab list)", name);
        char path[2600];
        snprintf(path, sizeof path, "%s/%s/scenario.yaml", dir, o->args[1]);
        if (access(path, R_OK) != 0)
            return pn_tool_usage_error("no lab named \"%s\" (see podnet lab list)", o->args[1]);
        pn_tool_options lab = *o;
        const char *args[1] = {path};
        lab.args = args;
        lab.arg_count = 1;
        lab.verbose = true;
        return pn_tool_run(&lab);
    }
    return pn_tool_usage_error("lab takes list, or run NAME%s", "");
}
