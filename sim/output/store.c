/* store — SQLite: STRICT tables, WAL, a schema versioned with PRAGMA user_version and migrated
 * forward on open (each step in its own transaction), prepared statements only, one
 * transaction per recorded run. */
#include "sim/output/store.h"

#include "sim/base/arena.h"
#include "sim/base/error.h"
#include "sim/base/time.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define APPLICATION_ID 0x706e6574 /* "pnet": marks the file as podnet's */

/* Each migration takes the schema from version i to i + 1. Never edit a released step: add
 * one. */
static const char *const migrations[PN_STORE_SCHEMA_VERSION] = {
    /* 0 → 1: runs, their inputs and their expectations. */
    "CREATE TABLE run ("
    "  id INTEGER PRIMARY KEY,"
    "  started_at TEXT NOT NULL,"
    "  command TEXT NOT NULL CHECK (command IN ('run', 'check', 'reach')),"
    "  podnet_version TEXT NOT NULL,"
    "  seed INTEGER,"
    "  passed INTEGER NOT NULL DEFAULT 0,"
    "  failed INTEGER NOT NULL DEFAULT 0"
    ") STRICT;"
    "CREATE TABLE input ("
    "  run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,"
    "  path TEXT NOT NULL,"
    "  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),"
    "  bytes INTEGER NOT NULL,"
    "  PRIMARY KEY (run_id, path)"
    ") STRICT;"
    "CREATE TABLE expectation ("
    "  run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL,"
    "  scenario TEXT,"
    "  name TEXT NOT NULL,"
    "  at TEXT NOT NULL,"
    "  port INTEGER CHECK (port BETWEEN 1 AND 65535)," /* NULL: a pod, node or subnet check */
    "  protocol TEXT CHECK (protocol IN ('TCP', 'UDP', 'SCTP')),"
    "  passed INTEGER NOT NULL CHECK (passed IN (0, 1)),"
    "  pairs INTEGER NOT NULL,"
    "  wrong INTEGER NOT NULL,"
    "  source TEXT NOT NULL,"
    "  detail TEXT,"
    "  PRIMARY KEY (run_id, seq)"
    ") STRICT;",
    /* 1 → 2: truth tables, class-compressed: pods name their class, and each class has a row
     * of allowed destination classes per port as a bitset blob (64-bit little-endian words). */
    "CREATE TABLE snapshot_pod ("
    "  run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,"
    "  idx INTEGER NOT NULL,"
    "  name TEXT NOT NULL,"
    "  grp TEXT NOT NULL,"
    "  class INTEGER NOT NULL,"
    "  PRIMARY KEY (run_id, idx)"
    ") STRICT;"
    "CREATE TABLE snapshot_port ("
    "  run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,"
    "  idx INTEGER NOT NULL,"
    "  number INTEGER NOT NULL CHECK (number BETWEEN 1 AND 65535),"
    "  protocol TEXT NOT NULL CHECK (protocol IN ('TCP', 'UDP', 'SCTP')),"
    "  PRIMARY KEY (run_id, idx)"
    ") STRICT;"
    "CREATE TABLE snapshot_class ("
    "  run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,"
    "  port_idx INTEGER NOT NULL,"
    "  class INTEGER NOT NULL,"
    "  allowed BLOB NOT NULL,"
    "  PRIMARY KEY (run_id, port_idx, class)"
    ") STRICT;",
    /* 2 → 3: tables over the whole port space: the port ranges each column (snapshot_port)
     * stands for. A table on chosen ports has none: each of its columns is its port. */
    "CREATE TABLE snapshot_range ("
    "  run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,"
    "  port_idx INTEGER NOT NULL,"
    "  seq INTEGER NOT NULL,"
    "  protocol TEXT NOT NULL CHECK (protocol IN ('TCP', 'UDP', 'SCTP')),"
    "  lo INTEGER NOT NULL CHECK (lo BETWEEN 1 AND 65535),"
    "  hi INTEGER NOT NULL CHECK (hi BETWEEN lo AND 65535),"
    "  PRIMARY KEY (run_id, port_idx, seq)"
    ") STRICT;",
};

