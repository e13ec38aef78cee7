# ruff: noqa: S608 - the SQL is built from fixed table and column names; it takes no input
# What the index figures need, maintained by database triggers so a recomputation reads ~20 rows
# per region instead of every answer and every entry (ADR 0010):
#
# IndicatorLevelSum: Σ level per (assessment, indicator) of the eligible innovations' rows, in
# the three projections (the CASE logic of the aggregate scoring ran before):
#   claimed  = level
#   expected = level, 0 when rejected
#   verified = the accepted level: level when accepted; while a claim waits, the level accepted
#              before when the claim raised it (accepted_level < level), else level; 0 otherwise.
# AffairCount: per (assessment, government affair), how many eligible entries have it as their
#   innovation's main affair (Σ main = the number of eligible innovations) and how many among its
#   related affairs (the basic services covered).
#
# Every statement that writes answers, entries, innovations or their related affairs adds the
# difference it makes (new contribution − old) to the sums; deletions only subtract from rows
# that exist (never insert), so a cascade that removed the sums first leaves nothing behind.
# PostgreSQL runs one trigger per statement (reading its transition tables, so a bulk load of
# 734,840 rows is one aggregate) and applies the grouped deltas in key order (two statements lock
# the sums in the same order); SQLite, which has no statement triggers, one per row.
#
# The SQL is written out here, not imported, so this migration keeps doing what it did when the
# models change later: a change of the triggers is a new migration that replaces them.
# scoring.rebuild_level_sums is the application's copy of the fill at the end.

import django.db.models.deletion
from django.db import migrations, models

SUMS = "assessment_indicatorlevelsum"
COUNTS = "assessment_affaircount"
ANSWER = "assessment_answer"
ENTRY = "assessment_entry"
INNOVATION = "innovations_innovation"
RELATED = "innovations_innovation_related_affairs"
COLUMNS = "assessment_id, indicator_id, claimed, expected, verified"
COUNT_COLUMNS = "assessment_id, affair_id, main, related"


def contribution(row: str) -> tuple[str, str, str]:
    """What answer row `row` (an alias) adds to the claimed, expected and verified sums."""
    return (
        f"{row}.level",
        f"CASE WHEN {row}.status = 'rejected' THEN 0 ELSE {row}.level END",
        f"CASE WHEN {row}.status = 'accepted' THEN {row}.level"
        f" WHEN {row}.status = 'claimed' AND {row}.accepted_level < {row}.level THEN {row}.accepted_level"
        f" WHEN {row}.status = 'claimed' THEN {row}.level ELSE 0 END",
    )


ADD = (
    "ON CONFLICT (assessment_id, indicator_id) DO UPDATE SET claimed = {t}.claimed + excluded.claimed,"
    " expected = {t}.expected + excluded.expected, verified = {t}.verified + excluded.verified"
).format(t=SUMS)


def subtract_from(source: str) -> str:
    """UPDATE the existing sums by the rows of `source` (assessment_id, indicator_id, claimed,
    expected, verified); no row is inserted."""
    return (
        f"UPDATE {SUMS} SET claimed = {SUMS}.claimed - d.claimed, expected = {SUMS}.expected - d.expected,"
        f" verified = {SUMS}.verified - d.verified FROM ({source}) AS d"
        f" WHERE {SUMS}.assessment_id = d.assessment_id AND {SUMS}.indicator_id = d.indicator_id"
    )


def grouped(rows: str, where: str, row: str = "a", sign: str = "") -> str:
    """Σ contributions of the answer rows of FROM clause `rows` per (assessment, indicator)."""
    claimed, expected, verified = (f"SUM({sign}({part}))" for part in contribution(row))
    return (
        f"SELECT {row}.scoring_assessment_id AS assessment_id, {row}.indicator_id AS indicator_id,"
        f" {claimed} AS claimed, {expected} AS expected, {verified} AS verified FROM {rows} WHERE {where}"
        f" GROUP BY {row}.scoring_assessment_id, {row}.indicator_id"
    )


