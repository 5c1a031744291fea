"""The moderators' service layer: every change to the knowledge base, for the Discord cog and the CLI.

`KnowledgeService(db, author)` wraps an open database (`bot.engine.store.connect`). Each action:
- runs in one transaction (``BEGIN IMMEDIATE``): all or nothing, and two processes never interleave;
- is validated with the loader's own rules on the changed objects against the stored data
  (`bot.engine.loader.cross_problems`; no file is dumped or parsed): a refused action raises
  `ServiceError` saying why and changes nothing;
- is written as a revision (who, when, the object before and after, as JSON) and bumps the
  `generation`, so the bot and the CLI use it on their next question, without a restart.

Who may edit is decided by the caller (the Discord cog checks roles); the service records `author`
("discord:<user id>" or "cli:<user>"). Messages of refusals are `mod.error.*` strings in
`knowledge/ui/moderation.yaml`: `ServiceError.code` and `.params` let a front end show them in the
user's language; `str(error)` is the English text.
"""

from __future__ import annotations

import copy
import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal

import sqlite_utils

from bot.engine.model import LANGS
from bot.engine.store import mark_exported, pending_revisions

ObjectType = Literal["entry", "intent", "course"]
OBJECT_TYPES: tuple[ObjectType, ...] = ("entry", "intent", "course")
TABLES: dict[str, str] = {"entry": "entries", "intent": "intents", "course": "courses"}
"""Object type -> its table, which is also its YAML file kind (top-level key)."""
_TYPE_OF_KIND: dict[str, ObjectType] = {TABLES[t]: t for t in OBJECT_TYPES}

INTENTS_PATH = "intents.yaml"
_FILE_RE = re.compile(r"^knowledge/(?:[a-z0-9][a-z0-9_-]*/)*[a-z0-9][a-z0-9_-]*\.yaml$")
MAX_AUTHOR = 100
REINDEX_IN_PLACE = 500
"""Up to this many edited course records are re-indexed one by one; more rebuild the search index."""


# ---------------------------------------------------------------------------------------------
# Errors


@cache
def _strings() -> Any:
    """The bundled strings service (`bot.engine.strings`), loaded on the first refusal."""
    from bot.engine.strings import bundled_strings

    return bundled_strings()


def message(code: str, language: str = "en", /, **params: Any) -> str:
    """The text of `mod.error.<code>` (knowledge/ui/moderation.yaml) in `language`, placeholders
    filled by the strings service's one rule (a placeholder with no value stays as `{name}`)."""
    return str(_strings().get(f"mod.error.{code}", language, **params))


class ServiceError(Exception):
    """A refused action: nothing was changed. `code` names the `mod.error.<code>` string, `params`
    fill its placeholders; `str()` gives the English text."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(message(code, **params))

    def localized(self, lang: str) -> str:
        return message(self.code, lang, **self.params)


class NotFoundError(ServiceError):
    """No object (or revision, gap group) with that id."""


class InvalidError(ServiceError):
    """The change breaks a rule of the knowledge base; `errors` lists each problem found."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("invalid", details="\n".join(errors), count=len(errors))


class ConflictError(ServiceError):
    """Someone saved the object since the caller read it; nothing was overwritten.

    `current` is the stored object now (its text, version and who changed it last)."""

    def __init__(self, current: StoredObject, expected_version: int, lang: str | None = None) -> None:
        self.current = current
        self.expected_version = expected_version
        newer = current.text(lang) if lang else json.dumps(current.data, ensure_ascii=False, indent=1)
        super().__init__(
            "conflict",
            id=current.id,
            who=current.updated_by or "?",
            when=current.updated_at or "?",
            version=current.version,
            expected=expected_version,
            newer=newer,
        )


# ---------------------------------------------------------------------------------------------
# Results


@dataclass
class StoredObject:
    """One entry, intent or course as stored now."""

    type: ObjectType
    id: str
    data: dict[str, Any]
    """The object exactly as in YAML."""
    file: str
    version: int
    updated_at: str | None
    updated_by: str | None

    def text(self, lang: str) -> str:
        """An entry's title and answer in `lang` (other objects: their JSON)."""
        if self.type == "entry":
            title = (self.data.get("title") or {}).get(lang, "")
            answer = (self.data.get("answer") or {}).get(lang, "")
            return f"{title}\n{answer}"
        return json.dumps(self.data, ensure_ascii=False, indent=1)


@dataclass
class Revision:
    """One change: who made it, when, and the object before and after it (None = absent)."""

    id: int
    object_type: str
    object_id: str
    action: str
    """create | update | delete | revert | import."""
    author: str
    at: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    note: str | None
    file: str | None


@dataclass
class Change:
    """What one action did to one object."""

    type: ObjectType
    id: str
    action: str
    """create | update | delete | revert | import; "unchanged" when nothing had to be written."""
    revision: int | None = None
    version: int | None = None
    """The object's version after the change (None once deleted)."""
    generation: int | None = None
    file: str | None = None

    @property
    def changed(self) -> bool:
        return self.action != "unchanged"