struct pn_store {
    sqlite3 *db;
    int version;
    long crash_after; /* test hook: PODNET_STORE_CRASH_AFTER rows, then SIGKILL; -1 off */
    long rows;
};

static int exec(pn_store *s, const char *sql)
{
    return sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* exec, retried while another process holds the lock: SQLite does not call the busy handler
 * for every lock (changing the journal mode, a read transaction that meets a writer starting
 * on a new file), so these wait here, 10 ms at a time, for at most about 5 s. */
static int exec_waiting(pn_store *s, const char *sql)
{
    for (int tries = 0;; tries++) {
        int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            return 0;
        if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || tries == 500)
            return -1;
        nanosleep(&(struct timespec){.tv_nsec = 10 * 1000 * 1000}, NULL);
    }
}

/* The integer a one-row, one-column query answers, or -1. */
static long long query_int(pn_store *s, const char *sql)
{
    sqlite3_stmt *st;
    long long v = -1;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static int read_version(pn_store *s)
{
    return (int)query_int(s, "PRAGMA user_version");
}

/* Whose the file is: podnet's (its application_id), empty (a new file: no schema at all), or
 * someone else's (another application_id, or tables without podnet's mark), which podnet must
 * neither read nor change. Returns 1 podnet's, 0 empty, -1 foreign, -2 unreadable. */
static int ownership(pn_store *s)
{
    /* One read transaction, so that both answers are of one moment (another process may be
     * creating the schema right now). */
    if (exec_waiting(s, "BEGIN") != 0)
        return -2;
    long long app = query_int(s, "PRAGMA application_id");
    long long objects = query_int(s, "SELECT count(*) FROM sqlite_master");
    long long version = query_int(s, "PRAGMA user_version");
    exec(s, "COMMIT");
    if (app < 0 || objects < 0 || version < 0)
        return -2;
    if (app == APPLICATION_ID)
        return 1;
    if (app != 0 || objects != 0)
        return -1;
    return version == 0 ? 0 : 1; /* a version without a schema: migrate judges it */
}

/* Migrates the schema up to target, a step per transaction. The version is read inside the
 * write transaction (BEGIN IMMEDIATE waits for the busy timeout), so two processes opening a
 * new file at once do not both run a step: the second finds it done. */
static int migrate(pn_store *s, int target)
{
    for (;;) {
        if (exec_waiting(s, "BEGIN IMMEDIATE") != 0)
            return -1;
        s->version = read_version(s);
        if (s->version < 0) {
            exec(s, "ROLLBACK");
            return -1;
        }
        if (s->version > PN_STORE_SCHEMA_VERSION) {
            exec(s, "ROLLBACK");
            return -2;
        }
        if (s->version >= target)
            return exec(s, "COMMIT");
        char pragma[64], app[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", s->version + 1);
        snprintf(app, sizeof app, "PRAGMA application_id = %d", APPLICATION_ID);
        if (exec(s, migrations[s->version]) != 0 || exec(s, pragma) != 0 ||
            (s->version == 0 && exec(s, app) != 0)) {
            exec(s, "ROLLBACK");
            return -1;
        }
        if (exec(s, "COMMIT") != 0)
            return -1;
    }
}

/* Opens path; create: make the file when it does not exist (recording), otherwise it must
 * exist (reading commands never create one). */
static pn_store *open_store(const char *path, int version, bool create, char **err)
{
    pn_store *s = pn_xcalloc(1, sizeof *s);
    const char *crash = getenv("PODNET_STORE_CRASH_AFTER");
    s->crash_after = crash ? strtol(crash, NULL, 10) : -1;
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    const char *why = NULL;
    if (!create && access(path, F_OK) != 0) {
        why = "no such results database (runs are recorded with --db on reach, run or check)";
    } else if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
        why = s->db ? sqlite3_errmsg(s->db) : "cannot open";
    } else {
        sqlite3_busy_timeout(s->db, 5000);
        int owner = ownership(s);
        if (owner == -2)
            why = "not an SQLite database, or it cannot be read";
        else if (owner < 0)
            why = "not a podnet results database (another application's file): left alone";
        else if (owner == 0 && !create)
            why = "not a podnet results database (empty): nothing recorded in it";
        else if (exec_waiting(s, "PRAGMA journal_mode = WAL") != 0 ||
                 exec(s, "PRAGMA foreign_keys = ON") != 0 ||
                 exec(s, "PRAGMA synchronous = NORMAL") != 0) {
            why = sqlite3_errmsg(s->db);
        } else {
            int m = migrate(s, version);
            if (m == -2)
                why = "the database was written by a newer podnet (schema version too high)";
            else if (m != 0)
                why = sqlite3_errmsg(s->db);
        }
    }
    if (why) {
        size_t n = strlen(path) + strlen(why) + 8;
        *err = pn_xcalloc(1, n);
        snprintf(*err, n, "%s: %s", path, why);
        pn_store_close(s);
        return NULL;
    }
    return s;
}

pn_store *pn_store_open_at(const char *path, int version, char **err)
{
    return open_store(path, version, true, err);
}

pn_store *pn_store_open(const char *path, char **err)
{
    return open_store(path, PN_STORE_SCHEMA_VERSION, true, err);
}

pn_store *pn_store_open_existing(const char *path, char **err)
{
    return open_store(path, PN_STORE_SCHEMA_VERSION, false, err);
}

bool pn_store_has_run(pn_store *s, int64_t run)
{
    sqlite3_stmt *st;
    bool found = false;
    if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM run WHERE id = ?", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, run);
        found = sqlite3_step(st) == SQLITE_ROW;
    }
    sqlite3_finalize(st);
    return found;
}