ELIGIBLE = "EXISTS (SELECT 1 FROM " + ENTRY + " e WHERE e.id = {row}.entry_id AND e.is_eligible)"
NONZERO_SUMS = "HAVING SUM(claimed) <> 0 OR SUM(expected) <> 0 OR SUM(verified) <> 0"


def net_sums(added: str, removed: str) -> str:
    """Upsert the net change of two grouped selects of level sums; nothing when it is zero (an
    update that moves no level, a note or a date, writes nothing)."""
    return (
        f"INSERT INTO {SUMS} ({COLUMNS}) SELECT assessment_id, indicator_id, SUM(claimed), SUM(expected),"
        f" SUM(verified) FROM ({added} UNION ALL {removed}) d WHERE 1 = 1 GROUP BY assessment_id, indicator_id"
        f" {NONZERO_SUMS} ORDER BY 1, 2 {ADD}"
    )


# Affair counts ---------------------------------------------------------------------------------

ADD_COUNTS = (
    "ON CONFLICT (assessment_id, affair_id) DO UPDATE SET main = {t}.main + excluded.main,"
    " related = {t}.related + excluded.related"
).format(t=COUNTS)


def subtract_counts(source: str) -> str:
    return (
        f"UPDATE {COUNTS} SET main = {COUNTS}.main - d.main, related = {COUNTS}.related - d.related"
        f" FROM ({source}) AS d WHERE {COUNTS}.assessment_id = d.assessment_id AND {COUNTS}.affair_id = d.affair_id"
    )


def entry_affairs(entries: str, sign: str = "") -> str:
    """(assessment_id, affair_id, main, related) of the eligible entries of FROM item `entries`
    (alias n: assessment_id, innovation_id, is_eligible), one row per affair of each."""
    return (
        f"SELECT n.assessment_id AS assessment_id, i.main_affair_id AS affair_id, {sign}1 AS main, 0 AS related"
        f" FROM {entries} JOIN {INNOVATION} i ON i.id = n.innovation_id WHERE n.is_eligible"
        f" UNION ALL SELECT n.assessment_id, r.governmentaffair_id, 0, {sign}1"
        f" FROM {entries} JOIN {RELATED} r ON r.innovation_id = n.innovation_id WHERE n.is_eligible"
    )


def counted(rows: str, having: bool = False) -> str:
    """The rows of select `rows` summed per (assessment, affair), in key order."""
    nonzero = " HAVING SUM(main) <> 0 OR SUM(related) <> 0" if having else ""
    return (
        f"SELECT assessment_id, affair_id, SUM(main) AS main, SUM(related) AS related FROM ({rows}) u"
        f" WHERE 1 = 1 GROUP BY assessment_id, affair_id{nonzero} ORDER BY 1, 2"
    )


def add_counts(rows: str, having: bool = False) -> str:
    return f"INSERT INTO {COUNTS} ({COUNT_COLUMNS}) {counted(rows, having)} {ADD_COUNTS}"


def main_affair_changes(innovations: str) -> str:
    """For innovations whose main affair changed (FROM item with aliases o and n, the row before
    and after), the counts moved from the old affair to the new one in each eligible entry."""
    return (
        f"SELECT e.assessment_id, n.main_affair_id AS affair_id, 1 AS main, 0 AS related FROM {innovations}"
        f" JOIN {ENTRY} e ON e.innovation_id = n.id AND e.is_eligible WHERE o.main_affair_id <> n.main_affair_id"
        f" UNION ALL SELECT e.assessment_id, o.main_affair_id, -1, 0 FROM {innovations}"
        f" JOIN {ENTRY} e ON e.innovation_id = n.id AND e.is_eligible WHERE o.main_affair_id <> n.main_affair_id"
    )


