"""Course search over the catalogue: SQLite FTS5 for words, character trigrams for misspelt titles.

`rebuild_index` derives four tables from `courses` (never edited by hand, rebuilt after every change):

- `course_index`: one row per course (integer `rowid` shared by the FTS tables), with the normalised
  title and the filter columns (platform, type, ECTS, EQF level).
- `course_index_langs`: (lang, doc) pairs for the language filter.
- `course_fts`: FTS5 over title, subjects, institution and platform/type (porter stemming on top of
  unicode61 with accents removed), ranked by bm25 with the title and subjects weighted highest.
- `course_trigrams`: FTS5 with the trigram tokenizer over normalised titles, for titles typed with
  typos; `course_terms` lists the words of titles and subjects with their document frequency, and
  `course_terms_tri` indexes those words by trigram to correct a misspelt query word.

A query gathers a small candidate set in SQL (filters applied there) and re-ranks it in Python:

1. Words: every query word (or group of alternative words) must match (AND), bm25-ranked (words in
   more than BM25_COMMON_DF courses match but are not scored). A word in no title, subject or
   institution also accepts the closest indexed words (ratio >= 80), so "statistcs" finds
   "statistics". When nothing matches all words, words matching no course are dropped.
2. Titles, when some word is in no course or no course has all the words, and no course of step 1
   has a title STRONG_TITLE_SIMILARITY similar: the rarest trigrams of the normalised query (OR of
   three AND groups of three, so that a typo spoils one group, not the search) select up to 40
   titles by bm25; those at least TITLE_MIN_SIMILARITY similar (rapidfuzz `ratio` on normalised
   titles) are kept.
3. Still nothing, and no strongly similar title: "all words but one", then OR of the rarer words.
4. Score (0-1) = max(title similarity, 0.55 * word relevance + 0.45 * title similarity); ties break
   on catalogue order. Courses marked withdrawn (a synced source stopped listing them) come after
   all current ones, in lists too. No step loops over all records in Python.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils
from rapidfuzz import fuzz, process

from bot.engine.bounded import BoundedCache
from bot.engine.course_query import Institution
from bot.engine.normalize import normalize

BM25_WEIGHTS = (10.0, 6.0, 2.0, 1.0, 0.0)
"""bm25 column weights: title, subjects, institution, platform/type, facets (language tokens)."""

CANDIDATES = 40
"""Candidates taken from each of the word and trigram queries before re-ranking."""

TITLE_GROUPS = 3
TITLE_GROUP_SIZE = 3
"""Misspelt-title candidates: the query's rarest trigrams in TITLE_GROUPS groups of TITLE_GROUP_SIZE."""

TITLE_MIN_SIMILARITY = 72.0
"""A trigram candidate is kept only if its title is at least this similar (rapidfuzz ratio, 0-100)."""

STRONG_TITLE_SIMILARITY = 85.0
"""A title this similar to the query makes the partial word matches (all words but one, any word) moot."""

MAX_LEAVE_ONE_OUT = 8
"""Up to this many query words, "all words but one" is tried when no course has them all."""

WORD_WEIGHT = 0.55
"""Score = max(title similarity, WORD_WEIGHT * word relevance + (1 - WORD_WEIGHT) * title similarity)."""

TERM_MIN_SIMILARITY = 80.0
"""A misspelt query word is replaced by indexed words at least this similar (ratio, 0-100)."""

TERM_MIN_SIMILARITY_OTHER_INITIAL = 85.0
"""An indexed word with another first letter must be more similar: a typo seldom changes the first
letter, and a shared ending is no typo ("photographie" is 80 % like "cryptographie", trial 187)."""

BM25_COMMON_DF = 5000
"""bm25 first counts, for each phrase of its query, every row that has it (about 20 ns a row): "de",
"and", "pour" cost a millisecond each at 100k courses. Words in more than this many courses are
matched (AND) but not scored, which changes little: their weight (idf) is small anyway."""

BM25_MAX_WORK = 2500
"""bm25 scores every matching row, at about 1-2 µs per row and query phrase. A word query whose
matching rows × phrases exceed this (a broad topic in a large catalogue) takes its candidates in
catalogue order instead, courses with the words in their title first, and leaves the ordering to the
title re-rank. This bounds a query's time whatever the catalogue's size."""

TITLE_SEARCH_MIN_CHARS = 10
"""The character-trigram title search runs for a query of two or more words, or one this long, when
some of its words are in no title, subject or institution (a typo), or no course has them all (a
typo that makes another word): known words are found by FTS5."""

EXPANSIONS_KEPT = 4096
"""Corrections of words in no course (`_expand`: two index reads and a fuzzy comparison, a tenth of
a millisecond) kept by a `CourseSearch` (`bounded.BoundedCache`), the oldest dropped first. The same
words come back question after question ("anything", "wollen", "cursos de mates"); the engine makes a
new `CourseSearch` for each knowledge snapshot, so a catalogue change starts with none. 0 keeps none
(`bench.tail`)."""

GROUP_DOCS = 200
"""When no course has all the words of a query, the courses of each word (group of alternatives) are
listed up to this many (more, or more by its words' document frequencies: not listed), so that the
"all words but one" queries whose words have no course in common are known to find none without an
FTS5 query each."""

TITLE_WORDS = 100
"""`titles_within` looks titles up for this many words of a text in one SQL statement (a compound
SELECT of one part a word; SQLite allows 500); so does `_group_docs` for the courses of each word."""
TITLE_NEXT_CHARS = 4
"""Letters of the word after a title's first word that `titles_within` looks up: a misspelt title
still finds its candidates ("programing"), which the caller then aligns with the text."""

COMPLETE_PREFIX_CHARS = 3
"""Autocomplete reads the last word typed as a prefix from this many characters on."""