void pn_store_close(pn_store *s)
{
    if (!s)
        return;
    sqlite3_close_v2(s->db);
    free(s);
}

int pn_store_version(pn_store *s)
{
    return s->version;
}

const char *pn_store_errmsg(pn_store *s)
{
    return sqlite3_errmsg(s->db);
}

static sqlite3_stmt *prepare(pn_store *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
        return NULL;
    return st;
}

/* Steps an insert; counts rows for the crash test hook. */
static int step_done(pn_store *s, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (s->crash_after >= 0 && ++s->rows >= s->crash_after)
        raise(SIGKILL); /* the test of crash safety: die in the middle of a run's transaction */
    return rc == SQLITE_DONE ? PN_OK : PN_EIO;
}

int64_t pn_store_begin_run(pn_store *s, const pn_run_info *info)
{
    if (exec(s, "BEGIN IMMEDIATE") != 0)
        return PN_EIO;
    sqlite3_stmt *st = prepare(s, "INSERT INTO run (started_at, command, podnet_version, seed) "
                                  "VALUES (?, ?, ?, ?)");
    if (!st) {
        exec(s, "ROLLBACK");
        return PN_EIO;
    }
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    sqlite3_bind_text(st, 1, when, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, info->command, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, info->version, -1, SQLITE_STATIC);
    if (info->has_seed)
        sqlite3_bind_int64(st, 4, (sqlite3_int64)info->seed);
    int rc = step_done(s, st);
    sqlite3_finalize(st);
    if (rc != 0) {
        exec(s, "ROLLBACK");
        return PN_EIO;
    }
    return (int64_t)sqlite3_last_insert_rowid(s->db);
}

int pn_store_add_inputs(pn_store *s, int64_t run, const pn_input *inputs, size_t count)
{
    sqlite3_stmt *st = prepare(s, "INSERT OR REPLACE INTO input (run_id, path, sha256, bytes) "
                                  "VALUES (?, ?, ?, ?)");
    if (!st)
        return PN_EIO;
    int rc = 0;
    for (size_t i = 0; i < count && rc == 0; i++) {
        const pn_input *in = &inputs[i];
        sqlite3_bind_int64(st, 1, run);
        sqlite3_bind_text(st, 2, in->path, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, in->sha256, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)in->bytes);
        rc = step_done(s, st);
    }
    sqlite3_finalize(st);
    return rc;
}