def related_affairs(links: str, sign: str = "") -> str:
    """(assessment_id, affair_id, 0, ±1) for each related-affair link (FROM item, alias r) of an
    innovation, in each of its eligible entries."""
    return (
        f"SELECT e.assessment_id AS assessment_id, r.governmentaffair_id AS affair_id, 0 AS main,"
        f" {sign}1 AS related FROM {links} JOIN {ENTRY} e ON e.innovation_id = r.innovation_id AND e.is_eligible"
    )


# PostgreSQL -------------------------------------------------------------------------------------

ELIGIBLE_ROWS = "{rows} a JOIN " + ENTRY + " e ON e.id = a.entry_id AND e.is_eligible"
INSERTED, DELETED = "NEW TABLE AS changed", "OLD TABLE AS changed"
UPDATED = "OLD TABLE AS old_rows NEW TABLE AS new_rows"
# (table, event): (transition tables, statements)
POSTGRESQL = {
    (ANSWER, "INSERT"): (
        INSERTED,
        [f"INSERT INTO {SUMS} ({COLUMNS}) {grouped(ELIGIBLE_ROWS.format(rows='changed'), 'TRUE')} ORDER BY 1, 2 {ADD}"],
    ),
    (ANSWER, "DELETE"): (DELETED, [subtract_from(grouped(ELIGIBLE_ROWS.format(rows="changed"), "TRUE"))]),
    (ANSWER, "UPDATE"): (
        UPDATED,
        [
            net_sums(
                grouped(ELIGIBLE_ROWS.format(rows="new_rows"), "TRUE"),
                grouped(ELIGIBLE_ROWS.format(rows="old_rows"), "TRUE", sign="-"),
            )
        ],
    ),
    # An entry made after its rows (possible inside a transaction: the keys are checked at commit).
    (ENTRY, "INSERT"): (
        INSERTED,
        [
            f"INSERT INTO {SUMS} ({COLUMNS}) {grouped(f'changed n JOIN {ANSWER} a ON a.entry_id = n.id', 'n.is_eligible')}"
            f" ORDER BY 1, 2 {ADD}",
            add_counts(entry_affairs("changed n")),
        ],
    ),
    (ENTRY, "DELETE"): (
        DELETED,
        [
            subtract_from(grouped(f"changed o JOIN {ANSWER} a ON a.entry_id = o.id", "o.is_eligible")),
            subtract_counts(counted(entry_affairs("changed n"))),
        ],
    ),
    # Eligibility flipped: the entry's rows start or stop counting, and so do its affairs.
    (ENTRY, "UPDATE"): (
        UPDATED,
        [
            f"INSERT INTO {SUMS} ({COLUMNS}) SELECT a.scoring_assessment_id, a.indicator_id, "
            + ", ".join(f"SUM(CASE WHEN n.is_eligible THEN 1 ELSE -1 END * ({part}))" for part in contribution("a"))
            + f" FROM new_rows n JOIN old_rows o ON o.id = n.id AND o.is_eligible <> n.is_eligible"
            f" JOIN {ANSWER} a ON a.entry_id = n.id GROUP BY a.scoring_assessment_id, a.indicator_id"
            f" ORDER BY 1, 2 {ADD}",
            add_counts(f"{entry_affairs('new_rows n')} UNION ALL {entry_affairs('old_rows n', sign='-')}", having=True),
        ],
    ),
    (INNOVATION, "UPDATE"): (
        UPDATED,
        [add_counts(main_affair_changes("new_rows n JOIN old_rows o ON o.id = n.id"), having=True)],
    ),
    (RELATED, "INSERT"): (INSERTED, [add_counts(related_affairs("changed r"))]),
    (RELATED, "DELETE"): (DELETED, [subtract_counts(counted(related_affairs("changed r")))]),
    (RELATED, "UPDATE"): (
        UPDATED,
        [add_counts(f"{related_affairs('new_rows r')} UNION ALL {related_affairs('old_rows r', sign='-')}", True)],
    ),
}