_INDEX_TABLES = (
    "course_trigram_df",
    "course_trigrams_vocab",
    "course_fts",
    "course_trigrams",
    "course_terms_tri",
    "course_terms",
    "course_index_langs",
)

_SCHEMA = """
CREATE TABLE course_index (
    rowid INTEGER PRIMARY KEY,
    course_id TEXT NOT NULL UNIQUE,
    title_norm TEXT NOT NULL,
    platform_key TEXT NOT NULL,
    type_key TEXT NOT NULL,
    ects REAL,
    eqf_level INTEGER,
    withdrawn INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX course_index_title ON course_index (title_norm, rowid);
CREATE INDEX course_index_listing ON course_index (withdrawn, title_norm, rowid);
CREATE INDEX course_index_type ON course_index (type_key, title_norm);
CREATE INDEX course_index_platform ON course_index (platform_key, title_norm);
CREATE TABLE course_index_langs (
    lang TEXT NOT NULL,
    doc INTEGER NOT NULL,
    PRIMARY KEY (lang, doc)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE course_fts USING fts5(
    title, subjects, institution, extra, facets,
    content='', tokenize='porter unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE course_trigrams USING fts5(title, content='', tokenize='trigram', detail='none');
CREATE VIRTUAL TABLE course_trigrams_vocab USING fts5vocab(course_trigrams, row);
CREATE TABLE course_trigram_df (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE course_terms (
    rowid INTEGER PRIMARY KEY,
    term TEXT NOT NULL UNIQUE,
    df INTEGER NOT NULL
);
CREATE VIRTUAL TABLE course_terms_tri USING fts5(term, content='', tokenize='trigram', detail='none');
"""


@dataclass
class SearchResult:
    """Ranked course ids with their scores (0-1, best first) and how many courses matched."""

    hits: list[tuple[str, float]] = field(default_factory=list)
    total: int = 0
    exact: bool = True
    """False when the hits match only part of the query's words (some dropped, "all but one", any
    word) and no title is strongly similar: a weak match, which callers may treat as none."""

    @property
    def ids(self) -> list[str]:
        return [course_id for course_id, _ in self.hits]


def rebuild_index(db: sqlite_utils.Database) -> None:
    """(Re)build the search tables from the `courses` table.

    Runs inside a savepoint, so it joins the caller's transaction (the loader's) or makes its own.
    """
    conn = db.conn
    conn.execute("SAVEPOINT rebuild_course_index")
    try:
        for table in (*_INDEX_TABLES, "course_index"):
            conn.execute(f"DROP TABLE IF EXISTS {table}")
        for statement in _SCHEMA.split(";"):  # executescript() would commit the caller's transaction
            if statement.strip():
                conn.execute(statement)
        _fill(conn)
    except BaseException:
        conn.execute("ROLLBACK TO rebuild_course_index")
        conn.execute("RELEASE rebuild_course_index")
        raise
    conn.execute("RELEASE rebuild_course_index")


def _fill(conn: sqlite3.Connection) -> None:
    rows = conn.execute(
        "SELECT id, data, title, platform, type, languages FROM courses ORDER BY file, position, id"
    )
    index_rows: list[tuple[Any, ...]] = []
    lang_rows: list[tuple[str, int]] = []
    fts_rows: list[tuple[Any, ...]] = []
    tri_rows: list[tuple[int, str]] = []
    df: dict[str, int] = {}
    for doc, (course_id, data_json, title, platform, type_, languages_json) in enumerate(rows, start=1):
        data = json.loads(data_json) if data_json else {}
        row = _document(doc, course_id, data, title, platform, type_, json.loads(languages_json or "[]"))
        index_rows.append(row.index)
        lang_rows += row.langs
        fts_rows.append(row.fts)
        tri_rows.append(row.trigrams)
        for term in row.words:
            df[term] = df.get(term, 0) + 1
        if len(index_rows) >= _FILL_BATCH:  # memory of one batch, not of the whole catalogue
            _insert_documents(conn, index_rows, lang_rows, fts_rows, tri_rows)
    _insert_documents(conn, index_rows, lang_rows, fts_rows, tri_rows)
    terms = sorted(df.items())
    conn.executemany(
        "INSERT INTO course_terms VALUES (?, ?, ?)", [(i, t, n) for i, (t, n) in enumerate(terms, 1)]
    )
    conn.executemany(
        "INSERT INTO course_terms_tri (rowid, term) VALUES (?, ?)",
        [(i, t) for i, (t, _) in enumerate(terms, 1) if len(t) >= 3],
    )
    conn.execute("INSERT INTO course_trigram_df SELECT term, doc FROM course_trigrams_vocab")
    for table in ("course_fts", "course_trigrams", "course_terms_tri"):
        conn.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")


_FILL_BATCH = 5_000


def _insert_documents(conn: sqlite3.Connection, *batches: list[Any]) -> None:
    """Insert a batch of index, language, FTS and trigram rows, then empty the lists."""
    index_rows, lang_rows, fts_rows, tri_rows = batches
    conn.executemany("INSERT INTO course_index VALUES (?, ?, ?, ?, ?, ?, ?, ?)", index_rows)
    conn.executemany("INSERT INTO course_index_langs VALUES (?, ?)", lang_rows)
    conn.executemany(
        "INSERT INTO course_fts (rowid, title, subjects, institution, extra, facets) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        fts_rows,
    )
    conn.executemany("INSERT INTO course_trigrams (rowid, title) VALUES (?, ?)", tri_rows)
    for batch in batches:
        batch.clear()


@dataclass(frozen=True)
class _Document:
    """The index rows of one course (document number `doc`)."""

    index: tuple[Any, ...]
    langs: list[tuple[str, int]]
    fts: tuple[Any, ...]
    trigrams: tuple[int, str]
    words: frozenset[str]


