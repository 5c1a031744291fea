"""Warm-started matcher updates (issue 10): a phrasing added from the CLI is learnt by updating the
cached matcher instead of training from scratch, for the dense matcher and (past a lowered
`SPARSE_FROM_ROWS`) the sparse one; removals, `kb load` and the warm-update limit train from scratch."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_engine import make_root

from bot.cli import main
from bot.engine import snapshot
from bot.engine.engine import Engine
from bot.engine.ensemble import BaggedIntentMatcher
from bot.engine.matcher import OUT_OF_SCOPE, IntentMatcher
from bot.engine.snapshot import cache_info, intent_rows, matcher_cache_path
from bot.engine.sparse_matcher import SparseIntentMatcher

QUESTION = "quokka wombat platypus"
"""Words no phrasing of the test knowledge has: answered only once a moderator adds them."""
INTENT = "cmf-study-hours"


@pytest.fixture(params=["dense", "sparse"])
def kind(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both matchers: the sparse one from a lowered row limit (the test knowledge is small)."""
    if request.param == "sparse":
        monkeypatch.setattr(snapshot, "SPARSE_FROM_ROWS", 1)
    return str(request.param)


def _class(kind: str) -> type[IntentMatcher] | type[SparseIntentMatcher]:
    """The engine's matcher of that kind (the dense one is a bag of dense matchers)."""
    return SparseIntentMatcher if kind == "sparse" else BaggedIntentMatcher


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> None:
    assert main(list(argv)) == 0, capsys.readouterr().err


def _top_intents(engine: Engine) -> dict[str, str]:
    """The best intent (the out-of-scope class included) of every training text, by its matcher."""
    matcher = engine.matcher
    assert matcher is not None
    texts = sorted({text for _, _, text in intent_rows(engine.kb)})
    return {text: matcher.rank(text, 1, out_of_scope=True)[0][0] for text in texts}


