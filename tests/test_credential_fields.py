"""The topic `universities-credential-fields`: issuing a microcredential as a digital credential (ELM / EDC
and Open Badges 3.0) and which fields to fill, for universities and employers (shared/cmf-facts.md §5, §2.1).

The neighbouring topics are about READING a credential (`employers-open-badges`,
`employers-europass-digital-credentials`); these tests ask, through the public `Engine.ask`, questions
written for this test (none of them is a phrasing of any intent) and check that an issuer's question
reaches the new entry while a reader's question stays with its neighbour.
"""

from __future__ import annotations

import pytest

from bot.engine.engine import Engine
from bot.engine.model import LANGS, KnowledgeBase
from bot.engine.normalize import normalize

ENTRY = "universities-credential-fields"

ISSUER_QUESTIONS: dict[str, str] = {
    "en": "our university wants to award a micro-credential as an EDC, in which ELM property do the ECTS go?",
    "fr": "nous voulons émettre nos microcertifications en Open Badges 3.0 : quel champ pour les ECTS ?",
    "es": "¿qué campos del modelo ELM usamos para expedir una microcredencial con sus horas y sus ECTS?",
    "it": "per rilasciare una microcredenziale come credenziale digitale europea, quali campi ELM usiamo?",
    "de": "Wir wollen ein Microcredential als Open Badge 3.0 ausstellen: in welches Feld gehören die ECTS?",
}

READER_QUESTION = ("how do I read an open badge a candidate sent me?", "employers-open-badges")

# The facts every language must give (cmf-facts.md §5.2 ELM paths, §5.3 the OB3 mapping).
ELM_PATHS = [
    "specifiedBy.title",
    "specifiedBy.learningOutcome",
    "specifiedBy.volumeOfLearning",
    "specifiedBy.creditPoint.point",
    "EQFLevel",
    "ISCEDFCode",
    "provenBy.grade",
    "provenBy.idVerification",
    "provenBy.specifiedBy.dcType",
    "provenBy.specifiedBy.mode",
    "provenBy.dateIssued",
    "awardedBy",
    "evidence.accreditation",
]
OB3_FIELDS = ["creditsAvailable", "alignment", "result", "issuer.parentOrg", "otherIdentifier"]
SOURCES_SAY_NOTHING = {
    "en": "my sources don't say",
    "fr": "mes sources ne le disent pas",
    "es": "mis fuentes no lo dicen",
    "it": "le mie fonti non lo dicono",
    "de": "das sagen meine quellen nicht",
}
FACTS_URLS = [  # every source of cmf-facts.md §5.1-5.2 and the Council Recommendation (§2)
    "https://socket.dev/npm/package/@digitalcredentials/ssi/diff/5.1.0",
    "https://github.com/edubadges/edubadges-server/wiki/Edubadges-Metadata-Model-OB3",
    "https://europa.eu/europass/elm-browser/index.html",
    "https://ec.europa.eu/futurium/en/node/6772.html",
    "https://europass.europa.eu/el/news/micro-credentials-and-european-digital-credentials-learning",
    "https://github.com/MyNextID/credentials",
    "https://europa.eu/europass/en/european-learning-model",
    "https://europa.eu/europass/ro/node/801",
    "http://eur-lex.europa.eu/legal-content/EN/TXT/?uri=celex:32022H0627%2802%29",
]


def test_the_entry_gives_the_elm_paths_the_ob3_fields_and_what_is_not_known(
    shipped_kb: KnowledgeBase,
) -> None:
    entry = shipped_kb.entries[ENTRY]
    assert set(entry.audiences) == {"university", "employer"}
    assert entry.checked == "2026-12-03"
    for lang in LANGS:
        answer = entry.answer[lang]
        assert len(answer) <= 1500, (lang, len(answer))
        missing = [field for field in ELM_PATHS + OB3_FIELDS if f"`{field}`" not in answer]
        assert not missing, (lang, missing)
        assert "edubadges" in answer, lang  # the OB3 mapping is said as edubadges' mapping
        assert "OB3" in answer and "European Learning Model" in answer, lang
        assert normalize(SOURCES_SAY_NOTHING[lang]) in normalize(answer), lang
    assert set(entry.sources) >= set(FACTS_URLS)
    assert set(entry.third_party) <= set(entry.sources)
    assert "https://github.com/MyNextID/credentials" in entry.third_party


def test_one_intent_leads_there_with_enough_phrasings(shipped_kb: KnowledgeBase) -> None:
    intents = [i for i in shipped_kb.intents.values() if i.leads_to.get("entry") == ENTRY]
    assert [i.id for i in intents] == [ENTRY]
    counts = {lang: len(intents[0].phrasings[lang]) for lang in LANGS}
    assert 15 <= counts["en"] <= 30, counts
    assert all(8 <= counts[lang] <= 15 for lang in LANGS if lang != "en"), counts


def test_the_questions_are_written_for_this_test(shipped_kb: KnowledgeBase) -> None:
    phrasings = {normalize(p) for i in shipped_kb.intents.values() for ps in i.phrasings.values() for p in ps}
    for question in [*ISSUER_QUESTIONS.values(), READER_QUESTION[0]]:
        assert normalize(question) not in phrasings, question


@pytest.mark.parametrize(("lang", "question"), sorted(ISSUER_QUESTIONS.items()), ids=sorted(ISSUER_QUESTIONS))
def test_an_issuers_question_gets_the_fields(
    bot_engine: Engine, shipped_kb: KnowledgeBase, lang: str, question: str
) -> None:
    reply = bot_engine.ask(question)
    assert (reply.status, reply.intent, reply.lang) == ("answer", ENTRY, lang), (reply.status, reply.intent)
    assert shipped_kb.entries[ENTRY].answer[lang].splitlines()[0] in reply.answer
    assert {link.url for link in reply.links} >= set(shipped_kb.entries[ENTRY].sources)


def test_a_readers_question_stays_with_reading_an_open_badge(bot_engine: Engine) -> None:
    question, intent = READER_QUESTION
    reply = bot_engine.ask(question)
    assert (reply.status, reply.intent) == ("answer", intent), (reply.status, reply.intent)