def _document(
    doc: int, course_id: str, data: dict[str, Any], title: str, platform: str, type_: str, languages: Any
) -> _Document:
    subjects = [str(s) for s in data.get("subjects") or []]
    institution = data.get("institution") or ""
    title_norm = normalize(title)
    index_row = (
        doc,
        course_id,
        title_norm,
        normalize(platform),
        normalize(type_),
        _number(data.get("ects")),
        _integer(data.get("eqf_level")),
        1 if data.get("withdrawn") else 0,
    )
    langs = sorted({str(code).lower() for code in languages or []})
    facets = [_lang_token(lang) for lang in langs] + [_facet_token("t", type_)]
    platform_words = normalize(platform).split()  # a platform filter matches the start of the name
    facets += [_facet_token("p", " ".join(platform_words[:n])) for n in range(1, len(platform_words) + 1)]
    facet_text = " ".join(token for token in facets if token)
    fts = (doc, title, " ; ".join(subjects), institution, f"{platform} ; {type_}", facet_text)
    words = f"{title_norm} {normalize(' '.join(subjects))} {normalize(institution)}".split()
    return _Document(index_row, [(lang, doc) for lang in langs], fts, (doc, title_norm), frozenset(words))


def _record_document(doc: int, course_id: str, data: dict[str, Any]) -> _Document:
    return _document(
        doc,
        course_id,
        data,
        str(data.get("title") or ""),
        str(data.get("platform") or ""),
        str(data.get("type") or ""),
        data.get("languages") or [],
    )


def update_course(
    db: sqlite_utils.Database, course_id: str, before: dict[str, Any], after: dict[str, Any]
) -> None:
    """Re-index one changed course in place (same document number, so catalogue order is kept), inside
    the caller's transaction: the result equals `rebuild_index` for an edit, at the cost of one course
    instead of the whole catalogue. (Adding or deleting a course changes the order: rebuild.)"""
    conn = db.conn
    found = conn.execute("SELECT rowid FROM course_index WHERE course_id = ?", (course_id,)).fetchone()
    if found is None:
        rebuild_index(db)
        return
    doc = int(found[0])
    old, new = _record_document(doc, course_id, before), _record_document(doc, course_id, after)
    if old == new:
        return
    conn.execute("DELETE FROM course_index WHERE rowid = ?", (doc,))
    conn.execute("INSERT INTO course_index VALUES (?, ?, ?, ?, ?, ?, ?, ?)", new.index)
    conn.execute("DELETE FROM course_index_langs WHERE doc = ?", (doc,))
    conn.executemany("INSERT INTO course_index_langs VALUES (?, ?)", new.langs)
    columns = "rowid, title, subjects, institution, extra, facets"
    conn.execute(
        f"INSERT INTO course_fts (course_fts, {columns}) VALUES ('delete', ?, ?, ?, ?, ?, ?)", old.fts
    )
    conn.execute(f"INSERT INTO course_fts ({columns}) VALUES (?, ?, ?, ?, ?, ?)", new.fts)
    if old.trigrams != new.trigrams:
        conn.execute(
            "INSERT INTO course_trigrams (course_trigrams, rowid, title) VALUES ('delete', ?, ?)",
            old.trigrams,
        )
        conn.execute("INSERT INTO course_trigrams (rowid, title) VALUES (?, ?)", new.trigrams)
        grams = sorted(set(_trigrams(old.trigrams[1])) | set(_trigrams(new.trigrams[1])))
        conn.executemany("DELETE FROM course_trigram_df WHERE term = ?", [(g,) for g in grams])
        conn.executemany(
            "INSERT INTO course_trigram_df SELECT term, doc FROM course_trigrams_vocab WHERE term = ?",
            [(g,) for g in grams],
        )
    _update_terms(conn, old.words - new.words, new.words - old.words)


def _update_terms(conn: sqlite3.Connection, gone: frozenset[str], added: frozenset[str]) -> None:
    """Adjust the word document frequencies; a word in no course any more leaves the index."""
    for term in gone:
        row = conn.execute("SELECT rowid, df FROM course_terms WHERE term = ?", (term,)).fetchone()
        if row is None:
            continue
        if row[1] > 1:
            conn.execute("UPDATE course_terms SET df = df - 1 WHERE rowid = ?", (row[0],))
            continue
        conn.execute("DELETE FROM course_terms WHERE rowid = ?", (row[0],))
        if len(term) >= 3:
            conn.execute(
                "INSERT INTO course_terms_tri (course_terms_tri, rowid, term) VALUES ('delete', ?, ?)",
                (row[0], term),
            )
    for term in added:
        if conn.execute("UPDATE course_terms SET df = df + 1 WHERE term = ?", (term,)).rowcount:
            continue
        rowid = conn.execute("INSERT INTO course_terms (term, df) VALUES (?, 1)", (term,)).lastrowid
        if len(term) >= 3:
            conn.execute("INSERT INTO course_terms_tri (rowid, term) VALUES (?, ?)", (rowid, term))


def _number(value: Any) -> float | None:
    try:
        return None if value is None or isinstance(value, bool) else float(value)
    except (TypeError, ValueError):
        return None


def _integer(value: Any) -> int | None:
    number = _number(value)
    return int(number) if number is not None and number == int(number) else None