def _no_training(monkeypatch: pytest.MonkeyPatch, cls: type) -> None:
    def build(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("trained from scratch")

    monkeypatch.setattr(cls, "build", build)


def test_a_phrasing_added_from_the_cli_is_learnt_by_a_warm_update(
    tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root, db = make_root(tmp_path), tmp_path / "db.sqlite3"
    cache = matcher_cache_path(db)
    engine = Engine.open(db, root)
    try:
        assert isinstance(engine.matcher, _class(kind))
        assert engine.ask(QUESTION, "en").status != "answer"
        before = _top_intents(engine)
    finally:
        engine.close()
    info = cache_info(cache)
    assert info is not None and info["warm"] == 0 and info["class"] == _class(kind).__name__

    with monkeypatch.context() as m:  # the CLI updates the cached matcher: no full training
        _no_training(m, _class(kind))
        _cli(capsys, "kb", "phrase", "add", "--db", str(db), "--lang", "en", INTENT, QUESTION)
    info = cache_info(cache)
    assert info is not None and info["warm"] == 1 and info["rows"] == len(before) + 1

    with monkeypatch.context() as m:  # the engine reads the warm-updated matcher under the new key
        _no_training(m, _class(kind))
        engine = Engine.open(db, root)
    try:
        reply = engine.ask(QUESTION, "en")
        assert (reply.status, reply.intent) == ("answer", INTENT)
        after = _top_intents(engine)
    finally:
        engine.close()
    kept = sum(after[text] == intent for text, intent in before.items())
    assert kept >= 0.95 * len(before), f"{len(before) - kept} of {len(before)} training texts moved"

    # a second phrasing: a second warm update, counted
    with monkeypatch.context() as m:
        _no_training(m, _class(kind))
        _cli(capsys, "kb", "phrase", "add", "--db", str(db), "--lang", "en", INTENT, "numbat echidna dingo")
    info = cache_info(cache)
    assert info is not None and info["warm"] == 2 and info["recent"] == 2  # both trained again
    engine = Engine.open(db, root)
    try:
        for text in (QUESTION, "numbat echidna dingo"):  # the second update kept the first phrasing
            reply = engine.ask(text, "en")
            assert (reply.status, reply.intent) == ("answer", INTENT)
    finally:
        engine.close()


def test_a_removed_phrasing_a_load_and_the_limit_train_from_scratch(
    tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root, db = make_root(tmp_path), tmp_path / "db.sqlite3"
    cache = matcher_cache_path(db)
    Engine.open(db, root).close()
    add = ["kb", "phrase", "add", "--db", str(db), "--lang", "en", INTENT]
    _cli(capsys, *add, QUESTION)
    assert (cache_info(cache) or {}).get("warm") == 1

    # removing a phrasing retrains: replaying the rest cannot make the matcher forget it
    _cli(capsys, "kb", "phrase", "remove", "--db", str(db), "--lang", "en", INTENT, QUESTION)
    assert (cache_info(cache) or {}).get("warm") == 0 and (cache_info(cache) or {}).get("recent") == 0
    engine = Engine.open(db, root)
    try:
        assert engine.ask(QUESTION, "en").intent != INTENT or engine.ask(QUESTION, "en").status != "answer"
    finally:
        engine.close()

    # past the limit of warm updates in a row, the next change trains from scratch
    monkeypatch.setattr(snapshot, "WARM_LIMIT", 2)
    for n, text in enumerate(["numbat echidna dingo", "bilby quoll bandicoot", "wallaby potoroo"]):
        _cli(capsys, *add, text)
        assert (cache_info(cache) or {}).get("warm") == [1, 2, 0][n]

    # a load that changes the knowledge base forgets the cache: the next engine trains it from scratch
    _cli(capsys, "kb", "load", "--db", str(db), "--force", "--knowledge", str(root))
    assert cache_info(cache) is None
    built: list[int] = []
    real = _class(kind).build.__func__  # type: ignore[attr-defined]

    def counting(cls: type, *args: Any, **kwargs: Any) -> Any:
        built.append(1)
        return real(cls, *args, **kwargs)

    monkeypatch.setattr(_class(kind), "build", classmethod(counting))
    Engine.open(db, root).close()
    assert built == [1] and (cache_info(cache) or {}).get("warm") == 0
    # loading the same files again changes nothing: the cache stays, nothing is trained
    _cli(capsys, "kb", "load", "--db", str(db), "--knowledge", str(root))
    Engine.open(db, root).close()
    assert built == [1] and (cache_info(cache) or {}).get("warm") == 0


def test_an_edited_title_or_phrasing_is_learnt_warm_a_deleted_one_is_not(
    tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An edit replaces a training row by one of the same intent and language (an entry's title, a
    phrasing removed and another added in its place): learnt warm. A deletion alone is not."""
    root, db = make_root(tmp_path), tmp_path / "db.sqlite3"
    cache = matcher_cache_path(db)
    Engine.open(db, root).close()
    title = "How many quokka wombat hours?"
    with monkeypatch.context() as m:
        _no_training(m, _class(kind))
        _cli(
            capsys, "kb", "edit", "--db", str(db), "--lang", "en", "--title", title, "--version", "1", INTENT
        )
        info = cache_info(cache)
        assert info is not None and info["warm"] == 1 and info["recent"] == 1
        engine = Engine.open(db, root)
        try:
            reply = engine.ask(title, "en")
            assert (reply.status, reply.intent) == ("answer", INTENT)
        finally:
            engine.close()
        # edited again: the first new title is replaced, and no longer trained again as a recent row
        _cli(
            capsys,
            "kb",
            "edit",
            "--db",
            str(db),
            "--lang",
            "en",
            "--title",
            title + "!",
            "--version",
            "2",
            INTENT,
        )
        info = cache_info(cache)
        assert info is not None and info["warm"] == 2 and info["recent"] == 1

    # a phrasing added (warm), then deleted: a deletion alone trains from scratch
    add = ["kb", "phrase", "add", "--db", str(db), "--lang", "en", INTENT]
    _cli(capsys, *add, QUESTION)
    assert (cache_info(cache) or {}).get("warm") == 3
    _cli(capsys, "kb", "phrase", "remove", "--db", str(db), "--lang", "en", INTENT, QUESTION)
    assert (cache_info(cache) or {}).get("warm") == 0


def test_a_warm_update_needs_known_intents_and_leaves_the_old_matcher_alone(
    tmp_path: Path, kind: str
) -> None:
    from bot.engine.concepts import ConceptLayer
    from bot.engine.loader import load_knowledge

    kb = load_knowledge(make_root(tmp_path))
    rows = intent_rows(kb)
    concepts = ConceptLayer(kb.vocabulary)
    old = _class(kind).build(rows, annotate=concepts.features)
    before = old.rank(QUESTION, 3, out_of_scope=True)
    with pytest.raises(ValueError, match="not trained on"):
        old.warm_update([("a-new-intent", "en", QUESTION)], rows)
    with pytest.raises(ValueError, match="no phrasings"):
        old.warm_update([(INTENT, "en", "  ?! ")], rows)
    new = old.warm_update([(INTENT, "en", QUESTION)], rows, seed=3)
    assert new.rank(QUESTION, 1)[0][0] == INTENT and new.rank(QUESTION, 1)[0][1] >= 0.9
    assert old.rank(QUESTION, 3, out_of_scope=True) == before  # the old matcher is not changed
    assert new.warm_passes >= 1 and new.warm_worst >= 0.9
    # the same change from the same state and seed gives the same matcher (reproducible)
    again = old.warm_update([(INTENT, "en", QUESTION)], rows, seed=3)
    assert again.state() == new.state()
    # it serves from its state like a trained one (the cache), off-topic class included
    copy = _class(kind).from_state(new.state())
    copy.set_annotate(concepts.features)
    for _, _, text in rows[:20]:
        assert copy.rank(text, 3, out_of_scope=True) == new.rank(text, 3, out_of_scope=True)
    assert OUT_OF_SCOPE not in [i for i, _ in new.rank(QUESTION, 5)]


def test_a_change_made_by_the_bot_is_learnt_warm_by_the_engine_rebuild(tmp_path: Path) -> None:
    """A moderator's `/kb` change is written by the service without preparing the matcher: the
    running engine's background rebuild (a child process) updates the cached matcher warm."""
    from bot.engine.store import connect
    from bot.moderation.service import KnowledgeService

    db = tmp_path / "db.sqlite3"
    engine = Engine.open(db, make_root(tmp_path))
    try:
        KnowledgeService(connect(db), "discord:test").add_phrasing(INTENT, "en", QUESTION)
        assert engine.refresh(timeout=60) is True
        reply = engine.ask(QUESTION, "en")
        assert (reply.status, reply.intent) == ("answer", INTENT)
    finally:
        engine.close()
    info = cache_info(matcher_cache_path(db))
    assert info is not None and info["warm"] == 1
