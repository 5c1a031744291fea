"""The intent matchers (the engine's dense one and the sparse one) and thresholds, on a small
hand-written knowledge base."""

from __future__ import annotations

import random

import pytest

from bot.engine.matcher import (
    DEFAULT_THRESHOLDS,
    EPOCH_BUDGET,
    MAX_EPOCHS,
    MIN_EPOCHS,
    NUMPY_EPOCH_BUDGET,
    NUMPY_MAX_EPOCHS,
    OUT_OF_SCOPE,
    IntentMatcher,
    Thresholds,
    Vectorizer,
    _quantize,
    default_epochs,
    numpy_epochs,
    tune_thresholds,
)
from bot.engine.sparse_matcher import SparseIntentMatcher

Matcher = IntentMatcher | SparseIntentMatcher

PHRASINGS: dict[str, dict[str, list[str]]] = {
    "study-hours": {
        "en": [
            "How many hours is a microcredential?",
            "what is the workload of a CMF course",
            "how long does it take to complete a microcredential",
            "how much study time do I need",
        ],
        "fr": ["Combien d'heures dure une microcertification ?", "quelle est la charge de travail"],
        "es": ["¿Cuántas horas dura una microcredencial?", "cuánto tiempo de estudio necesito"],
        "it": ["Quante ore dura una microcredenziale?", "quanto tempo di studio serve"],
        "de": ["Wie viele Stunden dauert ein Microcredential?", "wie hoch ist der Arbeitsaufwand"],
    },
    "ects-credits": {
        "en": [
            "how many ECTS credits do I get",
            "does it give university credits",
            "can I transfer the credits to my degree",
        ],
        "fr": ["combien de crédits ECTS vais-je obtenir", "puis-je transférer les crédits"],
        "es": ["cuántos créditos ECTS obtengo", "puedo transferir los créditos a mi grado"],
        "it": ["quanti crediti ECTS ottengo", "posso trasferire i crediti alla mia laurea"],
        "de": ["wie viele ECTS-Punkte bekomme ich", "kann ich die Leistungspunkte anrechnen lassen"],
    },
    "what-is-cmf": {
        "en": [
            "what is the Common Microcredential Framework",
            "what does CMF mean",
            "explain the CMF to me",
        ],
        "fr": ["qu'est-ce que le CMF", "c'est quoi le cadre commun des microcertifications"],
        "es": ["qué es el CMF", "qué significa el marco común de microcredenciales"],
        "it": ["che cos'è il CMF", "cosa significa il quadro comune delle microcredenziali"],
        "de": ["was ist das CMF", "was bedeutet das gemeinsame Microcredential-Rahmenwerk"],
    },
    "id-verification": {
        "en": [
            "do I need to verify my identity",
            "is there an ID check for the exam",
            "how is my identity checked during the assessment",
        ],
        "fr": ["dois-je vérifier mon identité", "y a-t-il un contrôle d'identité à l'examen"],
        "es": ["tengo que verificar mi identidad", "hay control de identidad en el examen"],
        "it": ["devo verificare la mia identità", "c'è un controllo dell'identità all'esame"],
        "de": ["muss ich meine Identität nachweisen", "gibt es eine Ausweiskontrolle bei der Prüfung"],
    },
    "eqf-level": {
        "en": ["what EQF level are microcredentials", "which level of the European Qualifications Framework"],
        "fr": ["quel niveau CEC", "à quel niveau du cadre européen des certifications"],
        "es": ["qué nivel EQF tienen", "en qué nivel del marco europeo de cualificaciones"],
        "it": ["che livello EQF hanno", "a quale livello del quadro europeo delle qualifiche"],
        "de": ["welches EQR-Niveau haben sie", "auf welcher Stufe des Europäischen Qualifikationsrahmens"],
    },
    OUT_OF_SCOPE: {
        "en": [
            "what's the weather like today",
            "tell me a joke",
            "how do I change my discord nickname",
            "who won the football match yesterday",
            "what time is it",
            "recommend a good restaurant",
        ],
    },
}


def rows() -> list[tuple[str, str, str]]:
    return [(i, lang, t) for i, by_lang in PHRASINGS.items() for lang, ts in by_lang.items() for t in ts]


@pytest.fixture(scope="module", params=[IntentMatcher, SparseIntentMatcher], ids=["dense", "sparse"])
def cls(request: pytest.FixtureRequest) -> type[Matcher]:
    return request.param


