/* test_store — the SQLite results store: schema versions and forward migration, STRICT
 * tables, one transaction per run (a run killed midway leaves the database as it was), and
 * truth tables that read back exactly as they were written. */
#include "testkit.h"

#include "sim/output/diff.h"
#include "sim/output/store.h"

#include <signal.h>
#include <sqlite3.h>

static char dir[64];

static int make_dir(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/podnet-store-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *db_path(const char *name)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

/* One integer answer of a query, read straight from SQLite. */
static long long query_int(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static const char *query_text(const char *path, const char *sql, char *buf, size_t size)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(buf, size, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return buf;
}

static const char cluster[] = "apiVersion: v1\n"
                              "kind: Pod\n"
                              "metadata: {name: a, namespace: x, labels: {app: a}}\n"
                              "spec: {containers: [{name: c, ports: [{containerPort: 80}]}]}\n"
                              "---\n"
                              "apiVersion: v1\n"
                              "kind: Pod\n"
                              "metadata: {name: b, namespace: x, labels: {app: b}}\n"
                              "spec: {containers: [{name: c, ports: [{containerPort: 80}]}]}\n"
                              "---\n"
                              "apiVersion: v1\n"
                              "kind: Pod\n"
                              "metadata: {name: c, namespace: other}\n"
                              "spec: {containers: [{name: c}]}\n"
                              "---\n"
                              "apiVersion: networking.k8s.io/v1\n"
                              "kind: NetworkPolicy\n"
                              "metadata: {name: only-a, namespace: x}\n"
                              "spec:\n"
                              "  podSelector: {matchLabels: {app: b}}\n"
                              "  ingress: [{from: [{podSelector: {matchLabels: {app: a}}}]}]\n";

/* A snapshot of the small cluster above on ports 80/TCP and 53/UDP. */
static void make_snapshot(pn_snapshot *snap)
{
    tk_world t;
    tk_load(&t, cluster);
    assert_int_equal(t.rc, 0);
    pn_port ports[2] = {{80, PN_PROTO_TCP}, {53, PN_PROTO_UDP}};
    pn_reach *r = pn_reach_compute(t.w, ports, 2, PN_ENGINE_BITSET);
    pn_snapshot_from_reach(snap, t.w, r);
    pn_reach_free(r);
    tk_free(&t);
}

static void record_run(pn_store *s, size_t passed, size_t failed, bool with_table)
{
    pn_run_info info = {"reach", "test", true, 7};
    int64_t run = pn_store_begin_run(s, &info);
    assert_true(run > 0);
    pn_input in = {.path = "cluster.yaml", .bytes = 3};
    memset(in.sha256, 'a', 64);
    if (pn_store_add_inputs(s, run, &in, 1) != 0)
        fail_msg("inputs: %s", pn_store_errmsg(s));
    if (with_table) {
        pn_snapshot snap;
        make_snapshot(&snap);
        assert_int_equal(pn_store_add_snapshot(s, run, &snap), 0);
        pn_snapshot_clear(&snap);
    }
    assert_int_equal(pn_store_end_run(s, run, passed, failed), 0);
}

static void new_database_gets_the_current_schema(void **state)
{
    (void)state;
    const char *path = db_path("new.db");
    char *err = NULL;
    pn_store *s = pn_store_open(path, &err);
    assert_non_null(s);
    assert_int_equal(pn_store_version(s), PN_STORE_SCHEMA_VERSION);
    pn_store_close(s);
    char buf[64];
    assert_int_equal(query_int(path, "PRAGMA user_version"), PN_STORE_SCHEMA_VERSION);
    assert_string_equal(query_text(path, "PRAGMA journal_mode", buf, sizeof buf), "wal");
    assert_int_equal(query_int(path, "PRAGMA application_id"), 0x706e6574);
    assert_int_equal(query_int(path, "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                                     "AND sql LIKE '%STRICT%'"),
                     7);
}

static void migration_from_the_first_version_keeps_the_runs(void **state)
{
    (void)state;
    const char *path = db_path("v1.db");
    char *err = NULL;
    pn_store *s = pn_store_open_at(path, 1, &err);
    assert_non_null(s);
    assert_int_equal(pn_store_version(s), 1);
    record_run(s, 3, 1, false); /* version 1 has no tables for truth tables */
    pn_store_close(s);
    assert_int_equal(query_int(path, "SELECT count(*) FROM sqlite_master WHERE name = "
                                     "'snapshot_pod'"),
                     0);

    s = pn_store_open(path, &err);
    assert_non_null(s);
    assert_int_equal(pn_store_version(s), PN_STORE_SCHEMA_VERSION);
    record_run(s, 5, 0, true); /* and the migrated database takes a table */
    pn_store_close(s);
    assert_int_equal(query_int(path, "SELECT count(*) FROM run"), 2);
    assert_int_equal(query_int(path, "SELECT passed FROM run WHERE id = 1"), 3);
    assert_int_equal(query_int(path, "SELECT failed FROM run WHERE id = 1"), 1);
    assert_int_equal(query_int(path, "SELECT count(*) FROM input WHERE run_id = 1"), 1);
    assert_int_equal(query_int(path, "SELECT count(*) FROM snapshot_pod WHERE run_id = 2"), 3);
    char buf[64];
    assert_string_equal(query_text(path, "PRAGMA integrity_check", buf, sizeof buf), "ok");
}

static void a_newer_schema_is_refused(void **state)
{
    (void)state;
    const char *path = db_path("future.db");
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    char *err = NULL;
    assert_null(pn_store_open(path, &err));
    assert_non_null(strstr(err, "newer podnet"));
    free(err);
}

/* Issue 13: a file of another application is refused and left as it was (no podnet tables
 * added, not switched to WAL), whether it says so with its application_id or only has tables
 * without podnet's mark. */
static void a_foreign_database_is_refused_untouched(void **state)
{
    (void)state;
    const char *setups[] = {"CREATE TABLE t (x); INSERT INTO t VALUES (1);",
                            "PRAGMA application_id = 42;"};
    for (int i = 0; i < 2; i++) {
        char name[32];
        snprintf(name, sizeof name, "foreign%d.db", i);
        char path[128];
        snprintf(path, sizeof path, "%s", db_path(name));
        sqlite3 *db;
        assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
        assert_int_equal(sqlite3_exec(db, setups[i], NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(db);
        char *err = NULL;
        assert_null(pn_store_open(path, &err));
        assert_non_null(strstr(err, "not a podnet results database"));
        free(err);
        err = NULL;
        assert_null(pn_store_open_existing(path, &err));
        free(err);
        assert_int_equal(query_int(path, "SELECT count(*) FROM sqlite_master WHERE name = 'run'"),
                         0);
        char buf[32];
        assert_string_equal(query_text(path, "PRAGMA journal_mode", buf, sizeof buf), "delete");
    }
}

/* Issue 13: reading commands (history, diff) never create a database. */
static void opening_for_reading_creates_nothing(void **state)
{
    (void)state;
    const char *path = db_path("typo.db");
    char *err = NULL;
    assert_null(pn_store_open_existing(path, &err));
    assert_non_null(strstr(err, "no such results database"));
    free(err);
    assert_int_not_equal(access(path, F_OK), 0);
}

/* Issue 13: processes recording into a new file at once all succeed: the schema version is
 * read inside the write transaction, and locks are waited for. */
static void concurrent_first_opens_all_succeed(void **state)
{
    (void)state;
    for (int round = 0; round < 10; round++) {
        char name[32];
        snprintf(name, sizeof name, "race%d.db", round);
        char path[128];
        snprintf(path, sizeof path, "%s", db_path(name));
        pid_t kids[4];
        for (int k = 0; k < 4; k++) {
            kids[k] = fork();
            assert_true(kids[k] >= 0);
            if (kids[k] == 0) {
                char *err = NULL;
                pn_store *s = pn_store_open(path, &err);
                if (!s)
                    _exit(1);
                record_run(s, 1, 0, false);
                pn_store_close(s);
                _exit(0);
            }
        }
        for (int k = 0; k < 4; k++) {
            int status;
            assert_int_equal(waitpid(kids[k], &status, 0), kids[k]);
            assert_true(WIFEXITED(status));
            assert_int_equal(WEXITSTATUS(status), 0);
        }
        assert_int_equal(query_int(path, "SELECT count(*) FROM run"), 4);
    }
}

static void strict_tables_refuse_wrong_types(void **state)
{
    (void)state;
    const char *path = db_path("strict.db");
    char *err = NULL;
    pn_store *s = pn_store_open(path, &err);
    assert_non_null(s);
    pn_store_close(s);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    int rc = sqlite3_exec(db,
                          "INSERT INTO run (started_at, command, podnet_version, seed) "
                          "VALUES ('now', 'run', 'x', 'not a number')",
                          NULL, NULL, NULL);
    assert_int_not_equal(rc, SQLITE_OK);
    rc = sqlite3_exec(db,
                      "INSERT INTO run (started_at, command, podnet_version) "
                      "VALUES ('now', 'dance', 'x')",
                      NULL, NULL, NULL);
    assert_int_not_equal(rc, SQLITE_OK); /* CHECK on command */
    sqlite3_close(db);
}

/* A child process records a second run and is killed (SIGKILL) in the middle of writing it:
 * the database must keep exactly the first run and pass PRAGMA integrity_check. */
static void a_run_killed_midway_leaves_the_database_as_it_was(void **state)
{
    (void)state;
    const char *path = db_path("crash.db");
    char *err = NULL;
    pn_store *s = pn_store_open(path, &err);
    assert_non_null(s);
    record_run(s, 1, 0, true);
    pn_store_close(s);
    long long pods_before = query_int(path, "SELECT count(*) FROM snapshot_pod");

    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        setenv("PODNET_STORE_CRASH_AFTER", "4", 1); /* the run row, the input, then pods */
        pn_store *child = pn_store_open(path, &err);
        if (child)
            record_run(child, 9, 9, true);
        _exit(0); /* not reached when the hook fires */
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGKILL);

    char buf[64];
    assert_string_equal(query_text(path, "PRAGMA integrity_check", buf, sizeof buf), "ok");
    assert_int_equal(query_int(path, "SELECT count(*) FROM run"), 1);
    assert_int_equal(query_int(path, "SELECT count(*) FROM snapshot_pod"), pods_before);
    assert_int_equal(query_int(path, "SELECT count(*) FROM run WHERE passed = 9"), 0);
}

static void a_table_reads_back_as_written(void **state)
{
    (void)state;
    const char *path = db_path("roundtrip.db");
    char *err = NULL;
    pn_store *s = pn_store_open(path, &err);
    assert_non_null(s);
    record_run(s, 0, 0, true);
    pn_snapshot written, read;
    make_snapshot(&written);
    assert_int_equal(pn_store_load_snapshot(s, 1, &read), 0);
    assert_int_equal(read.n, written.n);
    assert_int_equal(read.port_count, written.port_count);
    bool some_denied = false, some_allowed = false;
    for (size_t i = 0; i < read.n; i++)
        assert_string_equal(read.names[i], written.names[i]);
    for (size_t p = 0; p < read.port_count; p++) {
        assert_int_equal(read.ports[p].number, written.ports[p].number);
        for (size_t a = 0; a < read.n; a++)
            for (size_t b = 0; b < read.n; b++) {
                bool v = pn_snapshot_allowed(&written, p, a, b);
                assert_int_equal(pn_snapshot_allowed(&read, p, a, b), v);
                some_denied |= !v;
                some_allowed |= v && a != b;
            }
    }
    assert_true(some_denied && some_allowed); /* the table is not trivially uniform */
    pn_snapshot_clear(&read);
    assert_int_not_equal(pn_store_load_snapshot(s, 42, &read), 0); /* no such run */
    pn_snapshot_clear(&written);
    pn_store_close(s);
}

/* A table over the whole port space keeps what each column stands for; one from a run on
 * chosen ports reads back with a column per port. */
static void a_set_table_reads_back_with_its_ranges(void **state)
{
    (void)state;
    const char *path = db_path("sets.db");
    char *err = NULL;
    pn_store *s = pn_store_open(path, &err);
    assert_non_null(s);
    tk_world t;
    tk_load(&t, cluster);
    pn_reach *r = pn_reach_compute_sets(t.w, PN_ENGINE_BITSET);
    pn_snapshot written, read;
    pn_snapshot_from_reach(&written, t.w, r);
    assert_true(written.sets);
    pn_run_info info = {"reach", "test", false, 0};
    int64_t run = pn_store_begin_run(s, &info);
    assert_int_equal(pn_store_add_snapshot(s, run, &written), 0);
    assert_int_equal(pn_store_end_run(s, run, 0, 0), 0);
    record_run(s, 0, 0, true);
    assert_int_equal(pn_store_load_snapshot(s, run, &read), 0);
    assert_true(read.sets);
    assert_int_equal(read.port_count, written.port_count);
    assert_int_equal(read.range_start[read.port_count], written.range_start[written.port_count]);
    assert_memory_equal(read.ranges, written.ranges,
                        written.range_start[written.port_count] * sizeof *written.ranges);
    pn_snapshot_clear(&read);
    assert_int_equal(pn_store_load_snapshot(s, run + 1, &read), 0);
    assert_false(read.sets);
    assert_int_equal(read.range_start[read.port_count], read.port_count);
    assert_int_equal(read.ranges[0].lo, 80);
    pn_snapshot_clear(&read);
    pn_snapshot_clear(&written);
    pn_reach_free(r);
    tk_free(&t);
    pn_store_close(s);
}

static void history_lists_runs_newest_first(void **state)
{
    (void)state;
    const char *path = db_path("history.db");
    char *err = NULL;
    pn_store *s = pn_store_open(path, &err);
    assert_non_null(s);
    record_run(s, 1, 0, false);
    record_run(s, 2, 5, false);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_int_equal(pn_store_history(s, out, 1), 0);
    fclose(out);
    pn_store_close(s);
    /* -n 1: the header and the newest run only (run 2, 2 passed, 5 failed) */
    assert_non_null(strstr(text, "\n2 "));
    assert_null(strstr(text, "\n1 "));
    assert_non_null(strstr(text, "      2      5"));
    free(text);
}

/* Runs sql on the database at path (with writable_schema and check constraints off, as a
 * hand or a damaged disk might leave the file). */
static void tamper(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", sql, err);
    sqlite3_close(db);
}

/* Found by fuzz_store: a table whose values podnet never writes (a text SQLite cannot give, a
 * class beyond any pod count, a port or protocol out of range) is refused with PN_EIO, not
 * read into a crash (pn_xstrdup of NULL) or an allocation of classes^2 words; history prints
 * such a text as "?" and a read error is an error, not the end of the list. */
static void a_damaged_table_is_refused_not_read(void **state)
{
    (void)state;
    static const char *const damages[] = {
        "UPDATE snapshot_pod SET class = 4000000000 WHERE idx = 0",
        "UPDATE snapshot_pod SET class = -1 WHERE idx = 0",
        "UPDATE snapshot_pod SET class = 3 WHERE idx = 0", /* 3 pods: classes 0 to 2 */
        "PRAGMA ignore_check_constraints = ON; UPDATE snapshot_port SET protocol = 'ICMP'",
        "PRAGMA ignore_check_constraints = ON; UPDATE snapshot_port SET number = 70000",
        "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = replace(sql, "
        "'name TEXT NOT NULL', 'name TEXT') WHERE name = 'snapshot_pod'",
    };
    for (size_t i = 0; i < sizeof damages / sizeof damages[0]; i++) {
        char name[32];
        snprintf(name, sizeof name, "damaged-%zu.db", i);
        const char *path = db_path(name);
        char *err = NULL;
        pn_store *s = pn_store_open(path, &err);
        assert_non_null(s);
        record_run(s, 0, 0, true);
        pn_store_close(s);
        tamper(path, damages[i]);
        if (i == 5) /* the column may now be NULL */
            tamper(path, "UPDATE snapshot_pod SET name = NULL WHERE idx = 1");
        s = pn_store_open_existing(path, &err);
        assert_non_null(s);
        pn_snapshot read;
        assert_int_equal(pn_store_load_snapshot(s, 1, &read), PN_EIO);
        assert_null(read.names); /* nothing half-read is handed back */
        pn_store_close(s);
    }

    const char *path = db_path("damaged-history.db");
    char *err = NULL;
    pn_store *s = pn_store_open(path, &err);
    assert_non_null(s);
    record_run(s, 0, 0, false);
    pn_store_close(s);
    tamper(path, "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = replace(sql, "
                 "'podnet_version TEXT NOT NULL', 'podnet_version TEXT') WHERE name = 'run'");
    tamper(path, "UPDATE run SET podnet_version = NULL");
    s = pn_store_open_existing(path, &err);
    assert_non_null(s);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_int_equal(pn_store_history(s, out, 0), 0);
    fclose(out);
    assert_non_null(strstr(text, " reach  ?  "));
    free(text);
    pn_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(new_database_gets_the_current_schema),
        cmocka_unit_test(migration_from_the_first_version_keeps_the_runs),
        cmocka_unit_test(a_set_table_reads_back_with_its_ranges),
        cmocka_unit_test(a_newer_schema_is_refused),
        cmocka_unit_test(a_foreign_database_is_refused_untouched),
        cmocka_unit_test(opening_for_reading_creates_nothing),
        cmocka_unit_test(concurrent_first_opens_all_succeed),
        cmocka_unit_test(strict_tables_refuse_wrong_types),
        cmocka_unit_test(a_run_killed_midway_leaves_the_database_as_it_was),
        cmocka_unit_test(a_table_reads_back_as_written),
        cmocka_unit_test(history_lists_runs_newest_first),
        cmocka_unit_test(a_damaged_table_is_refused_not_read),
    };
    return cmocka_run_group_tests_name("store", tests, make_dir, remove_dir);
}
