/* tool_snapshot — podnet snapshot and --from-cluster: a live cluster read through the user's
 * own kubectl (so every auth plugin, EKS's included, works as it does for them) and, with
 * --aws, the EC2 side of its VPC through the aws CLI. Both run as child processes with an argv
 * array, never through a shell, and only with read-only verbs (get, version, config
 * current-context; aws ec2 describe-*). The answers become one kind: List that podnet's own
 * loader reads back. */
#include "sim/tool/tool.h"

#include "sim/base/arena.h"
#include "sim/base/buf.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* What podnet reads from a cluster. Pods are taken as they run; the controllers (Deployments,
 * ReplicaSets, StatefulSets, Jobs...) are left out on purpose: podnet expands a controller into
 * pods of its own, so with the running pods beside it every pod would be there twice. The
 * aws-node DaemonSet is fetched on its own (its settings are the VPC CNI's). Secrets and
 * ConfigMaps are never asked for. */
typedef struct {
    const char *resource; /* kubectl's fully qualified resource name */
    bool namespaced;      /* --namespace limits it */
    bool optional;        /* a CRD: a cluster without it is noted and skipped */
} cluster_kind;

static const cluster_kind cluster_kinds[] = {
    {"namespaces", false, false},
    {"nodes", false, false},
    {"pods", true, false},
    {"services", true, false},
    {"endpointslices.discovery.k8s.io", true, false},
    {"networkpolicies.networking.k8s.io", true, false},
    {"eniconfigs.crd.k8s.amazonaws.com", false, true},
    {"securitygrouppolicies.vpcresources.k8s.aws", true, true},
};

/* One child process's answer. */
typedef struct {
    pn_buf out; /* its standard output */
    pn_buf err; /* its standard error */
    int status; /* its exit status; 127 when it could not be started */
    int errnum; /* why it could not be started (ENOENT: not on PATH), or 0 */
} child_result;

static void child_result_free(child_result *r)
{
    pn_buf_free(&r->out);
    pn_buf_free(&r->err);
}

/* Reads fd to its end into b. */
static void read_all(int fd, pn_buf *b)
{
    char chunk[65536];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        pn_buf_appendn(b, chunk, (size_t)n);
    }
}

/* Runs argv (argv[0] looked up on PATH) with standard input from /dev/null, collecting its
 * standard output through a pipe and its standard error in a temporary file (reading both
 * through pipes would need poll to avoid a deadlock; the error text is small). Returns 0 when
 * it ran (whatever its exit status), -1 when it could not be started (r->errnum says why). */
static int run_child(char *const argv[], child_result *r)
{
    *r = (child_result){.status = 127};
    int fds[2];
    FILE *err = tmpfile();
    if (!err || pipe(fds) != 0) {
        r->errnum = errno;
        if (err)
            fclose(err);
        return -1;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_adddup2(&fa, fileno(err), 2);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) {
        r->errnum = rc;
        close(fds[0]);
        fclose(err);
        return -1;
    }
    read_all(fds[0], &r->out);
    close(fds[0]);
    int wstatus;
    while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
        ;
    r->status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
    rewind(err);
    read_all(fileno(err), &r->err);
    fclose(err);
    return 0;
}

/* The first line of a child's standard error, for a message (or a stand-in when it is silent). */
static const char *first_line(const child_result *r, char *line, size_t size)
{
    const char *text = pn_buf_str(&r->err);
    size_t n = strcspn(text, "\n");
    if (n == 0)
        snprintf(line, size, "exit status %d and no message", r->status);
    else
        snprintf(line, size, "%.*s", (int)n, text);
    return line;
}

/* A command line being built: argv for run_child and the words as one line for messages. */
typedef struct {
    const char *words[32];
    size_t count;
} command_line;

static void add(command_line *c, const char *word)
{
    if (c->count + 1 < sizeof c->words / sizeof c->words[0])
        c->words[c->count++] = word;
    c->words[c->count] = NULL;
}

/* "kubectl get pods -A -o json", for messages. */
static void describe(const command_line *c, char *text, size_t size)
{
    size_t used = 0;
    text[0] = '\0';
    for (size_t i = 0; i < c->count && used < size; i++)
        used += (size_t)snprintf(text + used, size - used, "%s%s", i ? " " : "", c->words[i]);
}

/* Runs c, printing why on standard error when it could not be started or failed. Returns the
 * child's standard output parsed as JSON (caller frees), or NULL after the message; *missing is
 * set (and nothing printed) when it failed with a message matching missing_text. */