@pytest.fixture(scope="module")
def matcher(cls: type[Matcher]) -> Matcher:
    return cls.build(rows())


def test_build_from_tuples_knows_every_intent_but_out_of_scope(matcher: Matcher) -> None:
    assert sorted(matcher.intents) == sorted(i for i in PHRASINGS if i != OUT_OF_SCOPE)


def test_rank_is_best_first_with_probabilities(matcher: Matcher) -> None:
    ranked = matcher.rank("how many hours does a microcredential take", limit=5)
    assert ranked[0][0] == "study-hours"
    scores = [s for _, s in ranked]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert sum(scores) <= 1.0 + 1e-9
    assert len(matcher.rank("how many hours", limit=2)) == 2
    assert OUT_OF_SCOPE not in {i for i, _ in matcher.rank("tell me a joke", limit=10)}


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("how mny hours is a microcredentail", "study-hours"),
        ("how many ECST credit do i gett", "ects-credits"),
        ("waht does CMF mean", "what-is-cmf"),
        ("do i need to verfy my identiy", "id-verification"),
    ],
)
def test_typos_still_find_the_intent(matcher: Matcher, question: str, intent: str) -> None:
    assert matcher.rank(question, 1)[0][0] == intent


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("Combien d'heures faut-il pour une microcertification ?", "study-hours"),
        ("¿Cuántos créditos ECTS se obtienen?", "ects-credits"),
        ("Cos'è il CMF?", "what-is-cmf"),
        ("Muss ich bei der Prüfung meine Identität nachweisen?", "id-verification"),
        ("quel niveau du cadre européen", "eqf-level"),
    ],
)
def test_questions_in_other_languages(matcher: Matcher, question: str, intent: str) -> None:
    ranked = matcher.rank(question, 1)
    assert ranked[0][0] == intent
    assert ranked[0][1] >= DEFAULT_THRESHOLDS.suggest


@pytest.mark.parametrize(
    "question",
    ["what's the weather in Paris tomorrow", "tell me a funny joke please", "zzqx vvkp", "!!!", ""],
)
def test_unknown_questions_are_not_answered(matcher: Matcher, question: str) -> None:
    ranked = matcher.rank(question)
    assert not ranked or ranked[0][1] < DEFAULT_THRESHOLDS.answer


@pytest.mark.parametrize("question", ["what's the weather like tomorrow", "tell me a joke please"])
def test_off_topic_examples_rank_first_only_when_asked_for(matcher: Matcher, question: str) -> None:
    assert matcher.rank(question, 1, out_of_scope=True)[0][0] == OUT_OF_SCOPE
    assert OUT_OF_SCOPE not in {i for i, _ in matcher.rank(question, 10)}


def test_rank_gives_limit_intents_even_without_evidence(matcher: Matcher) -> None:
    ranked = matcher.rank("zzqx vvkp", limit=4)
    assert len(ranked) == 4
    assert len(matcher.rank("zzqx vvkp", limit=50)) == len(matcher.intents)
    assert matcher.rank("how many hours", limit=0) == []
    assert abs(sum(matcher.probabilities("how many hours")) - 1.0) < 1e-9


def test_empty_question_ranks_nothing(matcher: Matcher) -> None:
    assert matcher.rank("  ?! ") == []


def test_ranking_is_deterministic_and_independent_of_input_order(cls: type[Matcher]) -> None:
    shuffled = rows()
    random.Random(7).shuffle(shuffled)
    a, b = cls.build(rows()), cls.build(shuffled)
    for q in ["how many hours", "ECTS", "qué es el CMF", "tell me a joke"]:
        assert a.rank(q, 5) == b.rank(q, 5)


def test_build_rejects_empty_input(cls: type[Matcher]) -> None:
    with pytest.raises(ValueError):
        cls.build([])
    with pytest.raises(ValueError):
        cls.build([("a", "en", " ?! ")])
    with pytest.raises(ValueError):
        cls.build([(OUT_OF_SCOPE, "en", "tell me a joke")])