class CourseSearch:
    """Ranked, filtered search over the index built by `rebuild_index`."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.conn = db.conn
        self._expansions: BoundedCache[str, tuple[tuple[str, int], ...]] = BoundedCache(EXPANSIONS_KEPT)
        """Word -> its closest indexed words with their document frequencies (`_expand`)."""

    def search(
        self,
        text: str,
        *,
        language: str | Sequence[str] | None = None,
        platform: str | None = None,
        type: str | None = None,
        min_ects: float | None = None,
        max_ects: float | None = None,
        eqf_level: int | None = None,
        limit: int = 10,
        offset: int = 0,
        any_of: Sequence[Sequence[str]] | None = None,
        institution: str | Institution | None = None,
    ) -> SearchResult:
        """Courses matching `text` (words, a title, possibly misspelt) and the filters, best first.

        `any_of` replaces the words of `text` by groups of alternatives (a course must match one
        entry of each group, else as many groups as possible); `text` still serves the title match.
        Empty text and no groups lists the courses that pass the filters, by title. `institution`
        keeps the courses whose institution has all its words ("glasgow", "paris diderot"; an
        `Institution` read from a question gives its `words`).
        """
        if isinstance(institution, Institution):
            institution = institution.words
        if limit < 0 or offset < 0:
            raise ValueError("limit and offset must be >= 0")
        where, params = _filters(language, platform, type, min_ects, max_ects, eqf_level, institution)
        # word queries filter language, platform and type inside FTS5 (facet tokens), the rest in SQL
        lang_token, platform_token, type_token = (
            _lang_tokens(language),
            _facet_token("p", platform or ""),
            _facet_token("t", type or ""),
        )
        facet = " AND ".join(t for t in (lang_token, platform_token, type_token) if t)
        fts_where, fts_params = _filters(
            None if lang_token else language,
            None if platform_token else platform,
            None if type_token else type,
            min_ects,
            max_ects,
            eqf_level,
            institution,
        )
        query = normalize(text or "")
        if any_of is not None:
            groups = [[normalize(t) for t in g if normalize(t)] for g in any_of]
            groups = [g for g in groups if g]
        else:
            groups = [[word] for word in query.split()]
        if not groups and not query:
            return self._list(where, params, limit, offset)
        groups, unknown, dfs = self._indexed(groups)
        pool = max(CANDIDATES, 2 * (offset + limit))
        docs: dict[str, frozenset[int] | None] = {}
        words, total, complete, live = self._word_candidates(
            groups, fts_where, fts_params, pool, facet=facet, dfs=dfs, docs=docs
        )
        # titles by characters only for a typo (or glued words) in a long enough query: FTS5 finds
        # known words, and `_expand` corrects a single misspelt word; not needed either when a course
        # with all the words already has a title strongly similar to the query. When no course has
        # all the words ("scienza di dati": a typo that makes another word), a strongly similar title
        # spares the partial matches below (up to one FTS5 query per word)
        long_enough = len(query.split()) >= 2 or len(query) >= TITLE_SEARCH_MIN_CHARS
        titles: dict[int, float] = {}
        strong_title = False
        if (unknown or not words) and long_enough:
            strong_title = complete and self._similar_title(query, list(words))
            if not strong_title:
                titles = self._title_candidates(query, where, params, pool)
                strong_title = any(100 * sim >= STRONG_TITLE_SIMILARITY for sim in titles.values())
        if not words and not strong_title:  # a title strongly similar makes partial word matches moot
            words, total = self._partial_candidates(live, fts_where, fts_params, pool, facet, dfs, docs)
        ranked = self._rank(query, words, titles)
        total = max(total, len(ranked))
        return SearchResult(ranked[offset : offset + limit], total, exact=complete or strong_title)

    def complete(self, text: str, limit: int = 25) -> list[tuple[str, str]]:
        """Autocomplete: (course id, title) for what has been typed so far, best first.

        Titles starting with the text (an index range), then courses containing its words with the
        last one as a prefix (FTS5 `"word"*`), then `search` (misspelt titles and words). Empty text
        gives the first courses by title. Each step is an index lookup, whatever the catalogue's size.
        """
        if limit <= 0:
            return []
        typed = normalize(text or "")
        if not typed:
            return self._titles(self._list("", [], limit, 0).ids)
        found: list[str] = [
            course_id
            for (course_id,) in self.conn.execute(
                "SELECT course_id FROM course_index WHERE title_norm >= ? AND title_norm < ? "
                "ORDER BY title_norm, rowid LIMIT ?",
                [typed, typed + "\U0010ffff", limit],
            )
        ]
        words = [_quote(w) for w in typed.split()]
        if len(found) < limit:
            if len(typed.split()[-1]) >= COMPLETE_PREFIX_CHARS:
                words[-1] += "*"
            match = " AND ".join(words)
            for expression in (f"{{title}} : ({match})", match):
                sql = "SELECT rowid FROM course_fts WHERE course_fts MATCH ? ORDER BY rowid LIMIT ?"
                docs = [doc for (doc,) in self.conn.execute(sql, [expression, limit])]
                found += [cid for cid in self._course_ids(docs) if cid not in found]
        if len(found) < limit:
            found += [cid for cid in self.search(text, limit=limit).ids if cid not in found]
        return self._titles(found[:limit])

    def titles_within(self, text: str, limit: int = 5) -> list[str]:
        """Ids of courses whose normalised title starts at some word of `text` with that word and
        the start of the next one (`TITLE_NEXT_CHARS`: "begin programing" finds "Begin Programming…",
        the caller aligns the whole title), or is that one word:
        one index range lookup per word (all in one SQL statement), whatever the catalogue's size."""
        words = normalize(text or "").split()
        if not words:
            return []
        # one statement for up to TITLE_WORDS words: per word, its `limit` first titles, as one query a word
        one = (
            "SELECT * FROM (SELECT ? AS n, course_id, title_norm, rowid FROM course_index "
            "WHERE (title_norm >= ? AND title_norm < ?) OR title_norm = ? ORDER BY title_norm, rowid LIMIT ?)"
        )
        rows: list[tuple[int, str, str, int]] = []
        for start in range(0, len(words), TITLE_WORDS):
            params: list[Any] = []
            for n in range(start, min(len(words), start + TITLE_WORDS)):
                word = words[n]
                pair = f"{word} {words[n + 1][:TITLE_NEXT_CHARS]}" if n + 1 < len(words) else word + " "
                params += [n, pair, pair + "\U0010ffff", word, limit]
            sql = " UNION ALL ".join([one] * (len(params) // 5))
            rows += self.conn.execute(sql, params).fetchall()
        rows.sort(key=lambda row: (row[0], row[2], row[3]))  # by word, then as each query ordered
        return list(dict.fromkeys(course_id for _, course_id, _, _ in rows))

    def _course_ids(self, docs: list[int]) -> list[str]:
        """Course ids of index rows `docs`, in that order."""
        if not docs:
            return []
        marks = ",".join("?" * len(docs))
        rows = self.conn.execute(f"SELECT rowid, course_id FROM course_index WHERE rowid IN ({marks})", docs)
        ids = dict(rows.fetchall())
        return [ids[doc] for doc in docs if doc in ids]

    def _title_norms(self, docs: list[int]) -> list[tuple[int, str]]:
        """(doc, normalised title) of index rows `docs`, in that order."""
        if not docs:
            return []
        marks = ",".join("?" * len(docs))
        rows = self.conn.execute(f"SELECT rowid, title_norm FROM course_index WHERE rowid IN ({marks})", docs)
        titles = dict(rows.fetchall())
        return [(doc, titles[doc]) for doc in docs if doc in titles]

    def _titles(self, course_ids: list[str]) -> list[tuple[str, str]]:
        """(id, title as written) for `course_ids`, in that order."""
        if not course_ids:
            return []
        marks = ",".join("?" * len(course_ids))
        rows = self.conn.execute(f"SELECT id, title FROM courses WHERE id IN ({marks})", course_ids)
        titles = dict(rows.fetchall())
        return [(cid, titles[cid]) for cid in course_ids if cid in titles]

    # -- candidates -------------------------------------------------------------------------

    def _indexed(self, groups: list[list[str]]) -> tuple[list[list[str]], bool, dict[str, int]]:
        """Each group reduced to its first entry and the entries whose words are all indexed (an
        alternative found in no course only costs time; a group with no indexed entry stays whole),
        whether some group has no indexed entry (a typo, glued words), and the document frequency of
        each indexed word (read once here for `_expand` and `_common`)."""
        words = sorted({w for group in groups for alt in group for w in alt.split()})
        if not words:
            return groups, False, {}
        marks = ",".join("?" * len(words))
        rows = self.conn.execute(f"SELECT term, df FROM course_terms WHERE term IN ({marks})", words)
        dfs: dict[str, int] = dict(rows.fetchall())
        known = set(dfs)
        out = []
        for group in groups:
            live = [alt for alt in group if known.issuperset(alt.split())]
            out.append([group[0], *(alt for alt in live if alt != group[0])] if live else group)
        unknown = any(not any(known.issuperset(alt.split()) for alt in group) for group in groups)
        return out, unknown, dfs

    def _list(self, where: str, params: list[Any], limit: int, offset: int) -> SearchResult:
        sql = (
            f"SELECT count(*) FROM course_index c WHERE 1 {where}"
            if where
            else "SELECT count(*) FROM course_index"
        )
        total = self.conn.execute(sql, params).fetchone()[0]
        rows = self.conn.execute(
            f"SELECT course_id FROM course_index c WHERE 1 {where} "
            "ORDER BY c.withdrawn, title_norm, rowid LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
        return SearchResult([(course_id, 1.0) for (course_id,) in rows], total)

    def _word_candidates(
        self,
        groups: list[list[str]],
        where: str,
        params: list[Any],
        pool: int,
        *,
        facet: str = "",
        dfs: dict[str, int],
        docs: dict[str, frozenset[int] | None],
    ) -> tuple[dict[int, float], int, bool, list[list[str]]]:
        """{doc: relevance 0-1} from FTS5, how many courses match the words, whether they match all
        the groups, and the groups that match some course (for `_partial_candidates`).

        All groups (AND) give relevance 0.5-1. When nothing matches them all, groups that match no
        course at all are dropped (a typo in a short word), with a lower relevance. `dfs`: the
        document frequencies of the groups' words (`_indexed`), completed with those of `_expand`;
        `docs` gets the courses of each group then (`_group_docs`), for `_partial_candidates`.
        """
        groups = [g for g in (self._expand(group, dfs) for group in groups) if g]
        if not groups:
            return {}, 0, False, []
        heavy = _common(groups, BM25_COMMON_DF, dfs)
        match_and = " AND ".join(_fts_group(g) for g in groups)
        found, total = self._fts(match_and, where, params, pool, facet, _scored(groups, heavy))
        if found:
            return _relevance(found, 0.5, 1.0), total, True, groups
        wanted = {_fts_group(g): _most_docs(g, dfs) <= GROUP_DOCS for g in groups}
        docs.update(self._group_docs({k: listed for k, listed in wanted.items() if k not in docs}))
        live = [g for g in groups if docs[_fts_group(g)] != frozenset()]  # None: too many to list
        if live and len(live) < len(groups) and not _disjoint(live, docs):
            match_and = " AND ".join(_fts_group(g) for g in live)
            found, total = self._fts(match_and, where, params, pool, facet, _scored(live, heavy))
            if found:
                low, high = 0.5 * len(live) / len(groups), 0.9 * len(live) / len(groups)
                return _relevance(found, low, high), total, False, live
        return {}, 0, False, live

    def _partial_candidates(
        self,
        live: list[list[str]],
        where: str,
        params: list[Any],
        pool: int,
        facet: str,
        dfs: dict[str, int],
        docs: dict[str, frozenset[int] | None],
    ) -> tuple[dict[int, float], int]:
        """When no course has all the `live` groups (those of the query that match some course):
        courses matching all groups but one, then any of the rarer groups (OR), with
        relevance below 0.5, and how many. A leave-one-out whose groups have no course in common
        (`docs`, from `_word_candidates`) is known to find none without asking FTS5."""
        if len(live) < 2:
            return {}, 0
        heavy = _common(live, BM25_COMMON_DF, dfs)
        result: dict[int, float] = {}
        if 3 <= len(live) <= MAX_LEAVE_ONE_OUT:
            for skip in range(len(live)):
                kept = [g for i, g in enumerate(live) if i != skip]
                if _disjoint(kept, docs):
                    continue
                match = " AND ".join(_fts_group(g) for g in kept)
                for doc, rel in _relevance(
                    self._fts(match, where, params, pool, facet, _scored(kept, heavy))[0], 0.25, 0.45
                ).items():
                    result[doc] = max(rel, result.get(doc, 0.0))
            if result:
                return result, len(result)
        n_docs = self.conn.execute("SELECT max(rowid) FROM course_index").fetchone()[0] or 0
        common = _common(live, n_docs / 20, dfs)
        rare = [g for g in live if not _touches(g, common)] or live
        match_or = " OR ".join(_fts_group(g) for g in rare)
        return _relevance(self._fts(match_or, where, params, pool, facet)[0], 0.0, 0.4), 0

    def _similar_title(self, query: str, docs: list[int]) -> bool:
        """Whether one of the courses `docs` has a title at least STRONG_TITLE_SIMILARITY similar."""
        return any(
            fuzz.ratio(query, title, score_cutoff=STRONG_TITLE_SIMILARITY)
            for _, title in self._title_norms(docs)
        )

    def _group_docs(self, matches: dict[str, bool]) -> dict[str, frozenset[int] | None]:
        """For each FTS5 expression of `matches`, the courses (index rowids) it finds, no filter
        applied, or None when there are more than GROUP_DOCS or the expression is not to be listed
        (`matches[expression]` False: whether it matches some course is all that is read; only an
        empty set says "matches no course"); one SQL statement for up to TITLE_WORDS expressions."""
        one = "SELECT ? AS n, rowid FROM (SELECT rowid FROM course_fts WHERE course_fts MATCH ? LIMIT ?)"
        found: dict[str, frozenset[int] | None] = {}
        items = list(matches.items())
        for start in range(0, len(items), TITLE_WORDS):
            part = items[start : start + TITLE_WORDS]
            params: list[Any] = []
            for n, (match, listed) in enumerate(part):
                params += [n, match, GROUP_DOCS + 1 if listed else 1]
            rows: list[list[int]] = [[] for _ in part]
            for n, doc in self.conn.execute(" UNION ALL ".join([one] * len(part)), params):
                rows[n].append(doc)
            found.update(
                (match, frozenset(docs) if not docs or (listed and len(docs) <= GROUP_DOCS) else None)
                for (match, listed), docs in zip(part, rows, strict=True)
            )
        return found

    def _fts(
        self,
        match: str,
        where: str,
        params: list[Any],
        pool: int,
        facet: str = "",
        scored: str | None = None,
    ) -> tuple[list[tuple[int, float]], int]:
        """Up to `pool` (doc, rank) rows matching `match` and the filters, best first (rank: lower is
        better, as bm25), and how many courses match. Counting is cheap (no scoring); bm25 ranks the
        rows within BM25_MAX_WORK (rows × phrases), else title matches come first, in catalogue order.
        `facet` (facet tokens AND-ed) must match too: FTS5 intersects lists, cheaper than an SQL filter.
        `scored` is the part of `match` that bm25 scores (None: all of it; "": none, as for too many
        rows); facet tokens are never scored (their weight is 0, and bm25 would count their rows).
        """
        scored_match = match if scored is None else scored
        in_title = f"{{title}} : ({match})"
        if facet:
            match, in_title = (f"({m}) AND facets : ({facet})" for m in (match, in_title))
        join = (
            "FROM course_fts f CROSS JOIN course_index c ON c.rowid = f.rowid "
            f"WHERE course_fts MATCH ? {where}"
        )
        weights = ", ".join(map(str, BM25_WEIGHTS))
        if scored_match and scored_match != match:
            # bm25 over the scored part, restricted to the rows of the whole expression, read once
            # (`+` keeps SQLite from handing the rowids to FTS5 one by one, which would restart the
            # scoring for each); more rows than the budget: counted and taken unscored, below
            budget = BM25_MAX_WORK // max(1, scored_match.count('"') // 2)
            sql = f"SELECT f.rowid {join} LIMIT ?"
            docs = [doc for (doc,) in self.conn.execute(sql, [match, *params, budget + 1])]
            if len(docs) <= budget:
                if not docs:
                    return [], 0
                sql = (
                    f"SELECT f.rowid, bm25(course_fts, {weights}) AS r {join} "
                    "AND +f.rowid IN (SELECT value FROM json_each(?)) ORDER BY r, f.rowid LIMIT ?"
                )
                ranked = self.conn.execute(sql, [scored_match, *params, json.dumps(docs), pool]).fetchall()
                return ranked, len(docs)
        phrases = max(1, match.count('"') // 2)
        total = None
        if scored_match == match:
            # up to `pool` rows, scored in the same read: when that is all of them (the usual case
            # for a precise query), no count and no second read ("ORDER BY r" would score them all)
            sql = f"SELECT f.rowid, bm25(course_fts, {weights}) AS r {join} LIMIT ?"
            found_rows = self.conn.execute(sql, [match, *params, pool + 1]).fetchall()
            if len(found_rows) <= pool:
                total = len(found_rows)
                if total and total * phrases <= BM25_MAX_WORK:
                    found_rows.sort(key=lambda row: (row[1], row[0]))  # as ORDER BY r, f.rowid
                    return found_rows, total
        if total is None and where:
            total = self.conn.execute(f"SELECT count(*) {join}", [match, *params]).fetchone()[0]
        elif total is None:
            total = self.conn.execute(
                "SELECT count(*) FROM course_fts WHERE course_fts MATCH ?", [match]
            ).fetchone()[0]
        if not total:
            return [], 0
        if scored_match == match and total * phrases <= BM25_MAX_WORK:
            sql = f"SELECT f.rowid, bm25(course_fts, {weights}) AS r {join} ORDER BY r, f.rowid LIMIT ?"
            return self.conn.execute(sql, [match, *params, pool]).fetchall(), total
        rows: list[tuple[int, float]] = []
        for rank, expression in ((-2.0, in_title), (-1.0, match)):
            sql = f"SELECT f.rowid {join} ORDER BY f.rowid LIMIT ?"
            seen = {doc for doc, _ in rows}
            for (doc,) in self.conn.execute(sql, [expression, *params, pool]):
                if doc not in seen and len(rows) < pool:
                    rows.append((doc, rank))
        return rows, total

    def _expand(self, group: list[str], dfs: dict[str, int]) -> list[str]:
        """The group, plus the closest indexed words for a single word that no course contains (in
        no course: not in `dfs`, which gets the document frequencies of the words added); the
        corrections found are kept (`EXPANSIONS_KEPT`)."""
        if len(group) != 1 or " " in group[0] or len(group[0]) < 4:
            return group
        word = group[0]
        if word in dfs:
            return group
        close = self._expansions.get(word)
        if close is None:
            close = self._closest_terms(word)
            self._expansions.put(word, close)
        dfs.update(close)
        return [word, *(term for term, _ in close)]

    def _closest_terms(self, word: str) -> tuple[tuple[str, int], ...]:
        """Up to 3 indexed words at least TERM_MIN_SIMILARITY similar to `word` (another first letter:
        TERM_MIN_SIMILARITY_OTHER_INITIAL), closest first, with their document frequencies: among those
        of the same first letter and about the same length, and the 50 sharing most of its trigrams."""
        candidates = dict(
            self.conn.execute(
                "SELECT term, df FROM course_terms WHERE term >= ? AND term < ? "
                "AND length(term) BETWEEN ? AND ? LIMIT 5000",
                [word[0], chr(ord(word[0]) + 1), len(word) - 2, len(word) + 2],
            ).fetchall()
        )
        grams = _trigrams(word)
        if grams:
            match = " OR ".join(f'"{g}"' for g in grams)
            rows = self.conn.execute(
                "SELECT t.term, t.df FROM course_terms_tri "
                "JOIN course_terms t ON t.rowid = course_terms_tri.rowid "
                "WHERE course_terms_tri MATCH ? ORDER BY rank LIMIT 50",
                [match],
            )
            candidates.update(rows.fetchall())
        close = process.extract(
            word, sorted(candidates), scorer=fuzz.ratio, limit=3, score_cutoff=TERM_MIN_SIMILARITY
        )
        return tuple(
            (term, candidates[term])
            for term, score, _ in close
            if term[0] == word[0] or score >= TERM_MIN_SIMILARITY_OTHER_INITIAL
        )

    def _title_candidates(self, query: str, where: str, params: list[Any], pool: int) -> dict[int, float]:
        """{doc: title similarity 0-1} for titles sharing the rarest trigrams of `query` and at least
        TITLE_MIN_SIMILARITY similar. The trigrams are OR-ed in small AND groups, so that trigrams
        broken by a typo spoil one group, not the search."""
        grams = _trigrams(query)
        if not grams:
            return {}
        marks = ",".join("?" * len(grams))
        known = self.conn.execute(
            f"SELECT term FROM course_trigram_df WHERE term IN ({marks}) ORDER BY df, term LIMIT ?",
            [*grams, TITLE_GROUPS * TITLE_GROUP_SIZE],
        ).fetchall()
        rare = [term for (term,) in known]
        if not rare:
            return {}
        groups = [rare[i::TITLE_GROUPS] for i in range(min(TITLE_GROUPS, len(rare)))]
        match = " OR ".join("(" + " AND ".join(_quote(g) for g in group) + ")" for group in groups)
        # rank (bm25) scores every matching title; a join to course_index for each of them would
        # cost as much again, so it is made only when there are filters, and titles are read after
        join = "JOIN course_index c ON c.rowid = t.rowid " if where else ""
        sql = (
            f"SELECT t.rowid FROM course_trigrams t {join}WHERE course_trigrams MATCH ? {where} "
            "ORDER BY rank, t.rowid LIMIT ?"
        )
        docs = [doc for (doc,) in self.conn.execute(sql, [match, *params, pool])]
        out: dict[int, float] = {}
        for doc, title in self._title_norms(docs):
            similarity = fuzz.ratio(query, title)
            if similarity >= TITLE_MIN_SIMILARITY:
                out[doc] = similarity / 100.0
        return out

    # -- ranking ----------------------------------------------------------------------------

    def _rank(self, query: str, words: dict[int, float], titles: dict[int, float]) -> list[tuple[str, float]]:
        docs = sorted(set(words) | set(titles))
        if not docs:
            return []
        marks = ",".join("?" * len(docs))
        rows = self.conn.execute(
            f"SELECT rowid, course_id, title_norm, withdrawn FROM course_index WHERE rowid IN ({marks})", docs
        ).fetchall()
        scored: list[tuple[int, float, int, str]] = []
        for doc, course_id, title, withdrawn in rows:
            similarity = titles.get(doc)
            if similarity is None:
                similarity = fuzz.ratio(query, title) / 100.0 if query else 0.0
            score = max(similarity, WORD_WEIGHT * words.get(doc, 0.0) + (1 - WORD_WEIGHT) * similarity)
            scored.append((withdrawn, score, doc, course_id))
        scored.sort(key=lambda item: (item[0], -item[1], item[2]))  # withdrawn courses after current ones
        return [(course_id, round(score, 4)) for _, score, _, course_id in scored]


def _filters(
    language: str | Sequence[str] | None,
    platform: str | None,
    type_: str | None,
    min_ects: float | None,
    max_ects: float | None,
    eqf_level: int | None,
    institution: str | None = None,
) -> tuple[str, list[Any]]:
    """SQL conditions on `course_index c` (each starting with AND) and their parameters."""
    clauses: list[str] = []
    params: list[Any] = []
    if institution and normalize(institution):
        clauses.append("c.rowid IN (SELECT rowid FROM course_fts WHERE course_fts MATCH ?)")
        words = " AND ".join(_quote(w) for w in normalize(institution).split())
        params.append(f"{{institution}} : ({words})")
    codes = _codes(language)
    if codes:
        marks = ", ".join("?" * len(codes))
        clauses.append(f"c.rowid IN (SELECT doc FROM course_index_langs WHERE lang IN ({marks}))")
        params += codes
    if platform and normalize(platform):
        key = normalize(platform)
        clauses.append("(c.platform_key = ? OR c.platform_key LIKE ?)")
        params += [key, key + " %"]
    if type_ and normalize(type_):
        clauses.append("c.type_key = ?")
        params.append(normalize(type_))
    if min_ects is not None:
        clauses.append("c.ects >= ?")
        params.append(float(min_ects))
    if max_ects is not None:
        clauses.append("c.ects <= ?")
        params.append(float(max_ects))
    if eqf_level is not None:
        clauses.append("c.eqf_level = ?")
        params.append(int(eqf_level))
    return "".join(f" AND {clause}" for clause in clauses), params


def _codes(language: str | Sequence[str] | None) -> list[str]:
    """The language codes of a language filter: one code, or several for a course in any of them."""
    if not language:
        return []
    codes = [language] if isinstance(language, str) else list(language)
    return list(dict.fromkeys(c.strip().lower() for c in codes if c and c.strip()))


def _lang_tokens(language: str | Sequence[str] | None) -> str:
    """The FTS5 facet expression of a language filter: one token, or several as alternatives
    ("(zzitzz OR zzenzz)"); "" when a code has no token (the filter is then applied in SQL)."""
    tokens = [_lang_token(code) for code in _codes(language)]
    if not tokens or not all(tokens):
        return ""
    return tokens[0] if len(tokens) == 1 else "(" + " OR ".join(tokens) + ")"


def _lang_token(code: str) -> str:
    """The facet token of a language code ("es" -> "zzeszz"; porter stemming leaves it alone), or ""."""
    code = code.strip().lower()
    return f"zz{code}zz" if code.isascii() and code.isalpha() and 2 <= len(code) <= 3 else ""


def _facet_token(kind: str, value: str) -> str:
    """The facet token of a platform (kind "p") or type ("t"): "FUN MOOC" -> "zzpfunmooczz", or ""."""
    key = "".join(ch for ch in normalize(value) if ch.isascii() and ch.isalnum())
    return f"zz{kind}{key}zz" if key else ""


def _fts_group(group: list[str]) -> str:
    """An FTS5 expression matching any entry of `group` (words or phrases of normalised words)."""
    terms = [f'"{term}"' for term in group]
    return terms[0] if len(terms) == 1 else "(" + " OR ".join(terms) + ")"


def _common(groups: list[list[str]], min_df: float, dfs: dict[str, int]) -> set[str]:
    """Words of `groups` (their entries' words) found in more than `min_df` courses (`dfs`: the
    document frequencies of the indexed words among them)."""
    return {w for g in groups for entry in g for w in entry.split() if dfs.get(w, 0) > min_df}


def _most_docs(group: list[str], dfs: dict[str, int]) -> int:
    """About how many courses a group can match at most: for each entry, the document frequency of
    its rarest word (`dfs`; FTS5 stemming may match a few more), summed."""
    return sum(min((dfs.get(w, 0) for w in entry.split()), default=0) for entry in group)


def _disjoint(groups: list[list[str]], docs: dict[str, frozenset[int] | None]) -> bool:
    """Whether no course can match all of `groups`: the courses listed for some of them (`docs`, by
    FTS5 expression; None or absent: not listed) have none in common. False when unsure."""
    listed = [found for found in (docs.get(_fts_group(g)) for g in groups) if found is not None]
    return bool(listed) and not frozenset.intersection(*listed)


def _touches(group: list[str], words: set[str]) -> bool:
    """Whether some entry of `group` has one of `words`."""
    return any(w in words for entry in group for w in entry.split())


def _scored(groups: list[list[str]], heavy: set[str]) -> str | None:
    """The FTS5 expression bm25 should score for the AND of `groups`: None (all of it) when no group
    has a word of `heavy`, else the AND of the groups without one ("" if none is left)."""
    light = [g for g in groups if not _touches(g, heavy)]
    if len(light) == len(groups):
        return None
    return " AND ".join(_fts_group(g) for g in light)


def _relevance(rows: list[tuple[int, float]], low: float, high: float) -> dict[int, float]:
    """bm25 ranks (negative, lower is better) mapped to [low, high] relative to the best row."""
    if not rows:
        return {}
    best = rows[0][1] or -1e-9
    return {doc: low + (high - low) * max(0.0, min(1.0, rank / best)) for doc, rank in rows}


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _trigrams(text: str) -> list[str]:
    """Distinct character trigrams of `text`, as the FTS5 trigram tokenizer cuts them."""
    return sorted({text[i : i + 3] for i in range(len(text) - 2)})