static cJSON *run_json(const command_line *c, const char *missing_text, bool *missing)
{
    char what[512], line[512];
    describe(c, what, sizeof what);
    child_result r;
    if (run_child((char *const *)c->words, &r) != 0) {
        if (r.errnum == ENOENT)
            fprintf(stderr, "podnet: %s: %s is not installed or not on PATH\n", what, c->words[0]);
        else
            fprintf(stderr, "podnet: %s: cannot start it: %s\n", what, strerror(r.errnum));
        child_result_free(&r);
        return NULL;
    }
    cJSON *json = NULL;
    if (r.status != 0 && missing_text && strstr(pn_buf_str(&r.err), missing_text)) {
        *missing = true;
    } else if (r.status != 0) {
        fprintf(stderr, "podnet: %s failed: %s\n", what, first_line(&r, line, sizeof line));
    } else if (!(json = cJSON_ParseWithLength(pn_buf_str(&r.out), r.out.len))) {
        fprintf(stderr, "podnet: %s did not print JSON\n", what);
    }
    child_result_free(&r);
    return json;
}

/* kubectl [--context C] — the start of every kubectl command line. */
static command_line kubectl(const pn_tool_options *o)
{
    command_line c = {0};
    add(&c, "kubectl");
    if (o->context) {
        add(&c, "--context");
        add(&c, o->context);
    }
    return c;
}

/* The context kubectl talks to: --context, or its current one. Returns a malloc'd name, or
 * NULL after a message. */
static char *current_context(const pn_tool_options *o)
{
    if (o->context)
        return pn_xstrdup(o->context);
    command_line c = kubectl(o);
    add(&c, "config");
    add(&c, "current-context");
    child_result r;
    char line[512];
    if (run_child((char *const *)c.words, &r) != 0) {
        if (r.errnum == ENOENT)
            fputs("podnet: kubectl is not installed or not on PATH (podnet reads a cluster "
                  "through it)\n",
                  stderr);
        else
            fprintf(stderr, "podnet: cannot start kubectl: %s\n", strerror(r.errnum));
        child_result_free(&r);
        return NULL;
    }
    char *name = NULL;
    if (r.status != 0)
        fprintf(stderr, "podnet: kubectl config current-context failed: %s\n",
                first_line(&r, line, sizeof line));
    else
        name = pn_xstrdup(pn_buf_str(&r.out));
    child_result_free(&r);
    if (name)
        name[strcspn(name, "\r\n")] = '\0';
    return name;
}

/* The server's version (gitVersion), which also proves the server answers. Returns a malloc'd
 * string, or NULL after a message naming what failed. */
static char *server_version(const pn_tool_options *o)
{
    command_line c = kubectl(o);
    add(&c, "version");
    add(&c, "-o");
    add(&c, "json");
    cJSON *v = run_json(&c, NULL, NULL);
    if (!v)
        return NULL;
    const cJSON *git = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(v, "serverVersion"), "gitVersion");
    char *version = cJSON_IsString(git) ? pn_xstrdup(git->valuestring) : NULL;
    cJSON_Delete(v);
    if (!version)
        fputs("podnet: kubectl version -o json printed no serverVersion (is the server "
              "reachable?)\n",
              stderr);
    return version;
}

/* Whether a pod belongs to the aws-node DaemonSet (which the snapshot carries itself, and
 * podnet expands into one pod per node). */
static bool is_aws_node_pod(const cJSON *pod)
{
    const cJSON *owners = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(pod, "metadata"), "ownerReferences");
    const cJSON *owner;
    cJSON_ArrayForEach(owner, owners)
    {
        const cJSON *kind = cJSON_GetObjectItemCaseSensitive(owner, "kind");
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(owner, "name");
        if (cJSON_IsString(kind) && cJSON_IsString(name) &&
            strcmp(kind->valuestring, "DaemonSet") == 0 &&
            strcmp(name->valuestring, "aws-node") == 0)
            return true;
    }
    return false;
}

/* Moves the items of list (a kubectl -o json List) to items. */
static void take_items(cJSON *list, cJSON *items)
{
    cJSON *from = cJSON_GetObjectItemCaseSensitive(list, "items");
    while (cJSON_GetArraySize(from) > 0) {
        cJSON *item = cJSON_DetachItemFromArray(from, 0);
        if (is_aws_node_pod(item))
            cJSON_Delete(item);
        else
            cJSON_AddItemToArray(items, item);
    }
}