def test_default_epochs_fit_the_budget_within_bounds() -> None:
    assert default_epochs(1) == default_epochs(3_000) == MAX_EPOCHS  # the bot's knowledge base
    assert default_epochs(15_100) == MIN_EPOCHS  # CLINC150-sized
    assert default_epochs(0) == MAX_EPOCHS
    sizes = range(1, 20_000, 97)
    epochs = [default_epochs(n) for n in sizes]
    assert epochs == sorted(epochs, reverse=True)  # more phrasings never train more epochs
    for n, e in zip(sizes, epochs, strict=True):
        assert MIN_EPOCHS <= e <= MAX_EPOCHS
        assert e == MIN_EPOCHS or n * e <= EPOCH_BUDGET


def test_numpy_epochs_fit_their_budget_within_bounds() -> None:
    assert numpy_epochs(8_300) == 8  # the bot's knowledge base
    assert numpy_epochs(15_100) == MIN_EPOCHS  # CLINC150-sized
    assert numpy_epochs(1) == numpy_epochs(0) == NUMPY_MAX_EPOCHS
    sizes = range(1, 100_000, 397)
    epochs = [numpy_epochs(n) for n in sizes]
    assert epochs == sorted(epochs, reverse=True)
    for n, e in zip(sizes, epochs, strict=True):
        assert MIN_EPOCHS <= e <= NUMPY_MAX_EPOCHS
        assert e == MIN_EPOCHS or n * e <= NUMPY_EPOCH_BUDGET


def test_both_trainers_learn_the_intents_and_the_numpy_one_is_deterministic() -> None:
    data = rows()
    questions = ["how many hours is a microcredential", "cuántos créditos ECTS obtengo", "what does CMF mean"]
    python = IntentMatcher.build(data, trainer="python")
    first, again = IntentMatcher.build(data), IntentMatcher.build(list(reversed(data)))
    assert first.state() == again.state()  # same seed, any row order: the same matcher
    assert first.state() != IntentMatcher.build(data, seed=1).state()
    assert [python.rank(q, 1)[0][0] for q in questions] == [first.rank(q, 1)[0][0] for q in questions]
    assert first.state().keys() == python.state().keys()  # one serving format
    with pytest.raises(ValueError):
        IntentMatcher.build(data, trainer="sklearn")
    with pytest.raises(ValueError):
        IntentMatcher.build(data, smoothing=0.1)  # label smoothing: python trainer only


def test_build_uses_the_default_epochs_and_rejects_fewer_than_one() -> None:
    data = rows()
    n = len({r for r in data if r[2].strip()})
    implicit, explicit = IntentMatcher.build(data), IntentMatcher.build(data, epochs=numpy_epochs(n))
    other = IntentMatcher.build(data, epochs=1)
    questions = ["how many hours", "ECTS", "qué es el CMF", "tell me a joke"]
    assert [implicit.rank(q, 5) for q in questions] == [explicit.rank(q, 5) for q in questions]
    assert [implicit.rank(q, 5) for q in questions] != [other.rank(q, 5) for q in questions]
    with pytest.raises(ValueError):
        IntentMatcher.build(data, epochs=0)


def test_single_intent_matcher_works(cls: type[Matcher]) -> None:
    m = cls.build([("only", "en", "hello there")])
    assert m.rank("hello") == [("only", 1.0)]


@pytest.mark.parametrize(("answer", "suggest"), [(0.3, 0.5), (1.5, 0.2), (0.5, -0.1)])
def test_thresholds_are_validated(answer: float, suggest: float) -> None:
    with pytest.raises(ValueError):
        Thresholds(answer=answer, suggest=suggest)


def test_tune_thresholds_separates_labelled_questions(matcher: Matcher) -> None:
    labelled = [
        ("how many study hours", "study-hours"),
        ("combien de crédits ECTS", "ects-credits"),
        ("what is the CMF", "what-is-cmf"),
        ("what's the weather like", None),
        ("tell me a joke", None),
    ]
    th = tune_thresholds(matcher, labelled)
    assert th.suggest <= th.answer
    for q, intent in labelled:
        ranked = matcher.rank(q)
        if intent is None:
            assert ranked[0][1] < th.answer
        else:
            assert ranked[0][1] >= th.answer
            assert ranked[0][0] == intent
    with pytest.raises(ValueError):
        tune_thresholds(matcher, [])


