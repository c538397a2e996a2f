"""SQLite state of the emulator: trackers, tokens, conversations and jobs.

One ``sqlite3`` connection (``check_same_thread=False``) guarded by a re-entrant lock.
Every write happens inside :meth:`Store.atomic`, one ``BEGIN IMMEDIATE`` transaction,
so a fault or a crash never leaves half a bulk create ("Bulk create is all-or-nothing" in
``docs/api-contract.md``).
``db_path=None`` keeps everything in memory; a file path persists across restarts.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS trackers (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    vocabulary TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS trackers_name ON trackers (name);
CREATE TABLE IF NOT EXISTS tracker_fields (
    id TEXT PRIMARY KEY,
    fields TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
    token TEXT PRIMARY KEY,
    app_id TEXT NOT NULL,
    expires_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS conversations (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    account TEXT NOT NULL,
    name TEXT NOT NULL,
    messages TEXT NOT NULL,
    detected TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    account TEXT NOT NULL,
    created_at REAL NOT NULL,
    delay_ms INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS transcripts (
    key TEXT PRIMARY KEY,
    messages TEXT NOT NULL
);
"""

ID_LOW = 4_000_000_000_000_000  # 16-digit ids in [4e15, 7e15) ("ID formats")
ID_SPAN = 3_000_000_000_000_000


def new_numeric_id() -> str:
    """A random 16-digit numeric string in [4e15, 7e15) (like the documented ones)."""
    return str(ID_LOW + secrets.randbelow(ID_SPAN))


def _fields(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k not in ("id", "name", "vocabulary")}


def _tracker(row: sqlite3.Row) -> dict[str, Any]:
    return {"id": row["id"], "name": row["name"], "vocabulary": json.loads(row["vocabulary"])}


