"""The issue-8 topics (knowledge/common-questions.yaml and their intents) and tests/data/label-map.yaml.

The matcher is being redesigned elsewhere, so the end-to-end checks ask only a few distinctive
phrasings of each new intent, one per language, through the public `Engine.ask`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from bot.engine.engine import Engine
from bot.engine.loader import load_knowledge
from bot.engine.model import LANGS, Entry, Intent, KnowledgeBase
from bot.engine.paths import PROJECT_ROOT

FILE = "knowledge/common-questions.yaml"
LABEL_MAP = PROJECT_ROOT / "tests" / "data" / "label-map.yaml"
SLUGS = [
    "degree-equivalence",
    "cmf-accreditation",
    "transcript-grades",
    "non-partner-platforms",
    "university-joins",
    "europass-wallet",
    "futurelearn-access-rules",
    "prerequisites",
    "expiry",
    "resits",
    "current-prices",
    "miriadax-certificates",
    "miriadax-course-rules",
    "employer-bulk-purchase",
    "fun-exam-rules",
    "cfu-vs-ects",
]

# One phrasing per language for each new intent, each taken from that intent's own phrasings.
OWN_PHRASINGS: dict[str, dict[str, str]] = {
    "degree-equivalence": {
        "en": "is a microcredential the same as a bachelors",
        "fr": "une microcertification c'est l'équivalent d'un diplôme ?",
        "es": "una microcredencial equivale a un grado?",
        "it": "una microcredenziale vale quanto una laurea?",
        "de": "ist ein microcredential gleichwertig mit einem bachelor",
    },
    "cmf-accreditation": {
        "en": "is cmf an accreditation",
        "fr": "le cmf c'est une accréditation ?",
        "es": "el cmf es una acreditacion?",
        "it": "il cmf è un accreditamento?",
        "de": "ist cmf eine akkreditierung",
    },
    "quality-assurance": {
        "en": "who checks the quality of microcredentials",
        "fr": "qui contrôle la qualité des microcertifications ?",
        "es": "¿cómo se controla la calidad de una microcredencial?",
        "it": "chi controlla la qualità delle microcredenziali?",
        "de": "wer prüft die qualität von microcredentials?",
    },
    "transcript-grades": {
        "en": "are grades on the transcript",
        "fr": "la note est sur le relevé ?",
        "es": "la nota aparece en el certificado?",
        "it": "il voto è sul transcript?",
        "de": "steht die note im transcript",
    },
    "non-partner-platforms": {
        "en": "is coursera part of the cmf",
        "fr": "coursera fait partie du cmf ?",
        "es": "puedo sacar una microcredencial en coursera",
        "it": "posso ottenere una microcredenziale su coursera",
        "de": "ist coursera teil des cmf",
    },
    "university-joins": {
        "en": "how does a university join the cmf",
        "fr": "comment une université rejoint le cmf",
        "es": "como se une una universidad al cmf",
        "it": "come aderisce un'università al cmf",
        "de": "wie tritt eine hochschule dem cmf bei",
    },
    "europass-wallet": {
        "en": "how do i put my certificate in europass",
        "fr": "comment mettre mon certificat dans europass",
        "es": "como meto mi certificado en europass",
        "it": "come metto il mio certificato su europass",
        "de": "wie lege ich mein zertifikat in europass ab",
    },
    "futurelearn-access-rules": {
        "en": "how long do i have access to a futurelearn course",
        "fr": "combien de temps j'ai accès à un cours futurelearn",
        "es": "cuanto tiempo tengo acceso a un curso de futurelearn",
        "it": "per quanto tempo ho accesso a un corso futurelearn",
        "de": "wie lange habe ich zugang zu einem futurelearn kurs",
    },
    "prerequisites": {
        "en": "what are the entry requirements",
        "fr": "quelles sont les conditions d'accès",
        "es": "cuales son los requisitos de acceso",
        "it": "quali sono i requisiti di accesso",
        "de": "welche zugangsvoraussetzungen gibt es",
    },
    "credential-expiry": {
        "en": "how long is a microcredential valid",
        "fr": "combien de temps est valable une microcertification",
        "es": "cuanto tiempo es valida una microcredencial",
        "it": "quanto dura la validità di una microcredenziale",
        "de": "wie lange ist ein microcredential gültig",
    },
    "exam-resits": {
        "en": "can i retake the exam if i fail",
        "fr": "je peux repasser l'examen si j'échoue",
        "es": "puedo repetir el examen si suspendo",
        "it": "posso ripetere l'esame se non lo passo",
        "de": "kann ich die prüfung wiederholen wenn ich durchfalle",
    },
    "certificate-arrival": {
        "en": "how long until i receive my certificate",
        "fr": "j'ai fini le cours, quand arrive le certificat ?",
        "es": "terminé el curso, ¿cuándo me llega el certificado?",
        "it": "ho finito il corso, quando arriva il certificato?",
        "de": "kurs fertig, wann kommt das zertifikat?",
    },
    "exam-online": {
        "en": "is the exam online or in person",
        "fr": "l'examen se passe en ligne ou sur place ?",
        "es": "¿el examen es online o presencial?",
        "it": "l'esame è online o in presenza?",
        "de": "ist die prüfung online oder vor ort?",
    },
    "employer-bulk-purchase": {
        "en": "can we buy microcredentials for our staff in bulk",
        "fr": "acheter des microcertifications pour nos salariés en lot",
        "es": "comprar microcredenciales para la plantilla en bloque",
        "it": "comprare microcredenziali per i dipendenti in blocco",
        "de": "microcredentials für mitarbeiter in großen mengen kaufen",
    },
    "course-duration": {
        "en": "how long is a course",
        "fr": "quelle est la durée d'un cours ?",
        "es": "¿cuál es la duración de los cursos?",
        "it": "qual è la durata dei corsi?",
        "de": "wie lang ist ein kurs?",
    },
}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge(PROJECT_ROOT)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    eng = Engine.open(tmp_path_factory.mktemp("common") / "db.sqlite3", PROJECT_ROOT)
    yield eng
    eng.close()


def new_entries(kb: KnowledgeBase) -> list[Entry]:
    return [e for e in kb.entries.values() if e.file == FILE]


def new_intents(kb: KnowledgeBase) -> list[Intent]:
    ids = {e.id for e in new_entries(kb)}
    return [i for i in kb.intents.values() if i.leads_to.get("entry") in ids]


def test_every_new_entry_has_sources_and_all_five_languages(kb: KnowledgeBase) -> None:
    entries = new_entries(kb)
    assert {e.id for e in entries} == set(OWN_PHRASINGS)
    for entry in entries:
        assert entry.sources, entry.id
        assert all(url.startswith(("https://", "http://")) for url in entry.sources), entry.id
        assert entry.checked, entry.id
        for lang in LANGS:
            assert entry.title.get(lang, "").strip(), (entry.id, lang, "title")
            assert entry.answer.get(lang, "").strip(), (entry.id, lang, "answer")


def test_every_new_entry_has_one_intent_with_enough_phrasings(kb: KnowledgeBase) -> None:
    intents = new_intents(kb)
    assert sorted(i.leads_to["entry"] for i in intents) == sorted(OWN_PHRASINGS)
    for intent in intents:
        assert intent.leads_to["type"] == "entry"
        counts = {lang: len(intent.phrasings[lang]) for lang in LANGS}
        assert 15 <= counts["en"] <= 30, (intent.id, counts)
        assert all(8 <= counts[lang] <= 15 for lang in LANGS if lang != "en"), (intent.id, counts)


CASES = [(intent, lang, q) for intent, by_lang in OWN_PHRASINGS.items() for lang, q in by_lang.items()]


CASE_IDS = [f"{intent}-{lang}" for intent, lang, _ in CASES]


@pytest.mark.parametrize(("intent_id", "lang", "question"), CASES, ids=CASE_IDS)
def test_a_new_intent_answers_its_own_phrasing(
    engine: Engine, kb: KnowledgeBase, intent_id: str, lang: str, question: str
) -> None:
    intent = kb.intents[intent_id]
    assert question in intent.phrasings[lang], "the test must ask one of the intent's own phrasings"
    entry = kb.entries[intent.leads_to["entry"]]
    reply = engine.ask(question)
    assert (reply.status, reply.intent, reply.lang) == ("answer", intent_id, lang)
    first_line = entry.answer[lang].splitlines()[0]
    assert first_line in reply.answer, "the answer is the entry's text in the asker's language"
    assert {link.url for link in reply.links} >= set(entry.sources)


def test_the_label_map_names_every_slug_and_only_real_answer_intents(kb: KnowledgeBase) -> None:
    labels = yaml.safe_load(Path(LABEL_MAP).read_text(encoding="utf-8"))["labels"]
    assert sorted(labels) == sorted(f"missing:{slug}" for slug in SLUGS)
    for label, intents in labels.items():
        if intents is None:
            continue
        assert isinstance(intents, list) and intents, label
        for intent_id in intents:
            assert intent_id in kb.intents, (label, intent_id)
            assert kb.intents[intent_id].leads_to["type"] != "decline", (label, intent_id)


def test_a_merged_intent_is_gone_and_its_rows_accept_the_intent_it_became(kb: KnowledgeBase) -> None:
    """`merged:` in the label map: the old id no longer exists, the new one does, and a frozen set's
    row labelled with the old id is right when answered with the new one (bench/quality.py)."""
    import sys

    if str(PROJECT_ROOT) not in sys.path:  # bench/ is a folder of the checkout, not an installed package
        sys.path.insert(0, str(PROJECT_ROOT))
    from bench.quality import expected, load_label_map

    merged = yaml.safe_load(Path(LABEL_MAP).read_text(encoding="utf-8"))["merged"]
    assert merged
    label_map = load_label_map(LABEL_MAP)
    for old, new in merged.items():
        assert old not in kb.intents and new in kb.intents, (old, new)
        assert expected({"intent": [old]}, label_map) == ("in", {new})
        assert expected({"intent": old}, label_map) == ("in", {new})
    assert expected({"intent": "cmf-level"}, label_map) == ("in", {"cmf-level"})