def test_state_round_trip_gives_the_same_ranking(matcher: Matcher) -> None:
    import marshal

    restored = type(matcher).from_state(marshal.loads(marshal.dumps(matcher.state())))
    assert restored.state() == matcher.state()
    for q in ["how mny hours", "qué es el CMF", "tell me a joke"]:
        assert restored.rank(q, 5) == matcher.rank(q, 5)
        assert restored.logits(q) == matcher.logits(q)
    with pytest.raises(ValueError):
        type(matcher).from_state({"version": 0})
    assert "langs" not in matcher.state()  # the phrasing-language counts are gone (ninth pass)
    if isinstance(matcher, SparseIntentMatcher):
        broken = matcher.state() | {"weights": matcher.state()["weights"][:-4]}
        with pytest.raises(ValueError):
            SparseIntentMatcher.from_state(broken)


def test_annotations_are_features_and_not_part_of_the_state(cls: type[Matcher]) -> None:
    def annotate(text: str) -> list[str]:
        return ["concept:hours"] if "zeitaufwand" in text.casefold() else []

    data = [*rows(), ("study-hours", "de", "Zeitaufwand")]
    m = cls.build(data, annotate=annotate)
    assert m.rank("Zeitaufwand?", 1)[0][0] == "study-hours"
    restored = cls.from_state(m.state())
    restored.set_annotate(annotate)
    assert restored.rank("wie ist der Zeitaufwand", 3) == m.rank("wie ist der Zeitaufwand", 3)


def test_training_is_deterministic_and_seeded(cls: type[Matcher]) -> None:
    assert cls.build(rows()).state() == cls.build(rows()).state()
    assert cls.build(rows(), seed=1).state() != cls.build(rows()).state()


def test_weights_grow_with_the_phrasings_not_with_intents_times_features() -> None:
    """Adding intents with words of their own adds only their own weights (a sparse model)."""
    from array import array
    from itertools import pairwise

    base = SparseIntentMatcher.build(rows())
    extra = [(f"topic-{k}", "en", f"question about subject{k} number {k}") for k in range(40)]
    bigger = SparseIntentMatcher.build(rows() + extra)
    n_base = len(base.state()["weights"]) // 4  # float32
    n_bigger = len(bigger.state()["weights"]) // 4
    offsets = array("I", bigger.state()["offsets"])
    used_buckets = sum(hi > lo for lo, hi in pairwise(offsets))
    assert n_bigger < 2 * n_base
    assert n_bigger < used_buckets * len(bigger.intents) / 10  # far from dense
    assert bigger.rank("question about subject7 number 7", 1)[0][0] == "topic-7"


def test_max_classes_caps_the_intents_a_bucket_weighs() -> None:
    one = SparseIntentMatcher.build(rows(), max_classes=1)
    full = SparseIntentMatcher.build(rows())
    assert len(one.state()["weights"]) < len(full.state()["weights"])
    assert one.rank("how many ECTS credits", 1)[0][0] == "ects-credits"
    with pytest.raises(ValueError):
        SparseIntentMatcher.build(rows(), max_classes=0)


def test_the_sparse_matcher_trains_with_numpy_too() -> None:
    """The sparse matcher's numpy trainer (`bot.engine.sparse_trainer`, the default): order-independent,
    the same answers after a state round trip, an unknown trainer refused."""
    data = rows()
    first = SparseIntentMatcher.build(data, trainer="numpy")
    assert first.state() == SparseIntentMatcher.build(list(reversed(data)), trainer="numpy").state()
    again = SparseIntentMatcher.from_state(first.state())
    for question, intent in [
        ("how many hours is a microcredential", "study-hours"),
        ("cuántos créditos ECTS obtengo", "ects-credits"),
        ("what does CMF mean", "what-is-cmf"),
    ]:
        assert first.rank(question, 1)[0][0] == intent
        assert again.rank(question, 3) == first.rank(question, 3)
    with pytest.raises(ValueError):
        SparseIntentMatcher.build(data, trainer="sklearn")


def test_the_one_pass_question_vector_is_the_two_step_one() -> None:
    """`Vectorizer.quantized` (the matcher's hot path) gives exactly `_quantize(transform(text))`,
    repeated n-grams (a log tf) and texts with no known feature included."""
    vectorizer = Vectorizer()
    vectorizer.fit(["how many hours is a microcredential", "combien d'heures", "ECTS ECTS ECTS credits"])
    for text in ("how many hours hours hours?", "ECTS credits ECTS", "zzzz qqqq", "", "heures ECTS"):
        assert vectorizer.quantized(text) == _quantize(vectorizer.transform(text)), text
    assert vectorizer.quantized("how many hours")  # not trivially empty