@dataclass
class Edit:
    """A planned change of one object (before/after are YAML data, None = absent): what `plan_add`
    returns and `KnowledgeService.apply` writes."""

    type: ObjectType
    id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    file: str
    action: str
    note: str | None = None
    version: int = 0
    position: int | None = field(default=None)
    schema_checked: bool = False
    """`after` passed `loader.object_errors` already (the importer checks every row): not again."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _json(value: Any, *, strict: bool = True) -> str:
    """Compact JSON; `strict` refuses NaN/Infinity (a stored NaN breaks every later JSON read).
    Only the `before` of a revision is written leniently, so a record poisoned by an older version
    can still be repaired."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=not strict)


def _copy(value: Any) -> Any:
    """A deep copy of JSON-like data (several times faster than `copy.deepcopy`)."""
    return json.loads(json.dumps(value, ensure_ascii=False))


def slug(text: str) -> str:
    """Lower-case a-z0-9 words joined by "-" (accents folded): the stem of a generated id."""
    if text.isascii():  # the same result, without the accent folding (an import slugs 100,000 codes)
        return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    from bot.engine.normalize import normalize

    return re.sub(r"[^a-z0-9]+", "-", normalize(text)).strip("-")


# ---------------------------------------------------------------------------------------------
# The service


class KnowledgeService:
    """Moderator actions on the knowledge base stored in `db`, recorded as made by `author`."""

    def __init__(self, db: sqlite_utils.Database, author: str) -> None:
        author = (author or "").strip()
        if not author or len(author) > MAX_AUTHOR:
            raise ValueError(f"author must be 1-{MAX_AUTHOR} characters, e.g. 'cli:alice'")
        self.db = db
        self.author = author

    @classmethod
    def open(cls, db_path: str | Path | None, author: str) -> KnowledgeService:
        """Open the database (building it from the bundled knowledge on first use)."""
        from bot.engine import paths
        from bot.engine.store import ensure_database

        return cls(ensure_database(paths.database_path(db_path)), author)

    # -- reading --------------------------------------------------------------------------------

    def find(self, object_id: str, type: ObjectType | None = None) -> list[StoredObject]:
        """Every stored object with this id (an entry and an intent may share one)."""
        out = []
        for t in (type,) if type else OBJECT_TYPES:
            obj = self._get(t, object_id)
            if obj is not None:
                out.append(obj)
        return out

    def get(self, object_id: str, type: ObjectType | None = None) -> StoredObject:
        """The one object with this id; NotFoundError if none (or ambiguous without `type`)."""
        found = self.find(object_id, type)
        if not found:
            raise NotFoundError("not_found", id=object_id)
        if len(found) > 1:
            raise ServiceError("ambiguous", id=object_id, types=", ".join(o.type for o in found))
        return found[0]

    def show(self, object_id: str, type: ObjectType | None = None) -> str:
        """The object(s) with this id as their YAML source (canonical format), each headed by a
        comment line giving its file, version and last change."""
        from bot.engine.dump import dump_file

        found = self.find(object_id, type)
        if not found:
            raise NotFoundError("not_found", id=object_id)
        parts = []
        for obj in found:
            text = dump_file(TABLES[obj.type], [obj.data], path=obj.file)
            body = text.split("\n", 1)[1]  # drop the schema line: this is a snippet, not a file
            who = f", changed by {obj.updated_by} at {obj.updated_at}" if obj.updated_by else ""
            parts.append(f"# {obj.file} ({obj.type} {obj.id}, version {obj.version}{who})\n{body}")
        return "\n".join(parts)

    def stored(self, type: ObjectType, object_id: str) -> StoredObject | None:
        """The object of this type and id as stored, None if there is none."""
        return self._get(type, object_id)

    def _get(self, type: ObjectType, object_id: str) -> StoredObject | None:
        file = "file" if type != "intent" else f"'{INTENTS_PATH}'"
        row = self.db.conn.execute(
            f"SELECT data, {file}, version, updated_at, updated_by FROM {TABLES[type]} WHERE id = ?",
            (object_id,),
        ).fetchone()
        if row is None:
            return None
        return StoredObject(type, object_id, json.loads(row[0]), row[1], row[2], row[3], row[4])

    def ids(self, type: ObjectType) -> list[str]:
        """All ids of one object type, sorted (for autocomplete)."""
        return [r[0] for r in self.db.conn.execute(f"SELECT id FROM {TABLES[type]} ORDER BY id")]

    # -- entries --------------------------------------------------------------------------------

    def edit_entry(
        self,
        entry_id: str,
        lang: str,
        *,
        title: str | None = None,
        answer: str | None = None,
        expected_version: int | None,
    ) -> Change:
        """Change an entry's title and/or answer in one language.

        `expected_version` is the version the moderator started from (`StoredObject.version`); if the
        entry changed since, ConflictError carries the newer text and who changed it. None skips the
        check (only for callers that read and write at once).
        """
        if lang not in LANGS:
            raise ServiceError("bad_lang", lang=lang, langs=", ".join(LANGS))
        if title is None and answer is None:
            raise ServiceError("nothing_to_change")
        with self._transaction():
            current = self._require("entry", entry_id)
            self._check_version(current, expected_version, lang)
            after = copy.deepcopy(current.data)
            for key, value in (("title", title), ("answer", answer)):
                if value is not None:
                    after.setdefault(key, {})[lang] = _clean_text(value, multiline=key == "answer")
            note = f"edit {lang}: " + " and ".join(k for k, v in (("title", title), ("answer", answer)) if v)
            return self._apply_one(Edit("entry", entry_id, current.data, after, current.file, "update", note))

    def replace(
        self, type: ObjectType, object_id: str, data: Mapping[str, Any], *, expected_version: int | None
    ) -> Change:
        """Replace a whole object (its id may not change); same concurrency rule as `edit_entry`."""
        if data.get("id") != object_id:
            raise ServiceError("id_mismatch", id=object_id, got=str(data.get("id")))
        with self._transaction():
            current = self._require(type, object_id)
            self._check_version(current, expected_version, None)
            return self._apply_one(Edit(type, object_id, current.data, dict(data), current.file, "update"))

    def edit_course(
        self, course_id: str, changes: Mapping[str, Any], *, expected_version: int | None
    ) -> Change:
        """Set fields of a catalogue record (None sets a field to null)."""
        if "id" in changes and changes["id"] != course_id:
            raise ServiceError("id_mismatch", id=course_id, got=str(changes["id"]))
        with self._transaction():
            current = self._require("course", course_id)
            self._check_version(current, expected_version, None)
            after = {**current.data, **changes}
            note = "edit " + ", ".join(sorted(changes))
            return self._apply_one(
                Edit("course", course_id, current.data, after, current.file, "update", note)
            )

    def add_entry(self, data: Mapping[str, Any], file: str | None = None) -> Change:
        """Add a new entry (the knowledge format), to `file` (default: knowledge/cmf.yaml)."""
        return self._add("entry", data, file)

    def add_course(self, data: Mapping[str, Any], file: str | None = None) -> Change:
        """Add a catalogue record, to `file` (default: the file holding its platform's records)."""
        return self._add("course", data, file)

    def add_intent(self, data: Mapping[str, Any]) -> Change:
        """Add an intent (to intents.yaml)."""
        return self._add("intent", data, INTENTS_PATH)

    def add_yaml(self, raw: bytes | str, name: str = "input.yaml") -> list[Change]:
        """Add every object of a YAML text in the knowledge format (entries:, courses: or intents:),
        all in one transaction; refused as a whole if any id exists already or any object is invalid."""
        from bot.engine.loader import parse_text

        kind, body, _, errors = parse_text(name, raw)
        if errors or kind not in _TYPE_OF_KIND or not isinstance(body, list):
            details = (
                "\n".join(str(e) for e in errors) or "expected entries:, courses: or intents: with a list"
            )
            raise InvalidError([details])
        type = _TYPE_OF_KIND[kind]
        with self._transaction():
            edits = []
            for obj in body:
                if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
                    raise InvalidError([f"{kind}: every object needs an id"])
                edits.append(self._plan_add(type, obj, None))
            return self._apply(edits)

    def _add(self, type: ObjectType, data: Mapping[str, Any], file: str | None) -> Change:
        with self._transaction():
            return self._apply_one(self._plan_add(type, dict(data), file))

    def plan_add(
        self, type: ObjectType, data: dict[str, Any], file: str | None = None, *, owned: bool = False
    ) -> Edit:
        """The edit adding a new object (to `file`, else its type's default file); ServiceError if the
        id exists. Nothing is written: pass it to `apply`. `owned`: the caller hands `data` over (it
        is not copied; an import's fresh rows)."""
        return self._plan_add(type, data, file, owned=owned)

    def _plan_add(
        self, type: ObjectType, data: dict[str, Any], file: str | None, *, owned: bool = False
    ) -> Edit:
        oid = data.get("id")
        if not isinstance(oid, str) or not oid:
            raise InvalidError(["id: missing"])
        if self._get(type, oid) is not None:
            raise ServiceError("exists", type=type, id=oid)
        after = data if owned else _copy(data)
        return Edit(type, oid, None, after, self._file_for(type, data, file), "create")

    def default_file(self, type: ObjectType, data: Mapping[str, Any]) -> str:
        """The file a new object of this type (and, for a course, platform) goes to by default."""
        return self._file_for(type, data, None)

    def delete_entry(self, entry_id: str, expected_version: int | None = None) -> Change:
        """Delete an entry; refused while an intent leads to it (the message names the intents)."""
        return self._delete("entry", entry_id, expected_version)

    def delete_course(self, course_id: str, expected_version: int | None = None) -> Change:
        return self._delete("course", course_id, expected_version)

    def delete_intent(self, intent_id: str, expected_version: int | None = None) -> Change:
        return self._delete("intent", intent_id, expected_version)

    def _delete(self, type: ObjectType, oid: str, expected_version: int | None) -> Change:
        with self._transaction():
            current = self._require(type, oid)
            self._check_version(current, expected_version, None)
            return self._apply_one(Edit(type, oid, current.data, None, current.file, "delete"))

    def _intents_leading_to(self, entry_id: str) -> list[str]:
        rows = self.db.conn.execute(
            "SELECT id FROM intents WHERE json_extract(data, '$.leads_to.entry') = ? ORDER BY id", (entry_id,)
        )
        return [r[0] for r in rows]

    # -- phrasings ------------------------------------------------------------------------------

    def add_phrasing(self, intent_id: str, lang: str, text: str) -> Change:
        """Teach an intent a new way of asking; the engine uses it on its next question."""
        from bot.engine.loader import text_key
        from bot.engine.normalize import normalize

        text = _clean_text(text, multiline=False)
        if lang not in LANGS:
            raise ServiceError("bad_lang", lang=lang, langs=", ".join(LANGS))
        key = normalize(text)
        if not key:
            raise ServiceError("empty_text")
        with self._transaction():
            current = self._require("intent", intent_id)
            for other_id, other_lang, other in self._phrasings():
                if text_key(other) == key:
                    if other_id == intent_id:
                        raise ServiceError("phrasing_exists", text=other, intent=intent_id, lang=other_lang)
                    raise ServiceError("phrasing_elsewhere", text=other, intent=other_id, lang=other_lang)
            after = copy.deepcopy(current.data)
            after.setdefault("phrasings", {}).setdefault(lang, []).append(text)
            edit = Edit(
                "intent", intent_id, current.data, after, INTENTS_PATH, "update", f"phrase add {lang}: {text}"
            )
            return self._apply_one(edit)

    def remove_phrasing(self, intent_id: str, lang: str, text: str) -> Change:
        """Remove a phrasing (matched after folding case, accents and punctuation)."""
        from bot.engine.normalize import normalize

        key = normalize(text)
        with self._transaction():
            current = self._require("intent", intent_id)
            after = copy.deepcopy(current.data)
            texts = (after.get("phrasings") or {}).get(lang) or []
            kept = [t for t in texts if normalize(t) != key]
            if len(kept) == len(texts):
                raise NotFoundError("phrasing_missing", text=text, intent=intent_id, lang=lang)
            after["phrasings"][lang] = kept
            edit = Edit(
                "intent",
                intent_id,
                current.data,
                after,
                INTENTS_PATH,
                "update",
                f"phrase remove {lang}: {text}",
            )
            return self._apply_one(edit)

    def _phrasings(self) -> Iterator[tuple[str, str, str]]:
        for intent_id, raw in self.db.conn.execute("SELECT id, data FROM intents ORDER BY position, id"):
            for lang, texts in (json.loads(raw).get("phrasings") or {}).items():
                for text in texts or []:
                    yield intent_id, lang, text

    # -- history and revert ---------------------------------------------------------------------

    def history(self, object_id: str, type: ObjectType | None = None, limit: int = 50) -> list[Revision]:
        """The revisions of the object(s) with this id, newest first."""
        sql = (
            "SELECT id, object_type, object_id, action, author, at, before, after, note, file FROM revisions "
            "WHERE object_id = ?" + (" AND object_type = ?" if type else "") + " ORDER BY id DESC LIMIT ?"
        )
        params: tuple[Any, ...] = (object_id, type, limit) if type else (object_id, limit)
        return [_revision(row) for row in self.db.conn.execute(sql, params)]

    def revision(self, revision_id: int) -> Revision:
        row = self.db.conn.execute(
            "SELECT id, object_type, object_id, action, author, at, before, after, note, file FROM revisions "
            "WHERE id = ?",
            (revision_id,),
        ).fetchone()
        if row is None:
            raise NotFoundError("revision_missing", revision=revision_id)
        return _revision(row)

    def revert(
        self, object_id: str, revision_id: int, *, to: Literal["before", "after"] = "before"
    ) -> Change:
        """Put the object back as it was before (or, with `to="after"`, right after) that revision.

        The revert is itself a new revision. Reverting a creation deletes the object; reverting a
        deletion re-creates it in its file.
        """
        rev = self.revision(revision_id)
        if rev.object_id != object_id:
            raise ServiceError("revision_other", revision=revision_id, id=object_id, other=rev.object_id)
        if rev.object_type not in TABLES:
            raise ServiceError("revision_other", revision=revision_id, id=object_id, other=rev.object_type)
        type: ObjectType = rev.object_type  # type: ignore[assignment]
        target = rev.before if to == "before" else rev.after
        with self._transaction():
            current = self._get(type, object_id)
            if (current.data if current else None) == target:
                raise ServiceError("already_so", id=object_id, revision=revision_id)
            file = current.file if current else (rev.file or self._file_for(type, target or {}, None))
            note = f"revert to {to} revision {revision_id}"
            edit = Edit(type, object_id, current.data if current else None, target, file, "revert", note)
            return self._apply_one(edit)

    # -- gaps, import, export, stats (thin wrappers over their modules) --------------------------

    def gaps(self, *, days: int | None = None, limit: int = 50) -> list[Any]:
        """Unanswered and 👎 questions grouped by similarity (`bot.moderation.gaps.GapGroup`)."""
        from bot.moderation.gaps import find_gaps

        return find_gaps(self.db, days=days, limit=limit)

    def gap_to_phrasing(self, group_id: str, intent_id: str, lang: str | None = None) -> Change:
        """Add the group's representative question as a phrasing of `intent_id` (in the group's
        language unless `lang` is given) and hide the group from the list."""
        from bot.moderation.gaps import find_group, record_dismissal

        group = find_group(self.db, group_id)
        change = self.add_phrasing(intent_id, lang or group.lang, group.text)
        record_dismissal(self.db, group, self.author, f"phrasing:{intent_id}")
        return change

    def dismiss_gap(self, group_id: str) -> None:
        """Hide a gap group (its questions asked so far); later similar questions show again."""
        from bot.moderation.gaps import find_group, record_dismissal

        record_dismissal(self.db, find_group(self.db, group_id), self.author, "dismiss")

    def import_file(self, data: bytes, fmt: str | None = None, **options: Any) -> Any:
        """Import a MOOChub JSON, CSV or YAML course list; see `bot.moderation.importer.import_bytes`."""
        from bot.moderation.importer import import_bytes

        return import_bytes(self, data, fmt, **options)

    def import_url(self, url: str, **options: Any) -> Any:
        """Import a MOOChub endpoint, following `links.next`; see `bot.moderation.importer.import_url`.
        The network fetch happens before the transaction; a caller holding its own lock should use
        `fetch_url` (outside the lock) and then `import_fetched`."""
        from bot.moderation.importer import import_url

        return import_url(self, url, **options)

    @staticmethod
    def fetch_url(url: str, **options: Any) -> Any:
        """Fetch a MOOChub endpoint's pages (network only: no database, no lock); see
        `bot.moderation.importer.fetch_url`. Apply the result with `import_fetched`."""
        from bot.moderation.importer import fetch_url

        return fetch_url(url, **options)

    def import_fetched(self, fetched: Any, **options: Any) -> Any:
        """Validate and apply pages from `fetch_url` in one short transaction."""
        from bot.moderation.importer import import_fetched

        return import_fetched(self, fetched, **options)

    def export(self, out_dir: str | Path) -> list[Path]:
        """Write the knowledge base as YAML files (knowledge/… and intents.yaml) under `out_dir`."""
        from bot.engine.dump import export_knowledge

        with self._transaction():  # fails on a read-only/locked database before any file is written
            mark_exported(self.db)
            return export_knowledge(self.db, Path(out_dir))

    def export_zip(self) -> bytes:
        """The same files as `export`, as the bytes of a zip archive (for a Discord attachment)."""
        from bot.engine.dump import dump_stored

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path, text in dump_stored(self.db):
                info = zipfile.ZipInfo(path, date_time=(2000, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, text.encode("utf-8"))
        mark_exported(self.db)
        return buffer.getvalue()

    def pending_revisions(self) -> int:
        """Revisions made since the last export (changes not yet back in git)."""
        return pending_revisions(self.db)

    def stats(self, days: int = 7) -> Any:
        """Questions per intent, unanswered rate and feedback ratio (`bot.moderation.stats.Stats`)."""
        from bot.moderation.stats import compute_stats

        return compute_stats(self.db, days)

    # -- the write path -------------------------------------------------------------------------

    def transaction(self) -> Any:
        """The write lock and unit of work of `apply`: ``with service.transaction(): ...``."""
        return self._transaction()

    def check(self, edits: list[Edit]) -> None:
        """Every check `apply` makes, without writing: run it before taking the write lock, then
        `apply(..., checked=True)` on the same generation. Raises ServiceError/InvalidError."""
        self._prevalidate(edits)

    def apply(self, edits: list[Edit], *, dry_run: bool = False, checked: bool = False) -> list[Change]:
        """Validate `edits` (unless `checked`) and write them, inside the caller's `transaction`; one
        `Change` per edit ("unchanged" when nothing had to be written)."""
        return self._apply(edits, dry_run=dry_run, validated=checked)

    def apply_batches(self, batches: Iterable[list[Edit]], *, checked: bool = False) -> int | None:
        """`apply` for more edits than should be held at once (an import of 100,000 records): each batch
        is validated (unless `checked`: the caller ran `check` on each, on this generation) and written
        in turn, inside the caller's `transaction`; the course index is brought up to date and the
        generation bumped once, at the end. Batches must not share an object. Returns the new
        generation, None when nothing had to be written."""
        from bot.engine.search import rebuild_index
        from bot.engine.store import bump_generation

        writer = _Writer(self.db.conn, self.author, _now())
        courses: list[Edit] = []
        rebuild = touched = False
        for edits in batches:
            real = [e for e in edits if e.before != e.after]
            if not checked:
                self._prevalidate(real)
            for edit in real:
                writer.write(edit)
            writer.revisions(real)
            touched = touched or bool(real)
            if not rebuild:
                courses += [e for e in real if e.type == "course"]
                rebuild = len(courses) > REINDEX_IN_PLACE or any(not (e.before and e.after) for e in courses)
        if not touched:
            return None
        if rebuild:
            rebuild_index(self.db)
        elif courses:
            self._reindex_courses(courses)
        return bump_generation(self.db)

    def _transaction(self) -> Any:
        from bot.engine.store import transaction

        return transaction(self.db)

    def _require(self, type: ObjectType, oid: str) -> StoredObject:
        obj = self._get(type, oid)
        if obj is None:
            raise NotFoundError("not_found_type", type=type, id=oid)
        return obj

    def _check_version(self, current: StoredObject, expected: int | None, lang: str | None) -> None:
        if expected is not None and current.version != expected:
            raise ConflictError(current, expected, lang)

    def _file_for(self, type: ObjectType, data: Mapping[str, Any], file: str | None) -> str:
        """Where a new object goes: `file` if given (checked), else a default for its type."""
        if type == "intent":
            return INTENTS_PATH
        if file is not None:
            if (
                not _FILE_RE.match(file)
                or file.startswith("knowledge/ui/")
                or file.startswith("knowledge/schemas/")
            ):
                raise ServiceError("bad_file", file=file)
            if (type == "course") != file.startswith("knowledge/catalogue/"):
                raise ServiceError("bad_file", file=file)
            kind = self.db.conn.execute("SELECT kind FROM files WHERE path = ?", (file,)).fetchone()
            if kind and kind[0] != TABLES[type]:
                raise ServiceError("bad_file", file=file)
            return file
        if type == "entry":
            files = [
                r[0]
                for r in self.db.conn.execute(
                    "SELECT path FROM files WHERE kind = 'entries' ORDER BY position"
                )
            ]
            return "knowledge/cmf.yaml" if "knowledge/cmf.yaml" in files or not files else files[0]
        platform = str(data.get("platform") or "")
        row = self.db.conn.execute(
            "SELECT file FROM courses WHERE platform = ? ORDER BY position LIMIT 1", (platform,)
        ).fetchone()
        if row:
            return row[0]
        first = platform.split()[0] if platform.split() else "courses"
        row = self.db.conn.execute(
            "SELECT file FROM courses WHERE platform = ? OR platform LIKE ? ORDER BY file, position LIMIT 1",
            (first, first + " %"),
        ).fetchone()
        return row[0] if row else f"knowledge/catalogue/{slug(first) or 'courses'}.yaml"

    def _apply_one(self, edit: Edit) -> Change:
        return self._apply([edit])[0]

    def _prevalidate(self, edits: list[Edit]) -> None:
        """Every check `_apply` makes, without writing (callers run it before taking the write lock)."""
        real = [e for e in edits if e.before != e.after]
        for edit in real:
            if edit.type == "entry" and edit.after is None:
                leading = self._intents_leading_to(edit.id)
                if leading:
                    raise ServiceError("entry_in_use", id=edit.id, intents=", ".join(leading))
        if real:
            self.validate(real)

    def _apply(self, edits: list[Edit], *, dry_run: bool = False, validated: bool = False) -> list[Change]:
        """Validate `edits` against the whole knowledge base (unless the caller did, with
        `_prevalidate`, on the same generation), then write them (inside the caller's transaction).
        Unchanged objects are reported as such and not written."""
        from bot.engine.store import bump_generation

        real = [e for e in edits if e.before != e.after]
        real_ids = {id(e) for e in real}
        if not validated:
            self._prevalidate(edits)
        if dry_run:
            return [
                Change(e.type, e.id, e.action if id(e) in real_ids else "unchanged", file=e.file)
                for e in edits
            ]
        now = _now()
        writer = _Writer(self.db.conn, self.author, now)
        versions = {id(edit): writer.write(edit) for edit in real}
        revision = writer.revisions(real)
        out: list[Change] = []
        touched = {e.type for e in real}
        for edit in edits:
            if id(edit) not in real_ids:
                out.append(Change(edit.type, edit.id, "unchanged", file=edit.file))
                continue
            rev = next(revision)
            out.append(Change(edit.type, edit.id, edit.action, rev, versions[id(edit)], file=edit.file))
        if touched:
            if "course" in touched:
                self._reindex_courses([e for e in real if e.type == "course"])
            gen = bump_generation(self.db)
            for change in out:
                if change.changed:
                    change.generation = gen
        return out

    def _reindex_courses(self, edits: list[Edit]) -> None:
        """Bring the course search index up to date: each edited record in place, or (for an added or
        deleted record, which changes catalogue order, or a large batch) the whole index at once."""
        from bot.engine.search import rebuild_index, update_course

        in_place = len(edits) <= REINDEX_IN_PLACE and all(e.before and e.after for e in edits)
        if not in_place:
            rebuild_index(self.db)
            return
        for edit in edits:
            assert edit.before is not None and edit.after is not None
            update_course(self.db, edit.id, edit.before, edit.after)

    def validate(self, edits: list[Edit]) -> None:
        """Raise InvalidError unless the knowledge base with `edits` applied keeps the loader's rules
        (`bot.engine.loader.cross_problems`): the edited objects' schema and the rules linking them to
        the rest, checked on the objects themselves; nothing is dumped, parsed or written."""
        from bot.engine.loader import cross_problems

        view = _View(self.db, edits)
        errors: list[str] = []
        seen: set[tuple[str, str]] = set()
        for edit in edits:
            if (edit.type, edit.id) in seen:
                errors.append(f'{edit.file}: {edit.type} "{edit.id}".id: duplicate id "{edit.id}"')
            seen.add((edit.type, edit.id))
        changed = [(TABLES[e.type], e.id, e.after) for e in edits]
        checked = {(TABLES[e.type], e.id) for e in edits if e.schema_checked}
        for problem in cross_problems(view, changed, checked):
            errors.append(_describe(problem, view.file_of(problem.kind, problem.id)))
        if errors:
            raise InvalidError(errors)


class _Writer:
    """Writes planned edits inside the caller's transaction: one statement per object (positions
    counted here, not queried per row) and the revisions in one batch."""

    def __init__(self, conn: Any, author: str, now: str) -> None:
        self.conn, self.author, self.now = conn, author, now
        self.positions: dict[tuple[str, str], int] = {}
        self.files: set[str] = set()
        self.dumped: dict[int, str] = {}
        """`after` as JSON, by edit, between `write` and `revisions` (dumped once)."""

    def _next_position(self, table: str, file: str) -> int:
        key = (table, file)
        if key not in self.positions:
            where = "" if table == "intents" else " WHERE file = ?"
            params = () if table == "intents" else (file,)
            row = self.conn.execute(
                f"SELECT COALESCE(MAX(position), -1) FROM {table}{where}", params
            ).fetchone()
            self.positions[key] = int(row[0])
        self.positions[key] += 1
        return self.positions[key]

    def write(self, edit: Edit) -> int | None:
        """Store one edit; the object's version after it (None once deleted)."""
        table = TABLES[edit.type]
        if edit.after is None:
            self.conn.execute(f"DELETE FROM {table} WHERE id = ?", (edit.id,))
            return None
        data = self.dumped[id(edit)] = _json(edit.after)
        if edit.before is None:
            version = self._insert(edit, table, data)
        else:
            extra = ", title = ?, platform = ?, type = ?, languages = ?" if table == "courses" else ""
            row = self.conn.execute(
                f"UPDATE {table} SET data = ?, version = version + 1, updated_at = ?, updated_by = ?{extra} "
                "WHERE id = ? RETURNING version",
                (data, self.now, self.author, *_course_columns(edit.after, table), edit.id),
            ).fetchone()
            version = int(row[0])
        if table == "intents":
            self._phrasings(edit.id, edit.after)
        return version

    def _insert(self, edit: Edit, table: str, data: str) -> int:
        assert edit.after is not None
        if table == "intents":
            self.conn.execute(
                "INSERT INTO intents (id, position, data, version, updated_at, updated_by) "
                "VALUES (?, ?, ?, 1, ?, ?)",
                (edit.id, self._next_position(table, INTENTS_PATH), data, self.now, self.author),
            )
            return 1
        self._ensure_file(edit.file, table)
        columns = ", title, platform, type, languages" if table == "courses" else ""
        marks = ", ?, ?, ?, ?" if table == "courses" else ""
        self.conn.execute(
            f"INSERT INTO {table} (id, file, position, data, version, updated_at, updated_by{columns}) "
            f"VALUES (?, ?, ?, ?, 1, ?, ?{marks})",
            (
                edit.id,
                edit.file,
                self._next_position(table, edit.file),
                data,
                self.now,
                self.author,
                *_course_columns(edit.after, table),
            ),
        )
        return 1

    def _phrasings(self, intent_id: str, after: Mapping[str, Any]) -> None:
        self.conn.execute("DELETE FROM phrasings WHERE intent_id = ?", (intent_id,))
        self.conn.executemany(
            "INSERT INTO phrasings (intent_id, lang, text, position) VALUES (?, ?, ?, ?)",
            [
                (intent_id, lang, text, n)
                for lang, texts in (after.get("phrasings") or {}).items()
                for n, text in enumerate(texts)
            ],
        )

    def _ensure_file(self, path: str, kind: str) -> None:
        if path in self.files:
            return
        self.files.add(path)
        if self.conn.execute("SELECT 1 FROM files WHERE path = ?", (path,)).fetchone():
            return
        position = self.conn.execute("SELECT COALESCE(MAX(position), -1) + 1 FROM files").fetchone()[0]
        self.conn.execute(
            "INSERT INTO files (path, kind, position, header) VALUES (?, ?, ?, '')", (path, kind, position)
        )

    def revisions(self, edits: list[Edit]) -> Iterator[int]:
        """Record one revision per edit (one batch); their ids, in order."""
        first = int(self.conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM revisions").fetchone()[0])
        self.conn.executemany(
            "INSERT INTO revisions (id, object_type, object_id, action, author, at, before, after, note, "
            "file) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (  # a generator: each `after` was dumped by `write` (held for this batch only)
                (
                    first + n,
                    edit.type,
                    edit.id,
                    edit.action,
                    self.author,
                    self.now,
                    None if edit.before is None else _json(edit.before, strict=False),
                    None if edit.after is None else self.dumped.pop(id(edit), None) or _json(edit.after),
                    edit.note,
                    edit.file,
                )
                for n, edit in enumerate(edits)
            ),
        )
        return iter(range(first, first + len(edits)))


def _course_columns(after: Mapping[str, Any], table: str) -> tuple[Any, ...]:
    """The denormalised columns of a course row (title, platform, type, languages)."""
    if table != "courses":
        return ()
    return (after["title"], after["platform"], after["type"], _json(after.get("languages") or []))


# ---------------------------------------------------------------------------------------------
# Helpers


def _revision(row: tuple[Any, ...]) -> Revision:
    before = json.loads(row[6]) if row[6] is not None else None
    after = json.loads(row[7]) if row[7] is not None else None
    return Revision(row[0], row[1], row[2], row[3], row[4], row[5], before, after, row[8], row[9])


def _clean_text(text: str, *, multiline: bool) -> str:
    """Trim; collapse Windows line ends; a one-line field may not contain a line break."""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n").strip()
    if not multiline:
        text = " ".join(text.split())
    return text


def _describe(problem: Any, file: str) -> str:
    """``knowledge/cmf.yaml: entry "x".title.fr: missing language "fr"`` (file, object, field, reason)."""
    from bot.engine.loader import format_path

    field = format_path(problem.path)
    sep = "" if not field or field.startswith("[") else "."
    return f'{file}: {_TYPE_OF_KIND[problem.kind]} "{problem.id}"{sep}{field}: {problem.reason}'


class _View:
    """The stored knowledge base with planned edits applied, read lazily (`loader.KnowledgeView`)."""

    def __init__(self, db: sqlite_utils.Database, edits: list[Edit]) -> None:
        self.conn = db.conn
        self.pending = {(TABLES[e.type], e.id): e.after for e in edits}
        self.files = {(TABLES[e.type], e.id): e.file for e in edits}

    def file_of(self, kind: str, oid: str) -> str:
        if (kind, oid) in self.files:
            return self.files[(kind, oid)]
        if kind == "intents":
            return INTENTS_PATH
        row = self.conn.execute(f"SELECT file FROM {kind} WHERE id = ?", (oid,)).fetchone()
        return str(row[0]) if row else "?"

    def entry(self, entry_id: str) -> Mapping[str, Any] | None:
        if ("entries", entry_id) in self.pending:
            return self.pending[("entries", entry_id)]
        row = self.conn.execute("SELECT data FROM entries WHERE id = ?", (entry_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def _rows(self, kind: str, sql: str) -> Iterator[tuple[str, Any]]:
        stored = set()
        for oid, raw in self.conn.execute(sql):
            stored.add(oid)
            if (kind, oid) not in self.pending:
                yield oid, json.loads(raw)
            elif self.pending[(kind, oid)] is not None:
                yield oid, self.pending[(kind, oid)]
        for (k, oid), data in self.pending.items():
            if k == kind and oid not in stored and data is not None:
                yield oid, data

    def intents(self) -> Iterator[tuple[str, Mapping[str, Any]]]:
        return self._rows("intents", "SELECT id, data FROM intents ORDER BY position, id")

    def titles(self) -> Iterator[tuple[str, Any]]:
        sql = (
            "SELECT e.id, json_object('title', json_extract(e.data, '$.title')) FROM entries e "
            "LEFT JOIN files f ON f.path = e.file ORDER BY f.position, e.file, e.position, e.id"
        )
        for oid, data in self._rows("entries", sql):
            yield oid, data.get("title") if isinstance(data, dict) else None