/* kubectl get RESOURCE [-A | -n N] -o json for every kind podnet reads, into items. Returns 0,
 * or -1 after a message. */
static int get_cluster_kinds(const pn_tool_options *o, cJSON *items)
{
    for (size_t i = 0; i < sizeof cluster_kinds / sizeof cluster_kinds[0]; i++) {
        const cluster_kind *k = &cluster_kinds[i];
        command_line c = kubectl(o);
        add(&c, "get");
        add(&c, k->resource);
        if (k->namespaced && o->namespace) {
            add(&c, "--namespace");
            add(&c, o->namespace);
        } else if (k->namespaced) {
            add(&c, "--all-namespaces");
        }
        add(&c, "-o");
        add(&c, "json");
        bool missing = false;
        cJSON *list =
            run_json(&c, k->optional ? "the server doesn't have a resource type" : NULL, &missing);
        if (missing) {
            fprintf(stderr,
                    "podnet: note: the cluster has no %s (its CRD is not installed); "
                    "skipped\n",
                    k->resource);
            continue;
        }
        if (!list)
            return -1;
        take_items(list, items);
        cJSON_Delete(list);
    }
    /* The VPC CNI's settings; a cluster without the VPC CNI has no aws-node. */
    command_line c = kubectl(o);
    const char *words[] = {"get", "daemonsets.apps", "aws-node", "--namespace", "kube-system", "-o",
                           "json"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        add(&c, words[i]);
    bool missing = false;
    cJSON *ds = run_json(&c, "NotFound", &missing);
    if (missing)
        fputs("podnet: note: no aws-node DaemonSet in kube-system (not the VPC CNI); skipped\n",
              stderr);
    else if (!ds)
        return -1;
    else
        cJSON_AddItemToArray(items, ds);
    return 0;
}

/* The first node's EC2 instance and region, from its providerID (aws:///us-east-1a/i-0abc).
 * Returns 0, or -1 when no node names one. */
static int first_instance(const cJSON *items, char *instance, size_t isize, char *region,
                          size_t rsize)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, items)
    {
        const cJSON *kind = cJSON_GetObjectItemCaseSensitive(item, "kind");
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(item, "spec"), "providerID");
        if (!cJSON_IsString(kind) || strcmp(kind->valuestring, "Node") != 0 ||
            !cJSON_IsString(id) || strncmp(id->valuestring, "aws:///", 7) != 0)
            continue;
        const char *zone = id->valuestring + 7, *slash = strchr(zone, '/');
        if (!slash || slash == zone || !slash[1] || strchr(slash + 1, '/'))
            continue;
        /* The region is the zone without its letter (us-east-1a -> us-east-1). */
        snprintf(region, rsize, "%.*s", (int)(slash - zone - 1), zone);
        snprintf(instance, isize, "%s", slash + 1);
        return 0;
    }
    return -1;
}

/* aws ec2 VERB --region R [FILTER...] --output json. */
static command_line aws(const char *verb, const char *region)
{
    command_line c = {0};
    add(&c, "aws");
    add(&c, "ec2");
    add(&c, verb);
    add(&c, "--region");
    add(&c, region);
    add(&c, "--output");
    add(&c, "json");
    return c;
}

/* --aws: the EC2 description of the cluster's VPC (found through its first node's instance),
 * appended to items as the aws CLI prints it. Returns 0, or -1 after a message. */