def _postgresql_sql():
    create, drop = [], []
    for (table, event), (transition, statements) in POSTGRESQL.items():
        name = f"index_sums_{table}_{event.lower()}"[:63]
        body = "\n".join(f"{statement};" for statement in statements)
        create.append(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n{body}\nRETURN NULL;\nEND;\n$$;"
        )
        create.append(
            f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {transition}"
            f" FOR EACH STATEMENT EXECUTE FUNCTION {name}();"
        )
        drop.append(f"DROP TRIGGER IF EXISTS {name} ON {table};")
        drop.append(f"DROP FUNCTION IF EXISTS {name}();")
    # The figures of every region are rewritten together: room on each page lets PostgreSQL
    # update the assessment rows in place (HOT), without touching their indexes.
    create.append("ALTER TABLE assessment_assessment SET (fillfactor = 50)")
    drop.append("ALTER TABLE assessment_assessment RESET (fillfactor)")
    return create, drop


# SQLite -----------------------------------------------------------------------------------------


def _upsert_row(row: str) -> str:
    """Add one answer row's contribution when its entry is eligible."""
    return (
        f"INSERT INTO {SUMS} ({COLUMNS}) SELECT {row}.scoring_assessment_id, {row}.indicator_id,"
        f" {', '.join(contribution(row))} WHERE {ELIGIBLE.format(row=row)} {ADD};"
    )


def _subtract_row(row: str) -> str:
    """Take one answer row's contribution away when its entry is eligible."""
    claimed, expected, verified = contribution(row)
    return (
        f"UPDATE {SUMS} SET claimed = claimed - {claimed}, expected = expected - ({expected}),"
        f" verified = verified - ({verified}) WHERE assessment_id = {row}.scoring_assessment_id"
        f" AND indicator_id = {row}.indicator_id AND {ELIGIBLE.format(row=row)};"
    )


def _entry(row: str) -> str:
    """One entry row (NEW or OLD) as a FROM item."""
    return (
        f"(SELECT {row}.assessment_id AS assessment_id, {row}.innovation_id AS innovation_id,"
        f" {row}.is_eligible AS is_eligible) n"
    )


def _link(row: str) -> str:
    return f"(SELECT {row}.innovation_id AS innovation_id, {row}.governmentaffair_id AS governmentaffair_id) r"


def _main_affair(row: str, sign: str) -> str:
    return (
        f"SELECT e.assessment_id AS assessment_id, {row}.main_affair_id AS affair_id, {sign}1 AS main, 0 AS related"
        f" FROM {ENTRY} e WHERE e.innovation_id = {row}.id AND e.is_eligible"
    )