class Store:
    """Thread-safe access to the emulator's SQLite database.

    Args:
        db_path: a file to persist to, or ``None`` for a private in-memory database.
    """

    def __init__(self, db_path: str | Path | None = None) -> None:
        target = ":memory:" if db_path is None else str(db_path)
        self.db_path = None if db_path is None else Path(db_path)
        self._lock = threading.RLock()
        self._depth = 0
        self._conn = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        with self._lock:
            self._conn.executescript(SCHEMA)

    def close(self) -> None:
        """Close the connection (the file, if any, keeps every committed write)."""
        with self._lock:
            self._conn.close()

    @contextmanager
    def atomic(self) -> Iterator[Store]:
        """Hold the lock and one transaction; commit on success, roll back on any error."""
        with self._lock:
            outer = self._depth == 0
            if outer:
                self._conn.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield self
            except BaseException:
                self._depth -= 1
                if outer:
                    self._conn.execute("ROLLBACK")
                raise
            self._depth -= 1
            if outer:
                self._conn.execute("COMMIT")

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def _exec(self, sql: str, params: tuple[Any, ...] = ()) -> int:
        with self._lock:
            return self._conn.execute(sql, params).rowcount

    # -- trackers ---------------------------------------------------------------------
    def list_trackers(self, name: str | None = None) -> list[dict[str, Any]]:
        """All trackers in creation order, or those whose name equals ``name`` exactly."""
        if name is None:
            rows = self._rows("SELECT * FROM trackers ORDER BY seq")
        else:
            rows = self._rows("SELECT * FROM trackers WHERE name = ? ORDER BY seq", (name,))
        return self._with_fields([_tracker(r) for r in rows])

    def get_tracker(self, tracker_id: str) -> dict[str, Any] | None:
        """The tracker with this id, or ``None``."""
        rows = self._rows("SELECT * FROM trackers WHERE id = ?", (tracker_id,))
        return self._with_fields([_tracker(rows[0])])[0] if rows else None

    def _with_fields(self, trackers: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Add the fields besides id/name/vocabulary a tracker holds (seeded, or PUT)."""
        extra = {r["id"]: json.loads(r["fields"])
                 for r in self._rows("SELECT id, fields FROM tracker_fields")}
        if not extra:
            return trackers
        return [{**extra.get(t["id"], {}), **t} for t in trackers]

    def _set_fields(self, tracker_id: str, fields: dict[str, Any]) -> None:
        self._exec("DELETE FROM tracker_fields WHERE id = ?", (tracker_id,))
        if fields:
            self._exec("INSERT INTO tracker_fields (id, fields) VALUES (?, ?)",
                       (tracker_id, json.dumps(fields, ensure_ascii=False)))

    def count_trackers(self) -> int:
        """Number of stored trackers."""
        return int(self._rows("SELECT COUNT(*) AS n FROM trackers")[0]["n"])

    def names_taken(self, names: list[str], exclude_id: str | None = None) -> list[str]:
        """Those of ``names`` already used by a tracker (other than ``exclude_id``)."""
        taken = []
        for name in names:
            rows = self._rows(
                "SELECT 1 FROM trackers WHERE name = ? AND id != ?", (name, exclude_id or "")
            )
            if rows:
                taken.append(name)
        return taken

    def insert_trackers(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Store ``items`` (``name``, ``vocabulary``, optional ``id``) in one transaction.

        Any other key of an item is stored as a field of the tracker (like the
        description or categories Symbl's own UI may set) and returned by GET.

        Returns:
            The stored trackers with their ids, in input order.

        Raises:
            ValueError: a given id is already used (nothing is stored).
        """
        stored = []
        with self.atomic():
            for item in items:
                tracker_id = item.get("id") or self._free_id()
                if self.get_tracker(tracker_id) is not None:
                    raise ValueError(f"tracker id {tracker_id} already exists")
                vocabulary = json.dumps(item["vocabulary"], ensure_ascii=False)
                self._exec(
                    "INSERT INTO trackers (id, name, vocabulary) VALUES (?, ?, ?)",
                    (tracker_id, item["name"], vocabulary),
                )
                self._set_fields(tracker_id, _fields(item))
                stored.append({"id": tracker_id, "name": item["name"],
                               "vocabulary": item["vocabulary"]})
        return stored

    def _free_id(self) -> str:
        while True:
            candidate = new_numeric_id()
            if self.get_tracker(candidate) is None:
                return candidate

    def update_tracker(self, tracker_id: str, name: str, vocabulary: list[Any],
                       fields: dict[str, Any] | None = None) -> None:
        """Overwrite the name and vocabulary of an existing tracker (and, when given, its
        other fields: a PUT replaces the whole object, so fields it lacks are dropped)."""
        with self.atomic():
            self._exec(
                "UPDATE trackers SET name = ?, vocabulary = ? WHERE id = ?",
                (name, json.dumps(vocabulary, ensure_ascii=False), tracker_id),
            )
            if fields is not None:
                self._set_fields(tracker_id, fields)

    def delete_tracker(self, tracker_id: str) -> bool:
        """Delete a tracker; ``False`` if there was none with this id."""
        with self.atomic():
            self._exec("DELETE FROM tracker_fields WHERE id = ?", (tracker_id,))
            return self._exec("DELETE FROM trackers WHERE id = ?", (tracker_id,)) > 0

    # -- tokens -----------------------------------------------------------------------
    def live_token(self, app_id: str, now: float) -> tuple[str, float] | None:
        """The unexpired token of ``app_id`` and its expiry (epoch seconds), if any."""
        rows = self._rows(
            "SELECT token, expires_at FROM tokens WHERE app_id = ? AND expires_at > ? "
            "ORDER BY expires_at DESC LIMIT 1",
            (app_id, now),
        )
        return (rows[0]["token"], float(rows[0]["expires_at"])) if rows else None

    def add_token(self, token: str, app_id: str, expires_at: float) -> None:
        """Store a newly issued token."""
        with self.atomic():
            self._exec("INSERT INTO tokens VALUES (?, ?, ?)", (token, app_id, expires_at))

    def token_owner(self, token: str, now: float) -> str | None:
        """The app id owning ``token`` if it exists and has not expired."""
        rows = self._rows(
            "SELECT app_id FROM tokens WHERE token = ? AND expires_at > ?", (token, now)
        )
        return str(rows[0]["app_id"]) if rows else None

    def revoke_tokens(self, app_id: str) -> int:
        """Forget every token of ``app_id``; returns how many there were."""
        with self.atomic():
            return self._exec("DELETE FROM tokens WHERE app_id = ?", (app_id,))

    def expire_tokens(self) -> int:
        """Expire every token now (for tests of renewal); returns how many."""
        with self.atomic():
            return self._exec("DELETE FROM tokens")

    # -- conversations and jobs ---------------------------------------------------------
    def save_conversation(self, conv: dict[str, Any]) -> None:
        """Insert or replace a conversation (``id, account, name, messages, detected``)."""
        with self.atomic():
            self._exec(
                "INSERT INTO conversations (id, account, name, messages, detected) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                "messages = excluded.messages, detected = excluded.detected",
                (conv["id"], conv["account"], conv["name"],
                 json.dumps(conv["messages"], ensure_ascii=False),
                 json.dumps(conv["detected"], ensure_ascii=False)),
            )

    def get_conversation(self, conversation_id: str) -> dict[str, Any] | None:
        """The stored conversation, or ``None``."""
        rows = self._rows("SELECT * FROM conversations WHERE id = ?", (conversation_id,))
        if not rows:
            return None
        row = rows[0]
        return {"id": row["id"], "account": row["account"], "name": row["name"],
                "messages": json.loads(row["messages"]), "detected": json.loads(row["detected"])}

    def add_job(self, job_id: str, conversation_id: str, account: str, now: float,
                delay_ms: int) -> None:
        """Record a job created at ``now`` (epoch seconds) that completes after ``delay_ms``."""
        with self.atomic():
            self._exec("INSERT INTO jobs VALUES (?, ?, ?, ?, ?)",
                       (job_id, conversation_id, account, now, delay_ms))

    def get_job(self, job_id: str) -> dict[str, Any] | None:
        """The job row as a dict, or ``None``."""
        rows = self._rows("SELECT * FROM jobs WHERE id = ?", (job_id,))
        return dict(rows[0]) if rows else None

    def jobs_of(self, *, account: str | None = None,
                conversation_id: str | None = None) -> list[dict[str, Any]]:
        """Jobs of an account or a conversation, oldest first."""
        if conversation_id is not None:
            rows = self._rows("SELECT * FROM jobs WHERE conversation_id = ? ORDER BY created_at",
                              (conversation_id,))
        else:
            rows = self._rows("SELECT * FROM jobs WHERE account = ? ORDER BY created_at",
                              (account or "",))
        return [dict(r) for r in rows]

    def save_transcript(self, key: str, messages: list[Any]) -> None:
        """Register (or replace) the transcript of a media URL or upload hash ``key``."""
        with self.atomic():
            self._exec("INSERT INTO transcripts (key, messages) VALUES (?, ?) ON CONFLICT(key) "
                       "DO UPDATE SET messages = excluded.messages",
                       (key, json.dumps(messages, ensure_ascii=False)))

    def get_transcript(self, key: str) -> list[Any] | None:
        """The messages registered for ``key``, or ``None``."""
        rows = self._rows("SELECT messages FROM transcripts WHERE key = ?", (key,))
        return json.loads(rows[0]["messages"]) if rows else None

    def counts(self) -> dict[str, int]:
        """Row counts per table (for ``/_emulator/state``)."""
        tables = ("trackers", "conversations", "jobs", "transcripts")
        return {t: int(self._rows(f"SELECT COUNT(*) AS n FROM {t}")[0]["n"]) for t in tables}

    def clear(self) -> None:
        """Delete trackers, conversations, jobs and transcripts (tokens are kept)."""
        with self.atomic():
            for table in ("trackers", "tracker_fields", "conversations", "jobs", "transcripts"):
                self._exec(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