int pn_store_add_results(pn_store *s, int64_t run, const char *scenario,
                         const pn_expect_results *res)
{
    sqlite3_stmt *seq = prepare(s, "SELECT coalesce(max(seq) + 1, 0) FROM expectation "
                                   "WHERE run_id = ?");
    sqlite3_stmt *st = prepare(s, "INSERT INTO expectation (run_id, seq, scenario, name, at, "
                                  "port, protocol, passed, pairs, wrong, source, detail) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    int rc = PN_EIO;
    if (seq && st) {
        sqlite3_bind_int64(seq, 1, run);
        int64_t next = sqlite3_step(seq) == SQLITE_ROW ? sqlite3_column_int64(seq, 0) : 0;
        rc = 0;
        for (size_t i = 0; i < res->count && rc == 0; i++) {
            const pn_expect_result *x = &res->items[i];
            char at[32] = "settled", source[700];
            if (x->at >= 0)
                pn_time_format(x->at, at);
            snprintf(source, sizeof source, "%s:%u:%u", x->file, x->line, x->column);
            sqlite3_bind_int64(st, 1, run);
            sqlite3_bind_int64(st, 2, next + (int64_t)i);
            if (scenario)
                sqlite3_bind_text(st, 3, scenario, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 4, x->name, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 5, at, -1, SQLITE_TRANSIENT);
            if (x->port.number) {
                sqlite3_bind_int(st, 6, x->port.number);
                sqlite3_bind_text(st, 7, pn_proto_name(x->port.proto), -1, SQLITE_STATIC);
            }
            if (x->detail)
                sqlite3_bind_text(st, 12, x->detail, -1, SQLITE_STATIC);
            sqlite3_bind_int(st, 8, x->passed);
            sqlite3_bind_int64(st, 9, (sqlite3_int64)x->pairs);
            sqlite3_bind_int64(st, 10, (sqlite3_int64)x->wrong);
            sqlite3_bind_text(st, 11, source, -1, SQLITE_TRANSIENT);
            rc = step_done(s, st);
        }
    }
    sqlite3_finalize(seq);
    sqlite3_finalize(st);
    return rc;
}

/* What each column of a table over the whole space stands for. */
static int add_ranges(pn_store *s, int64_t run, const pn_snapshot *snap)
{
    sqlite3_stmt *st = prepare(s, "INSERT INTO snapshot_range (run_id, port_idx, seq, protocol, "
                                  "lo, hi) VALUES (?, ?, ?, ?, ?, ?)");
    int rc = st ? PN_OK : PN_EIO;
    for (size_t p = 0; p < snap->port_count && rc == 0; p++)
        for (size_t i = snap->range_start[p]; i < snap->range_start[p + 1] && rc == 0; i++) {
            const pn_port_range *r = &snap->ranges[i];
            sqlite3_bind_int64(st, 1, run);
            sqlite3_bind_int64(st, 2, (sqlite3_int64)p);
            sqlite3_bind_int64(st, 3, (sqlite3_int64)(i - snap->range_start[p]));
            sqlite3_bind_text(st, 4, pn_proto_name(r->proto), -1, SQLITE_STATIC);
            sqlite3_bind_int(st, 5, r->lo);
            sqlite3_bind_int(st, 6, r->hi);
            rc = step_done(s, st);
        }
    sqlite3_finalize(st);
    return rc;
}

/* Reads the columns' ranges back; a table without any (on chosen ports, or recorded before
 * schema 3) gets a column per port. */
static int load_ranges(pn_store *s, int64_t run, pn_snapshot *out)
{
    pn_snapshot_port_columns(out);
    if (s->version < 3)
        return PN_OK;
    sqlite3_stmt *st = prepare(s, "SELECT port_idx, protocol, lo, hi FROM snapshot_range "
                                  "WHERE run_id = ? ORDER BY port_idx, seq");
    if (!st)
        return PN_EIO;
    sqlite3_bind_int64(st, 1, run);
    size_t count = 0, cap = 0, *per_column = pn_xcalloc(out->port_count + 1, sizeof *per_column);
    pn_port_range *ranges = NULL;
    int rc = PN_OK;
    while (rc == PN_OK && sqlite3_step(st) == SQLITE_ROW) {
        size_t p = (size_t)sqlite3_column_int64(st, 0);
        pn_port_range r = {.lo = (uint16_t)sqlite3_column_int(st, 2),
                           .hi = (uint16_t)sqlite3_column_int(st, 3)};
        if (p >= out->port_count ||
            pn_proto_parse((const char *)sqlite3_column_text(st, 1), &r.proto) != 0) {
            rc = PN_EIO; /* not what this podnet wrote */
            break;
        }
        PN_GROW(ranges, count, cap);
        ranges[count++] = r;
        per_column[p + 1]++;
    }
    sqlite3_finalize(st);
    if (rc == PN_OK && count) {
        for (size_t p = 0; p < out->port_count; p++)
            per_column[p + 1] += per_column[p];
        free(out->ranges);
        free(out->range_start);
        out->ranges = ranges;
        out->range_start = per_column;
        out->sets = true;
        return PN_OK;
    }
    free(ranges);
    free(per_column);
    return rc;
}

int pn_store_add_snapshot(pn_store *s, int64_t run, const pn_snapshot *snap)
{
    sqlite3_stmt *pod = prepare(s, "INSERT INTO snapshot_pod (run_id, idx, name, grp, class) "
                                   "VALUES (?, ?, ?, ?, ?)");
    sqlite3_stmt *port = prepare(s, "INSERT INTO snapshot_port (run_id, idx, number, protocol) "
                                    "VALUES (?, ?, ?, ?)");
    sqlite3_stmt *cls = prepare(s, "INSERT INTO snapshot_class (run_id, port_idx, class, "
                                   "allowed) VALUES (?, ?, ?, ?)");
    int rc = pod && port && cls ? PN_OK : PN_EIO;
    for (size_t i = 0; i < snap->n && rc == 0; i++) {
        sqlite3_bind_int64(pod, 1, run);
        sqlite3_bind_int64(pod, 2, (sqlite3_int64)i);
        sqlite3_bind_text(pod, 3, snap->names[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(pod, 4, snap->groups[i], -1, SQLITE_STATIC);
        sqlite3_bind_int64(pod, 5, snap->class_of[i]);
        rc = step_done(s, pod);
    }
    for (size_t p = 0; p < snap->port_count && rc == 0; p++) {
        sqlite3_bind_int64(port, 1, run);
        sqlite3_bind_int64(port, 2, (sqlite3_int64)p);
        sqlite3_bind_int(port, 3, snap->ports[p].number);
        sqlite3_bind_text(port, 4, pn_proto_name(snap->ports[p].proto), -1, SQLITE_STATIC);
        rc = step_done(s, port);
    }
    size_t bytes = snap->words * 8;
    unsigned char *blob = pn_xcalloc(bytes ? bytes : 1, 1);
    for (size_t p = 0; p < snap->port_count && rc == 0; p++)
        for (size_t c = 0; c < snap->classes && rc == 0; c++) {
            const uint64_t *row = snap->bits + (p * snap->classes + c) * snap->words;
            for (size_t w = 0; w < snap->words; w++)
                for (int b = 0; b < 8; b++)
                    blob[w * 8 + (size_t)b] = (unsigned char)(row[w] >> (8 * b));
            sqlite3_bind_int64(cls, 1, run);
            sqlite3_bind_int64(cls, 2, (sqlite3_int64)p);
            sqlite3_bind_int64(cls, 3, (sqlite3_int64)c);
            sqlite3_bind_blob(cls, 4, blob, (int)bytes, SQLITE_STATIC);
            rc = step_done(s, cls);
        }
    free(blob);
    sqlite3_finalize(pod);
    sqlite3_finalize(port);
    sqlite3_finalize(cls);
    if (rc == 0 && snap->sets)
        rc = add_ranges(s, run, snap);
    return rc;
}

int pn_store_end_run(pn_store *s, int64_t run, size_t passed, size_t failed)
{
    sqlite3_stmt *st = prepare(s, "UPDATE run SET passed = ?, failed = ? WHERE id = ?");
    int rc = PN_EIO;
    if (st) {
        sqlite3_bind_int64(st, 1, (sqlite3_int64)passed);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)failed);
        sqlite3_bind_int64(st, 3, run);
        rc = sqlite3_step(st) == SQLITE_DONE ? PN_OK : PN_EIO;
    }
    sqlite3_finalize(st);
    if (rc != 0 || exec(s, "COMMIT") != 0) {
        exec(s, "ROLLBACK");
        return PN_EIO;
    }
    return 0;
}

void pn_store_abort_run(pn_store *s)
{
    exec(s, "ROLLBACK");
}

int pn_store_load_snapshot(pn_store *s, int64_t run, pn_snapshot *out)
{
    *out = (pn_snapshot){0};
    sqlite3_stmt *pods = prepare(s, "SELECT name, grp, class FROM snapshot_pod WHERE run_id = ? "
                                    "ORDER BY idx");
    sqlite3_stmt *ports = prepare(s, "SELECT number, protocol FROM snapshot_port "
                                     "WHERE run_id = ? ORDER BY idx");
    sqlite3_stmt *classes = prepare(s, "SELECT port_idx, class, allowed FROM snapshot_class "
                                       "WHERE run_id = ? ORDER BY port_idx, class");
    int rc = pods && ports && classes ? PN_OK : PN_EIO;
    size_t cap = 0;
    if (rc == 0) {
        /* Every value is checked as read: a damaged or hand-edited file (a text that cannot
         * be read, a class no pod count allows, a port podnet never writes) makes the table
         * unreadable (PN_EIO), never a crash or a huge allocation. */
        int step = SQLITE_DONE;
        sqlite3_bind_int64(pods, 1, run);
        while (rc == 0 && (step = sqlite3_step(pods)) == SQLITE_ROW) {
            if (out->n == cap) {
                cap = cap ? cap * 2 : 64;
                out->names = pn_xrealloc(out->names, cap, sizeof *out->names);
                out->groups = pn_xrealloc(out->groups, cap, sizeof *out->groups);
                out->class_of = pn_xrealloc(out->class_of, cap, sizeof *out->class_of);
            }
            const char *name = (const char *)sqlite3_column_text(pods, 0);
            const char *group = (const char *)sqlite3_column_text(pods, 1);
            int64_t c = sqlite3_column_int64(pods, 2);
            if (!name || !group || c < 0 || c >= UINT32_MAX) {
                rc = PN_EIO;
                break;
            }
            out->names[out->n] = pn_xstrdup(name);
            out->groups[out->n] = pn_xstrdup(group);
            out->class_of[out->n++] = (uint32_t)c;
            if ((size_t)c + 1 > out->classes)
                out->classes = (size_t)c + 1;
        }
        if (rc == 0 && (step != SQLITE_DONE || out->classes > out->n))
            rc = PN_EIO; /* a read error, or more classes than pods */
        sqlite3_bind_int64(ports, 1, run);
        size_t port_cap = 0;
        while (rc == 0 && (step = sqlite3_step(ports)) == SQLITE_ROW) {
            if (out->port_count == port_cap) {
                port_cap = port_cap ? port_cap * 2 : 8;
                out->ports = pn_xrealloc(out->ports, port_cap, sizeof *out->ports);
            }
            pn_port *p = &out->ports[out->port_count++];
            int number = sqlite3_column_int(ports, 0);
            const char *proto = (const char *)sqlite3_column_text(ports, 1);
            p->number = (uint16_t)number;
            if (number < 1 || number > 65535 || !proto || pn_proto_parse(proto, &p->proto) != 0)
                rc = PN_EIO;
        }
        if (rc == 0 && step != SQLITE_DONE)
            rc = PN_EIO;
        if (rc == 0 && out->n == 0 && out->port_count == 0)
            rc = PN_ENOTFOUND;
    }
    if (rc == 0) {
        out->words = (out->classes + 63) / 64;
        size_t total = out->port_count * out->classes * out->words;
        out->bits = pn_xcalloc(total ? total : 1, sizeof *out->bits);
        sqlite3_bind_int64(classes, 1, run);
        int step = SQLITE_DONE;
        while ((step = sqlite3_step(classes)) == SQLITE_ROW) {
            size_t p = (size_t)sqlite3_column_int64(classes, 0);
            size_t c = (size_t)sqlite3_column_int64(classes, 1);
            const unsigned char *blob = sqlite3_column_blob(classes, 2);
            size_t bytes = (size_t)sqlite3_column_bytes(classes, 2);
            if (p >= out->port_count || c >= out->classes || bytes != out->words * 8 ||
                (bytes && !blob)) {
                rc = PN_EIO; /* not what this podnet wrote */
                break;
            }
            uint64_t *row = out->bits + (p * out->classes + c) * out->words;
            for (size_t w = 0; w < out->words; w++)
                for (int b = 0; b < 8; b++)
                    row[w] |= (uint64_t)blob[w * 8 + (size_t)b] << (8 * b);
        }
        if (rc == 0 && step != SQLITE_DONE)
            rc = PN_EIO;
    }
    sqlite3_finalize(pods);
    sqlite3_finalize(ports);
    sqlite3_finalize(classes);
    if (rc == 0)
        rc = load_ranges(s, run, out);
    if (rc != 0)
        pn_snapshot_clear(out);
    return rc;
}

int pn_store_history(pn_store *s, FILE *out, size_t count)
{
    sqlite3_stmt *st = prepare(s, "SELECT r.id, r.started_at, r.command, r.podnet_version, "
                                  "r.seed, r.passed, r.failed, "
                                  "(SELECT count(*) FROM input i WHERE i.run_id = r.id), "
                                  "(SELECT count(*) FROM snapshot_pod p WHERE p.run_id = r.id) "
                                  "FROM run r ORDER BY r.id DESC LIMIT ?");
    if (!st)
        return PN_EIO;
    sqlite3_bind_int64(st, 1, count ? (sqlite3_int64)count : -1);
    fprintf(out, "%-5s %-20s %-6s %-8s %6s %6s %6s %6s %5s\n", "run", "when (UTC)", "what",
            "version", "seed", "passed", "failed", "inputs", "pods");
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        char seed[24] = "-";
        if (sqlite3_column_type(st, 4) != SQLITE_NULL)
            snprintf(seed, sizeof seed, "%lld", (long long)sqlite3_column_int64(st, 4));
        const char *text[3]; /* a text a damaged file cannot give reads "?" */
        for (int i = 0; i < 3; i++)
            if (!(text[i] = (const char *)sqlite3_column_text(st, 1 + i)))
                text[i] = "?";
        fprintf(out, "%-5lld %-20s %-6s %-8s %6s %6lld %6lld %6lld %5lld\n",
                (long long)sqlite3_column_int64(st, 0), text[0], text[1], text[2], seed,
                (long long)sqlite3_column_int64(st, 5), (long long)sqlite3_column_int64(st, 6),
                (long long)sqlite3_column_int64(st, 7), (long long)sqlite3_column_int64(st, 8));
    }
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? 0 : PN_EIO; /* a read error is not the end of the runs */
}