# One row at a time: what the row was stops counting, what it is starts counting.
SQLITE = {
    "answer_insert": f"AFTER INSERT ON {ANSWER} FOR EACH ROW BEGIN {_upsert_row('NEW')} END",
    "answer_delete": f"AFTER DELETE ON {ANSWER} FOR EACH ROW BEGIN {_subtract_row('OLD')} END",
    "answer_update": (
        f"AFTER UPDATE OF level, status, accepted_level, entry_id, indicator_id, scoring_assessment_id ON {ANSWER}"
        f" FOR EACH ROW BEGIN {_subtract_row('OLD')} {_upsert_row('NEW')} END"
    ),
    "entry_insert": (
        f"AFTER INSERT ON {ENTRY} FOR EACH ROW BEGIN"
        f" INSERT INTO {SUMS} ({COLUMNS}) {grouped(ANSWER + ' a', 'a.entry_id = NEW.id AND NEW.is_eligible')} {ADD};"
        f" {add_counts(entry_affairs(_entry('NEW')))}; END"
    ),
    "entry_delete": (
        f"AFTER DELETE ON {ENTRY} FOR EACH ROW BEGIN"
        f" {subtract_from(grouped(ANSWER + ' a', 'a.entry_id = OLD.id AND OLD.is_eligible'))};"
        f" {subtract_counts(counted(entry_affairs(_entry('OLD'))))}; END"
    ),
    "entry_update": (
        f"AFTER UPDATE OF is_eligible, innovation_id, assessment_id ON {ENTRY} FOR EACH ROW BEGIN"
        f" {subtract_from(grouped(ANSWER + ' a', 'a.entry_id = OLD.id AND OLD.is_eligible'))};"
        f" INSERT INTO {SUMS} ({COLUMNS}) {grouped(ANSWER + ' a', 'a.entry_id = NEW.id AND NEW.is_eligible')} {ADD};"
        f" {subtract_counts(counted(entry_affairs(_entry('OLD'))))};"
        f" {add_counts(entry_affairs(_entry('NEW')))}; END"
    ),
    "innovation_update": (
        f"AFTER UPDATE OF main_affair_id ON {INNOVATION} FOR EACH ROW WHEN OLD.main_affair_id <> NEW.main_affair_id"
        f" BEGIN {subtract_counts(counted(_main_affair('OLD', '')))}; {add_counts(_main_affair('NEW', ''))}; END"
    ),
    "related_insert": f"AFTER INSERT ON {RELATED} FOR EACH ROW BEGIN {add_counts(related_affairs(_link('NEW')))}; END",
    "related_delete": (
        f"AFTER DELETE ON {RELATED} FOR EACH ROW BEGIN {subtract_counts(counted(related_affairs(_link('OLD'))))}; END"
    ),
    "related_update": (
        f"AFTER UPDATE ON {RELATED} FOR EACH ROW BEGIN {subtract_counts(counted(related_affairs(_link('OLD'))))};"
        f" {add_counts(related_affairs(_link('NEW')))}; END"
    ),
}


def _sqlite_sql():
    create = [f"CREATE TRIGGER index_sums_{name} {body};" for name, body in SQLITE.items()]
    drop = [f"DROP TRIGGER IF EXISTS index_sums_{name};" for name in SQLITE]
    return create, drop


def _statements(vendor: str):
    if vendor == "postgresql":
        return _postgresql_sql()
    if vendor == "sqlite":
        return _sqlite_sql()
    raise NotImplementedError(f"no index-sum triggers for {vendor}")


def create_triggers_and_fill(apps, schema_editor):
    create, _drop = _statements(schema_editor.connection.vendor)
    for statement in create:
        schema_editor.execute(statement, params=None)
    # What is there already (the triggers count only what is written from now on).
    schema_editor.execute(
        f"INSERT INTO {SUMS} ({COLUMNS}) {grouped(ELIGIBLE_ROWS.format(rows=ANSWER), '1 = 1')}", params=None
    )
    schema_editor.execute(f"INSERT INTO {COUNTS} ({COUNT_COLUMNS}) {counted(entry_affairs(ENTRY + ' n'))}", params=None)


def drop_triggers(apps, schema_editor):
    _create, drop = _statements(schema_editor.connection.vendor)
    for statement in drop:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0009_answer_awaiting_oldest_index"),
        ("frameworks", "0004_outcome_rows_inferences"),
        ("innovations", "0006_citizen_track_showcase_media"),
    ]

    operations = [
        migrations.CreateModel(
            name="IndicatorLevelSum",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("claimed", models.IntegerField(default=0)),
                ("expected", models.IntegerField(default=0)),
                ("verified", models.IntegerField(default=0)),
                (
                    "assessment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="assessment.assessment"
                    ),
                ),
                (
                    "indicator",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="frameworks.indicator"
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("assessment", "indicator"), name="level_sum_unique_row")
                ],
            },
        ),
        migrations.CreateModel(
            name="AffairCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("main", models.IntegerField(default=0)),
                ("related", models.IntegerField(default=0)),
                (
                    "affair",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="innovations.governmentaffair"
                    ),
                ),
                (
                    "assessment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="assessment.assessment"
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("assessment", "affair"), name="affair_count_unique_row")
                ],
            },
        ),
        migrations.RunPython(create_triggers_and_fill, drop_triggers),
    ]