static int get_aws(cJSON *items)
{
    char instance[128], region[64];
    if (first_instance(items, instance, sizeof instance, region, sizeof region) != 0) {
        fputs("podnet: --aws: no node names its EC2 instance (spec.providerID aws:///ZONE/ID), "
              "so the cluster's VPC is unknown\n",
              stderr);
        return -1;
    }
    command_line c = aws("describe-instances", region);
    add(&c, "--instance-ids");
    add(&c, instance);
    cJSON *first = run_json(&c, NULL, NULL);
    const cJSON *vpc_id = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetArrayItem(
            cJSON_GetObjectItemCaseSensitive(
                cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(first, "Reservations"), 0),
                "Instances"),
            0),
        "VpcId");
    if (!cJSON_IsString(vpc_id)) {
        if (first)
            fprintf(stderr, "podnet: --aws: aws ec2 describe-instances names no VpcId for %s\n",
                    instance);
        cJSON_Delete(first);
        return -1;
    }
    char vpc[128], filter[200], attached[220];
    snprintf(vpc, sizeof vpc, "%s", vpc_id->valuestring);
    cJSON_Delete(first);
    snprintf(filter, sizeof filter, "Name=vpc-id,Values=%s", vpc);
    snprintf(attached, sizeof attached, "Name=attachment.vpc-id,Values=%s", vpc);
    /* Each call with the filter that keeps it to the VPC (describe-nat-gateways spells its
     * option --filter). */
    const struct {
        const char *verb, *option, *value;
    } calls[] = {
        {"describe-vpcs", "--vpc-ids", vpc},
        {"describe-subnets", "--filters", filter},
        {"describe-route-tables", "--filters", filter},
        {"describe-security-groups", "--filters", filter},
        {"describe-network-acls", "--filters", filter},
        {"describe-instances", "--filters", filter},
        {"describe-nat-gateways", "--filter", filter},
        {"describe-internet-gateways", "--filters", attached},
    };
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        c = aws(calls[i].verb, region);
        add(&c, calls[i].option);
        add(&c, calls[i].value);
        cJSON *answer = run_json(&c, NULL, NULL);
        if (!answer)
            return -1;
        cJSON_AddItemToArray(items, answer);
    }
    return 0;
}

/* The time of the snapshot, UTC, as RFC 3339. The one wall-clock value podnet prints: it
 * records when the cluster looked like this, and nothing is computed from it. */
static void now_utc(char *text, size_t size)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(text, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Reads the cluster (and with --aws its VPC) into one List. Returns the JSON text (caller
 * frees), or NULL after a message naming what failed. */
static char *snapshot_text(const pn_tool_options *o)
{
    if (o->namespace && o->all_namespaces) {
        pn_tool_usage_error("--namespace and --all-namespaces exclude each other%s", "");
        return NULL;
    }
    char *context = current_context(o);
    char *version = context ? server_version(o) : NULL;
    cJSON *list = NULL;
    char *text = NULL;
    if (!version)
        goto done;
    char when[32];
    now_utc(when, sizeof when);
    /* The header is the List's own metadata: podnet's decoder reads only a List's items, and
     * kubectl reads the annotations back as any object's. */
    list = cJSON_CreateObject();
    cJSON_AddStringToObject(list, "apiVersion", "v1");
    cJSON_AddStringToObject(list, "kind", "List");
    cJSON *annotations =
        cJSON_AddObjectToObject(cJSON_AddObjectToObject(list, "metadata"), "annotations");
    cJSON_AddStringToObject(annotations, "podnet.dev/context", context);
    cJSON_AddStringToObject(annotations, "podnet.dev/server-version", version);
    cJSON_AddStringToObject(annotations, "podnet.dev/namespaces",
                            o->namespace ? o->namespace : "all");
    cJSON_AddStringToObject(annotations, "podnet.dev/snapshot-time", when);
    cJSON *items = cJSON_AddArrayToObject(list, "items");
    if (get_cluster_kinds(o, items) != 0 || (o->aws && get_aws(items) != 0))
        goto done;
    text = cJSON_Print(list);
done:
    cJSON_Delete(list);
    free(version);
    free(context);
    return text;
}

int pn_tool_cluster_load(const pn_tool_options *o, pn_arena *arena, pn_diags *diags,
                         pn_documents *docs)
{
    char *text = snapshot_text(o);
    if (!text)
        return -1;
    int rc = pn_load_buffer(arena, diags, "cluster.json", text, strlen(text), docs);
    free(text);
    return rc == 0 ? 0 : -1;
}

int pn_tool_snapshot(const pn_tool_options *o)
{
    if (!o->output || o->arg_count)
        return pn_tool_usage_error("usage: podnet snapshot [--context C] [--namespace N | -A] "
                                   "[--aws] -o FILE|-%s",
                                   "");
    char *text = snapshot_text(o);
    if (!text)
        return PN_EXIT_USAGE;
    bool to_stdout = strcmp(o->output, "-") == 0;
    FILE *out = to_stdout ? stdout : fopen(o->output, "w");
    if (!out) {
        fprintf(stderr, "podnet: cannot write %s: %s\n", o->output, strerror(errno));
        free(text);
        return PN_EXIT_USAGE;
    }
    fputs(text, out);
    fputc('\n', out);
    free(text);
    if (!to_stdout && fclose(out) != 0) {
        fprintf(stderr, "podnet: cannot write %s: %s\n", o->output, strerror(errno));
        return PN_EXIT_USAGE;
    }
    return PN_EXIT_OK;
}
