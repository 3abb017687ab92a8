"""The log's schema: the ordered migrations `Store` applies, one per schema version.

Index + 1 is the schema version a migration produces. Never edit a released one; add the next.
A log opened read-only is never migrated: a reader of an older log sees only the values it holds.
"""

from __future__ import annotations

_PROMPTS = """
    CREATE TABLE prompts (
        id          INTEGER PRIMARY KEY,
        prompted_at TEXT NOT NULL,
        outcome     TEXT CHECK (outcome IN ({outcomes})),
        answered_at TEXT,
        routine     TEXT,
        sets        INTEGER,
        reps        INTEGER,
        seconds     INTEGER,
        squats      INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX prompts_by_time ON prompts (prompted_at);
    CREATE UNIQUE INDEX one_open_prompt ON prompts ((outcome IS NULL)) WHERE outcome IS NULL;
"""
_COLUMNS = "id, prompted_at, outcome, answered_at, routine, sets, reps, seconds, squats"

MIGRATIONS: tuple[str, ...] = (
    _PROMPTS.format(outcomes="'done', 'skipped', 'missed', 'natural'") + """
    CREATE TABLE events (
        id        INTEGER PRIMARY KEY,
        at        TEXT NOT NULL,
        kind      TEXT NOT NULL,
        prompt_id INTEGER REFERENCES prompts (id),
        data      TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX events_by_time ON events (at);
    CREATE INDEX events_by_prompt ON events (prompt_id);
    """,
    # 2: a prompt may end "paused" (the user paused while it was open). SQLite cannot change a CHECK in
    # place, so the table is copied into a new one; the events' references are checked at the commit.
    "PRAGMA defer_foreign_keys = ON;"
    f"CREATE TABLE prompts_v1 AS SELECT {_COLUMNS} FROM prompts; DROP TABLE prompts;"
    + _PROMPTS.format(outcomes="'done', 'skipped', 'missed', 'natural', 'paused'")
    + f"; INSERT INTO prompts ({_COLUMNS}) SELECT {_COLUMNS} FROM prompts_v1 ORDER BY id; DROP TABLE prompts_v1;",
)
