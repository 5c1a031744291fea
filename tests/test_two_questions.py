"""A message that asks two different things gets both answers: the question parts of a message
(`bot.engine.questions`), the second answer (`Reply.also`) through `Engine.ask`, the console and the
Discord bot (a second embed in the same message, within Discord's limits)."""

from __future__ import annotations

import io
import json
import sys
from typing import Any

import pytest
from test_bot_e2e import NO_PINGS, custom_ids, message_response, started

from bot import render
from bot.cli import main
from bot.engine.languages import languages
from bot.engine.model import Reply
from bot.engine.questions import question_parts

# -- the question parts of a message (pure) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "parts"),
    [
        (
            "Quanti ECTS vale di solito e quanto tempo devo dedicarci?",
            ["Quanti ECTS vale di solito", "quanto tempo devo dedicarci?"],
        ),
        (  # trial 155: a last question opening with a one-word opener, typed without its "?"
            "Was ist der Europäische Qualifikationsrahmen (EQR)? welche stufe ist ein bachelor",
            ["Was ist der Europäische Qualifikationsrahmen (EQR)?", "welche stufe ist ein bachelor"],
        ),
        (  # trial 162: a two-word question whose first word elides ("cos'è" is "cos e") is one
            "cos'e openuped e come funziona il marchio di qualita?",
            ["cos'e openuped", "come funziona il marchio di qualita?"],
        ),
        (  # trial 162: a last sentence after a join, with a one-word opener further in, asks
            "Qu'est-ce que le cadre europeen des certifications (CEC) ? et une licence c'est quel niveau",
            [
                "Qu'est-ce que le cadre europeen des certifications (CEC) ?",
                "et une licence c'est quel niveau",
            ],
        ),
        (  # a last sentence opening with a condition (`conditionals` in languages.json) asks nothing
            "Quanto costa un corso su EduOpen? se hai tempo rispondimi grazie",
            ["Quanto costa un corso su EduOpen?"],
        ),
        (  # trial 111: a condition between the join and the question
            "kann ich mir nen imoox mooc an der uni anrechnen lassen und wenn ja wieviel ects",
            ["kann ich mir nen imoox mooc an der uni anrechnen lassen", "wenn ja wieviel ects"],
        ),
        (
            "can I get credit for it, and if so how many ECTS?",
            ["can I get credit for it", "if so how many ECTS?"],
        ),
        (  # trial 130: "and can ppl …" without "?" asks a second question
            "do these badges expire at some point? and can ppl stack a few of them into a proper degree",
            ["do these badges expire at some point?", "can ppl stack a few of them into a proper degree"],
        ),
        (  # trial 116: a filler between the join and the question
            "Can you explain what EQF level 6 means in plain terms, and roughly how much work 5 ECTS "
            "represents?",
            [
                "Can you explain what EQF level 6 means in plain terms",
                "roughly how much work 5 ECTS represents?",
            ],
        ),
        (
            "kosten die kurse auf imoox was? und krieg ich da ein zertifikat",
            ["kosten die kurse auf imoox was?", "krieg ich da ein zertifikat"],
        ),
        (  # trial 118: "and would my uni …" opens a second question
            "does it fit the CMF hours wise, and would my uni have to accept the credits?",
            ["does it fit the CMF hours wise", "would my uni have to accept the credits?"],
        ),
        (  # trial 118: "et ça coûte combien" after a comma
            "ça me prendrait combien de semaines, et ça coûte combien en gros ?",
            ["ça me prendrait combien de semaines", "ça coûte combien en gros ?"],
        ),
        (  # trial 116: "brauchen wir" opens a question as "brauche ich" does
            "was sind die voraussetzungen und brauchen wir das quality label?",
            ["was sind die voraussetzungen", "brauchen wir das quality label?"],
        ),
        (
            "le certificat fun il coûte combien ? et l'exam c surveillé comment",
            ["le certificat fun il coûte combien ?", "et l'exam c surveillé comment"],
        ),
        (
            "what does it tell me about the candidate? and how do I check it's genuine?",
            ["what does it tell me about the candidate?", "how do I check it's genuine?"],
        ),
        (
            "Welches EQR-Niveau haben die Microcredentials und kann ich die trotzdem machen?",
            ["Welches EQR-Niveau haben die Microcredentials", "kann ich die trotzdem machen?"],
        ),
        (
            "Combien d'ECTS vaut une microcertification, et combien d'heures faut-il y consacrer ?",
            ["Combien d'ECTS vaut une microcertification", "combien d'heures faut-il y consacrer ?"],
        ),
        (
            "Hola, soy profe ¿cuántos créditos tiene una microcredencial y cuántas horas hay que dedicarle?",
            ["¿cuántos créditos tiene una microcredencial", "cuántas horas hay que dedicarle?"],
        ),
        (  # Spanish: each "¿" opens a question, the statement before is no question
            "Trabajo en Madrid. ¿Qué es el CMF? ¿Y quiénes son los socios del CMF?",
            ["¿Qué es el CMF?", "quiénes son los socios del CMF?"],
        ),
        (  # "è" is also the Italian join "e": no opener follows it here
            "È possibile seguire un corso gratis e c'è un esame finale?",
            ["È possibile seguire un corso gratis", "c'è un esame finale?"],
        ),
        (  # without "?", the last sentence is the question
            "ich habe eine Frage. wie lange dauert ein Microcredential und was kostet es am Ende",
            ["wie lange dauert ein Microcredential", "was kostet es am Ende"],
        ),
        (  # user trials 15 and 17: openers without a question word
            "Is there a microcredential on FutureLearn for us, and can the fee be paid in instalments?",
            ["Is there a microcredential on FutureLearn for us", "can the fee be paid in instalments?"],
        ),
        (
            "¿Qué cursos de MiríadaX hay sobre desarrollo web, y dan algún certificado con créditos?",
            ["¿Qué cursos de MiríadaX hay sobre desarrollo web", "dan algún certificado con créditos?"],
        ),
        (
            "quante ore servono per una microcredenziale e che livello eqf ha",
            ["quante ore servono per una microcredenziale", "che livello eqf ha"],
        ),
        (
            "Welche Pflichtangaben nennt die EU-Empfehlung, und bis wann mussten die Staaten berichten?",
            ["Welche Pflichtangaben nennt die EU-Empfehlung", "bis wann mussten die Staaten berichten?"],
        ),
        (  # user trial 53: an opener after a preposition ("à combien", "a cuántos", "a quanti")
            "Quelle charge de travail représente une microcertification"
            " et à combien d'ECTS cela correspond-il ?",
            [
                "Quelle charge de travail représente une microcertification",
                "à combien d'ECTS cela correspond-il ?",
            ],
        ),
        (  # trial 54: "also" opens the second question of a chat message
            "will the credits count at my uni or is it up to them? also do i need to show ID for the exam",
            ["will the credits count at my uni or is it up to them?", "do i need to show ID for the exam"],
        ),
        (
            "cuántas horas son en total y a cuántos créditos equivale eso?",
            ["cuántas horas son en total", "a cuántos créditos equivale eso?"],
        ),
        (
            "quante ore richiede in tutto e a quanti crediti equivale?",
            ["quante ore richiede in tutto", "a quanti crediti equivale?"],
        ),
        (  # trial 68: an indirect question after a join ("and whether", "et si", "und ob")
            "Können Sie erklären, was ein Micro-Credential ist und ob es in Österreich Größen gibt?",
            ["Können Sie erklären, was ein Micro-Credential ist", "ob es in Österreich Größen gibt?"],
        ),
        (
            "Pouvez-vous expliquer ce que garantit le label CMF et si nos salariés peuvent faire"
            " valoir ces crédits dans un master ?",
            [
                "Pouvez-vous expliquer ce que garantit le label CMF",
                "si nos salariés peuvent faire valoir ces crédits dans un master ?",
            ],
        ),
        (
            "could you tell me what the level is and whether a university would accept it?",
            ["could you tell me what the level is", "whether a university would accept it?"],
        ),
        (  # trial 145: who asks, before a joined question, is no question of its own
            "trabajo en una universidad y me piden resumir que datos obligatorios tiene una microcredencial, "
            "me los puedes listar?",
            ["me piden resumir que datos obligatorios tiene una microcredencial, me los puedes listar?"],
        ),
        (  # trial 144: the last question typed without its "?" after one with it
            "ciao, i corsi su eduopen sono gratis? che tipo di certificati rilasciano",
            ["ciao, i corsi su eduopen sono gratis?", "che tipo di certificati rilasciano"],
        ),
        (
            "are the courses free? is there a certificate at the end",
            ["are the courses free?", "is there a certificate at the end"],
        ),
        (  # trial 148: the question word among the first three words
            "Qu'est-ce que le Common Microcredential Framework ? c'est combien d'heures de travail",
            ["Qu'est-ce que le Common Microcredential Framework ?", "c'est combien d'heures de travail"],
        ),
        # the forty-eighth pass (trial 390): "is it" after a join in Spanish, French and Italian
        ("hola, que es miriadax y es gratis?", ["hola, que es miriadax", "y es gratis?"]),
        ("qu'est-ce que FUN et c'est gratuit ?", ["qu'est-ce que FUN", "et c'est gratuit ?"]),
        ("cos'è eduopen ed è gratis?", ["cos'è eduopen", "ed è gratis?"]),
    ],
)
def test_question_parts_in_five_languages(message: str, parts: list[str]) -> None:
    assert question_parts(message) == parts


@pytest.mark.parametrize(
    ("message", "contrast", "contrast_parts"),
    [
        (  # the join and the opener must be of one language: "and" + German "was" is no question
            "I did a MOOC and was wondering how it works?",
            "I did a MOOC and how does it work?",
            ["I did a MOOC", "how does it work?"],
        ),
        (  # a join before no opener
            "Ich habe einen Bachelor und möchte wissen, ob das reicht?",
            "Ich habe einen Bachelor und kann ich damit teilnehmen?",
            ["Ich habe einen Bachelor", "kann ich damit teilnehmen?"],
        ),
        (  # a part needs two words besides its join: "e quanto?" stays with its sentence
            "Una microcredenziale è riconosciuta e quanto?",
            "Una microcredenziale è riconosciuta e quanto costa?",
            ["Una microcredenziale è riconosciuta", "e quanto costa?"],
        ),
        (  # a statement between questions is no question part
            "I work in Vienna. I did a MOOC on iMooX. How many ECTS is it?",
            "Is iMooX a CMF partner? I did a MOOC on iMooX. How many ECTS is it?",
            ["Is iMooX a CMF partner?", "How many ECTS is it?"],
        ),
    ],
)
def test_what_is_not_a_second_question(message: str, contrast: str, contrast_parts: list[str]) -> None:
    """Each message asks one thing; the contrast, worded a little differently, asks two."""
    assert question_parts(message) == [message.rsplit(". ", 1)[-1]]
    assert question_parts(contrast) == contrast_parts


def test_a_closing_remark_after_a_question_is_no_question_part() -> None:
    assert question_parts("Is a FutureLearn microcredential free? And thanks a lot for your help!") == [
        "Is a FutureLearn microcredential free?"
    ]
    # a last sentence without "?" asks only when it opens with a question word or an opener of two
    # words: "if so" or "se" alone opens a condition, not a question
    assert question_parts("Is a FutureLearn microcredential free? if so that would be great") == [
        "Is a FutureLearn microcredential free?"
    ]
    assert question_parts("Is a FutureLearn microcredential free? se no pazienza lo stesso") == [
        "Is a FutureLearn microcredential free?"
    ]


@pytest.mark.parametrize(
    ("message", "parts"),
    [
        ("Merci ! Très utile.", []),  # no "?": the last sentence is asked, and it is too short
        ("Danke! Was ist das CMF? Und wer ist dabei?", ["Was ist das CMF?", "wer ist dabei?"]),
        ("gracias. ¿y eso?", []),
    ],
)
def test_short_sentences_are_no_question_parts(message: str, parts: list[str]) -> None:
    assert question_parts(message) == parts


def test_every_language_lists_question_openers() -> None:
    """The openers are language data (`course_request.question_openers`), for every language."""
    for lang in languages():
        openers = lang.course_request["question_openers"]
        assert openers and lang.course_request["clause_joins"], lang.code


# -- Engine.ask with the shipped knowledge ---------------------------------------------------------


TWO_QUESTIONS = [  # (language, message, its first answer, its second): in the order it asks them
    (
        "en",
        "What exactly is a micro-credential, and how many hours of study does one take?",
        "eu-definition",
        "cmf-study-hours",
    ),
    (
        "en",
        "what does it tell me about the candidate? and how do I check it's genuine?",
        "employers-check-credential",
        "credential-profile",
    ),
    ("fr", "Qu'est-ce que le CMF ? Et qui sont les partenaires ?", "cmf-what-is", "cmf-partners"),
    (
        "it",
        "Quante ore di studio richiede una microcredenziale e quanti crediti ECTS dà?",
        "cmf-study-hours",
        "cmf-credits",
    ),
    (
        "es",
        "¿Cuántas horas de estudio requiere una microcredencial y cuántos créditos ECTS da?",
        "cmf-study-hours",
        "cmf-credits",
    ),
    (
        "de",
        "Wie viele Stunden dauert eine Microcredential und wie viele ECTS-Punkte bekomme ich?",
        "cmf-study-hours",
        "cmf-credits",
    ),
    (  # trial 109: "me devuelven …" opens a yes/no question after "y"
        "es",
        "hola! quiero hacer una microcredencial, cuanto cuesta en futurelearn y me devuelven el dinero "
        "si no me gusta?",
        "partner-futurelearn-mc-prices",
        "partner-futurelearn-mc-refunds",
    ),
    (  # trial 126: "ça équivaut à …" opens a question after "et" (the level was dropped)
        "fr",
        "c est quoi le niveau eqf d une microcertification et ca equivaut a combien de credits",
        "cmf-level",
        "cmf-credits",
    ),
    (  # trial 187: a last question after a condition ("falls nicht, was …"); EADTU's alternative (the
        # course's level and hours asked of the CMF get the check first: 200 h is over, trial 246)
        "de",
        "wir planen eine microcredential mit 200 stunden workload auf eqf 6, passt das noch in den cmf "
        "rahmen? falls nicht, was waere bei der eadtu die alternative",
        "compliance-check",
        "slp-vs-cmf",
    ),
    (  # trial 193: "en que se diferencia …" opens a question after "y"; the difference is the comparison
        "es",
        "que es un programa de aprendizaje corto (SLP) de la EADTU y en que se diferencia de una "
        "microcredencial",
        "slp-what-is",
        "slp-vs-cmf",
    ),
    (  # trial 189: "que plataformas …" opens a question after "y" (the platforms were dropped)
        "es",
        "que es el marco comun de microcredenciales y que plataformas lo forman",
        "cmf-what-is",
        "cmf-partners",
    ),
]


@pytest.mark.parametrize(("lang", "message", "first", "second"), TWO_QUESTIONS)
def test_a_message_asking_two_things_gets_both_answers(
    bot_engine: Any, lang: str, message: str, first: str, second: str
) -> None:
    reply = bot_engine.ask(message)
    assert (reply.status, reply.lang, reply.intent) == ("answer", lang, first)
    also = reply.also
    assert also is not None
    assert (also.status, also.lang, also.intent) == ("answer", lang, second)
    assert also.also is None
    assert also.question in question_parts(message)
    data = reply.to_json()
    assert data["intent"] == first
    assert data["also"]["intent"] == second
    assert data["also"]["answer"] == also.answer


def test_a_later_part_read_with_the_platform_the_message_names_keeps_its_place(bot_engine: Any) -> None:
    """Trial 144: the whole message reads as EduOpen's certificates, which its second part asks with
    the EduOpen the first names; whether the courses are free, asked first, comes first."""
    message = "ciao, i corsi su eduopen sono gratis? che tipo di certificati rilasciano"
    reply = bot_engine.ask(message, log=False)
    assert reply.also is not None
    assert [reply.intent, reply.also.intent] == ["learners-is-it-free", "partner-eduopen-credits"]


def test_answers_come_in_the_order_the_message_asks_them(bot_engine: Any) -> None:
    """Trial 109: the whole message reads as its second question (the identity check); the first,
    whether a microcredential is worth a bachelor, was answered second."""
    message = (
        "moin, personalabteilung hier. ist ein microcredential so viel wert wie ein bachelor? und wird "
        "bei der pruefung die identitaet geprueft?"
    )
    reply = bot_engine.ask(message)
    assert reply.also is not None
    assert [reply.intent, reply.also.intent] == ["degree-equivalence", "cmf-id-verification"]
    assert reply.question == message
    assert reply.also.question == question_parts(message)[1]  # as typed, without umlauts


@pytest.mark.parametrize(
    ("message", "first", "second"),
    [
        # trial 113: a plain comparison of two levels got a "did you mean"
        ("c'est quoi la difference entre EQF 5 et EQF 6 en gros", "eqf-level-5", "eqf-level-6"),
        ("arbeitgeber hier: was sagt EQF 5 vs EQF 7 auf einem zertifikat aus?", "eqf-level-5", "eqf-level-7"),
        # trials 399, 402: how two levels differ got the table of degrees (6 = bachelor, 7 = master),
        # not what each level means
        ("Quelle est la différence entre le niveau 6 et le niveau 7 du CEC ?", "eqf-level-6", "eqf-level-7"),
        ("was ist der unterschied zwischen EQF stufe 6 und 7", "eqf-level-6", "eqf-level-7"),
        (
            "what's the difference between EQF level 7 and level 8 in plain words?",
            "eqf-level-7",
            "eqf-level-8",
        ),
    ],
)
def test_two_levels_compared_get_both_levels_answers(
    bot_engine: Any, message: str, first: str, second: str
) -> None:
    reply = bot_engine.ask(message)
    assert (reply.status, reply.intent) == ("answer", first)
    assert reply.also is not None and reply.also.intent == second
    assert reply.also.also is None


def test_one_level_named_gets_one_answer(bot_engine: Any) -> None:
    reply = bot_engine.ask("what does EQF 6 mean?")
    assert (reply.status, reply.intent, reply.also) == ("answer", "eqf-level-6", None)
    # which level a degree is keeps the degrees' table, and so does a difference asked with degrees
    assert bot_engine.ask("is a master's degree EQF level 7?").intent == "eqf-degree-mapping"
    degrees = bot_engine.ask("what's the difference between EQF 6 and EQF 7, bachelor vs master?")
    assert degrees.intent == "eqf-degree-mapping"


@pytest.mark.parametrize(
    ("message", "first", "platform"),
    [
        # trials 109, 111, 113: an employer asking about a named platform's credential got only the
        # general employer answer
        (
            "hallo, bewerberin hat ein microcredential von imoox im lebenslauf. was ist das wert?",
            "employers-hiring-value",
            "partner-imoox-microcredentials",
        ),
        (
            "hola, un candidato tiene una microcredencial de miriadax en el cv, eso tiene valor oficial?",
            "employers-hiring-value",
            "partner-miriadax",
        ),
        (
            "je suis recruteur, un candidat a un certificat fun mooc, ca vaut quoi?",
            "employers-certificate-types",
            "partner-fun-certificate",
        ),
    ],
)
def test_an_employer_asking_about_a_platforms_credential_gets_the_platforms_answer_second(
    bot_engine: Any, message: str, first: str, platform: str
) -> None:
    reply = bot_engine.ask(message)
    assert (reply.status, reply.intent) == ("answer", first)
    assert reply.also is not None and reply.also.intent == platform
    assert bot_engine.kb.intents[platform].leads_to.get("platform_credential") is True


@pytest.mark.parametrize(
    ("message", "first", "second"),
    [
        # trial 117: "und krieg ich da ein zertifikat" was no question, then when certificates arrive
        (
            "kosten die kurse auf imoox was? und krieg ich da ein zertifikat",
            "learners-is-it-free",
            "partner-imoox-microcredentials",
        ),
        (
            "sind die kurse auf imoox kostenlos? und krieg ich da ein zertifikat?",
            "learners-is-it-free",
            "partner-imoox-microcredentials",
        ),
        # trial 117: MiríadaX's own certificates, not every platform's
        (
            "hay algo de desarrollo web html javascript en miriadax? y dan certificado?",
            "course-search",
            "partner-miriadax",
        ),
    ],
)
def test_a_part_is_read_of_the_platform_the_message_names_when_that_platform_answers_it(
    bot_engine: Any, message: str, first: str, second: str
) -> None:
    reply = bot_engine.ask(message, log=False)
    assert (reply.status, reply.intent) == ("answer", first)
    assert reply.also is not None and reply.also.intent == second


@pytest.mark.parametrize(
    ("message", "intents"),
    [
        # trial 118: the card's CMF line answers "does it fit the CMF hours wise"; the credits
        # question after it was dropped
        (
            "hi all. im doing a bachelor in business in ireland and saw the DCU fintech microcredential. "
            "does it fit the CMF hours wise, and would my uni have to accept the credits?",
            ["credential-profile", "cmf-credit-recognition"],
        ),
        # trial 116: "… et est-ce que ca expire ?" ranked the expiry answer at 0.81 and got a menu (a
        # question naming none of our concepts needs 0.9); the expiry cue agrees with it
        (
            "salut, recruteuse ici. un badge micro-credential, comment je verifie que c'est bien la personne "
            "qui a passe l'examen ? et est-ce que ca expire ?",
            ["cmf-id-verification", "credential-expiry"],
        ),
        # trial 194: "… and is id verification one of them?" was no second question ("is" opens one only
        # after a join: `joined_openers`)
        (
            "what are the 11 mandatory elements of an eu microcredential and is id verification one of them?",
            ["eu-vs-cmf", "eu-mandatory-elements"],
        ),
        (
            "which platforms are in the european mooc consortium and is imoox one of them?",
            ["cmf-partners", "partner-imoox"],
        ),
        # trial 196: "tecnologia" was read as a typo of "ecologia", and the course on biodiversity listed
        (
            "su che tecnologia gira fun mooc e c'e un'api per leggere il loro catalogo corsi?",
            ["partner-fun", "partner-machine-readable-catalogues"],
        ),
        # trial 196: whether the EQF level must be on the transcript got the CMF's level card
        (
            "le niveau eqf doit il figurer sur le releve d'une microcredential cmf? et le nombre d'heures "
            "aussi?",
            ["cmf-transcript", "cmf-study-hours"],
        ),
        # trial 116: joining OpenupEd got the label alone
        (
            "wir sind eine FH und wollen bei openuped mitmachen. was sind die voraussetzungen und brauchen "
            "wir das quality label?",
            ["universities-join-openuped", "partner-openuped-quality-label"],
        ),
    ],
)
def test_each_question_the_trials_found_dropped_is_answered_in_order(
    bot_engine: Any, message: str, intents: list[str]
) -> None:
    assert [r.intent for r in _chain(bot_engine.ask(message, log=False))] == intents


def test_an_expiry_cue_does_not_answer_another_kind_of_expiry(bot_engine: Any) -> None:
    assert bot_engine.ask("does my gym membership expire?", log=False).status == "no_match"


def test_a_part_the_platform_does_not_answer_keeps_its_own_reading(bot_engine: Any) -> None:
    """EduOpen's overview says nothing of EQF levels: the level question keeps the CMF's level."""
    message = (
        "Buongiorno, sono referente della didattica in un ateneo aderente a EduOpen. Vorremmo trasformare "
        "un percorso EduOpen in una microcredenziale conforme al CMF: quante ore e quanti CFU servono, e a "
        "quale livello EQF va collocata?"
    )
    chain = _chain(bot_engine.ask(message, log=False))
    assert "cmf-level" in [r.intent for r in chain] and "partner-eduopen" not in [r.intent for r in chain]
    # trial 118: a definition asked surely alone stays the definition, first
    defined = bot_engine.ask(
        "hola! q es exactamente una microcredencial? es lo mismo q un certificado de miriadax?", log=False
    )
    assert [r.intent for r in _chain(defined)] == ["eu-definition", "partner-miriadax"]


PLATFORM_QUESTION = "hallo, bewerberin hat ein microcredential von imoox im lebenslauf. was ist das wert?"


def test_an_employer_asking_two_things_about_a_platforms_credential_gets_the_platforms_answer_last(
    bot_engine: Any,
) -> None:
    """Trial 121: "… von imoox … was sagt das aus? gab es da ueberhaupt eine pruefung?" got the two
    general answers and nothing on iMooX."""
    reply = bot_engine.ask(
        "hi, bewerberin hat ein microcredential von imoox im lebenslauf. was sagt das aus? gab es da "
        "ueberhaupt eine pruefung?",
        log=False,
    )
    chain = _chain(reply)
    assert [r.intent for r in chain][-1] == "partner-imoox-microcredentials" and len(chain) == 3
    assert chain[-1].heading_key == "reply.about_platform"
    # a course's card named on a platform's site gets the platform's certificate after it
    card = bot_engine.ask(
        "we're hiring data analysts, is 'Data Mining with Weka' from futurelearn a microcredential or just "
        "a short course",
        log=False,
    )
    assert [r.intent for r in _chain(card)] == ["credential-profile", "partner-futurelearn-product-types"]


def test_console_shows_a_platforms_answer_under_a_heading_of_its_own(
    shipped_db: str, bot_engine: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """Trial 115 took "Du hast auch gefragt: …" above the platform's answer for a question the
    asker never wrote: the platform's answer says what it is."""
    expected = bot_engine.ask(PLATFORM_QUESTION, log=False)
    assert expected.also is not None
    assert main(["ask", "--db", shipped_db, "--no-log", PLATFORM_QUESTION]) == 0
    out = capsys.readouterr().out
    assert f"Zur genannten Plattform: {expected.also.title}" in out
    assert "Du hast auch gefragt" not in out


async def test_discord_shows_a_platforms_answer_under_a_heading_of_its_own(
    fake_discord: Any, bot_engine: Any
) -> None:
    expected = bot_engine.ask(PLATFORM_QUESTION, "de", log=False)
    assert expected.also is not None
    async with started(fake_discord, bot_engine):
        handle = await fake_discord.slash("ask", {"question": PLATFORM_QUESTION}, locale="de")
        data = await message_response(handle)
    assert data["allowed_mentions"] == NO_PINGS
    titles = [e["title"] for e in data["embeds"]]
    assert titles == [expected.title, f"Zur genannten Plattform: {expected.also.title}"]


def test_a_learner_or_a_message_naming_no_platform_gets_no_platform_answer(bot_engine: Any) -> None:
    assert (
        bot_engine.ask("un candidato tiene una microcredencial en el cv, eso tiene valor oficial?").also
        is None
    )
    learner = bot_engine.ask(
        "hola q onda, q es exactamente una microcredencial?? la vi en miriadax y no entendi nada"
    )
    assert learner.also is None


def test_the_second_answer_leaves_the_main_reply_and_its_log_alone(bot_engine: Any) -> None:
    _, message, first, _ = TWO_QUESTIONS[0]
    reply = bot_engine.ask(message)
    alone = bot_engine.answer_intent(first, "en", message)
    assert reply.also is not None
    assert (reply.title, reply.answer, reply.links) == (alone.title, alone.answer, alone.links)
    row = bot_engine.db.execute("SELECT question, intent FROM questions ORDER BY id DESC LIMIT 1").fetchone()
    assert tuple(row) == (message, first)


@pytest.mark.parametrize(
    "message",
    [
        "How many ECTS do I get? and how many ECTS credits does a microcredential give?",
        "How many hours is a microcredential and how many hours does it take in total?",
    ],
)
def test_two_questions_on_the_same_topic_get_one_answer(bot_engine: Any, message: str) -> None:
    assert len(question_parts(message)) == 2
    reply = bot_engine.ask(message)
    assert reply.status == "answer"
    assert reply.also is None
    assert "also" not in reply.to_json()


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        # the second part read alone is the SLP's credits again, not the CMF's (trial 296)
        ("Was ist ein Short Learning Programme und wie viele ECTS hat das?", "slp-what-is"),
        # the hours of a year of study are in the ECTS answer (trial 218)
        ("wie viele ECTS hat ein volles Studienjahr und wie viele Stunden sind das?", "ects-what-is"),
        # read with FUN, the second part is FUN's certificates too; alone it was a weak guess, how a
        # university joins (trial 303)
        (
            "Nous voulons proposer un certificat payant sur FUN : quel est le prix minimum et quelle part "
            "revient à l'établissement ?",
            "partner-fun-certificate",
        ),
    ],
)
def test_a_part_read_first_as_the_reply_gets_no_other_answer(
    bot_engine: Any, message: str, intent: str
) -> None:
    """A part whose first reading is the reply's own answer is answered by it: no later reading of it
    (alone, after a reading with the subject) adds a further answer; nor does a weak reading alone of a
    part that, read with the one platform the message names, is the reply's own."""
    reply = bot_engine.ask(message)
    assert (reply.intent, reply.also) == (intent, None)


def test_two_intents_showing_one_entry_give_one_answer(bot_engine: Any) -> None:
    """A credential's profile asked of no course shows the employer's card; the employer's own intent,
    for another part, is that card again (trial 297: "the same card twice")."""
    reply = bot_engine.ask(
        "a candidate has a microcredential certificate, what does it actually prove? does it matter to me as "
        "an employer?"
    )
    assert reply.intent == "credential-profile"
    titles = [reply.title]
    also = reply.also
    while also is not None:
        titles.append(also.title)
        also = also.also
    assert len(titles) == len(set(titles)), titles


def test_a_part_that_lost_the_platform_gets_no_other_platforms_answer(bot_engine: Any) -> None:
    """Alone, "peut-on payer en plusieurs fois ?" is FutureLearn's instalments; the message is about FUN."""
    message = "Sur FUN, combien coûte une formation certifiante et peut-on payer en plusieurs fois ?"
    assert len(question_parts(message)) == 2
    reply = bot_engine.ask(message)
    assert (reply.status, reply.intent) == ("answer", "partner-fun-paid-training")
    assert reply.also is None


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        # trial 106: the platform where the asker saw the word is context, not the question
        (
            "hola q onda, q es exactamente una microcredencial?? la vi en miriadax y no entendi nada",
            "eu-definition",
        ),
        (
            "hallo, wir sind eine FH in österreich und überlegen microcredentials über imoox anzubieten. "
            "wie viele ECTS sind in österreich üblich?",
            "other-size-conventions",
        ),
        # trial 119: a press heading read weakly whole; its question, alone, is answered surely
        (
            "¿Qué son las microcredenciales? Los nuevos títulos para que los adultos vuelvan a la "
            "universidad",
            "eu-definition",
        ),
    ],
)
def test_a_question_is_answered_rather_than_the_platform_its_context_names(
    bot_engine: Any, message: str, intent: str
) -> None:
    reply = bot_engine.ask(message)
    assert (reply.status, reply.intent) == ("answer", intent)
    assert reply.also is None  # one question, one answer


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        # trial 202: how iMooX's microcredentials work, asked after naming them
        (
            "hallo, ich studiere in graz wirtschaftsinformatik und hab gesehen dass man mit imoox kursen "
            "microcredentials machen kann. wie läuft das genau ab, reicht es die videos anzuschauen oder "
            "muss ich eine prüfung machen damit die uni mir ects anrechnet?",
            "partner-imoox-microcredentials",
        ),
        (
            "ich studiere maschinenbau an der tu graz und hab einen imoox kurs abgeschlossen. bekomme ich "
            "dafür ects? ich hab nur eine teilnahmebestätigung bekommen",
            "partner-imoox-microcredentials",
        ),
    ],
)
def test_a_platforms_own_card_yields_only_to_a_question_answered_surely(
    bot_engine: Any, message: str, intent: str
) -> None:
    """A message read as a card of the platform it names (not the platform's overview) keeps it unless
    its question sentence, pointing back at it (`back_references`: "das", "dafür"), is answered surely
    alone: "wie läuft das genau ab, …?" asks of what the message names (it got how credit is
    recognised in general). A question naming what it asks ("wie viele ECTS sind in österreich
    üblich?", above) still takes the card's place."""
    reply = bot_engine.ask(message)
    assert (reply.status, reply.intent) == ("answer", intent), reply.answer


def test_a_weak_whole_reading_of_a_check_or_of_two_questions_is_kept(bot_engine: Any) -> None:
    """Only a text answer to a message asking one thing yields to its question sentence: a
    compliance check read from the figures before it stays a check."""
    check = bot_engine.ask(
        "notre DU fait 2 ECTS, 20h, niveau licence, evaluation par quiz non surveille. est-ce que ca rentre "
        "dans le cadre CMF ?",
        log=False,
    )
    assert check.kind == "compliance"
    # trial 118: "tengo q" opens a question, and a DNI is an identity document
    two = bot_engine.ask("hay examen al final? y tengo q mostrar mi dni o algo", log=False)
    assert [r.intent for r in _chain(two)] == ["cmf-assessment", "cmf-id-verification"]


def test_a_question_naming_the_platform_keeps_the_platforms_answer(bot_engine: Any) -> None:
    reply = bot_engine.ask("la vi en miriadax y no entendi nada. q es exactamente miriadax??")
    assert (reply.status, reply.intent) == ("answer", "partner-miriadax")
    # trial 113: a question naming nothing asks about what its context names (an EduOpen badge)
    badge = bot_engine.ask(
        "ciao, un candidato ha un badge di eduopen tramite bestr. cosa certifica di preciso?"
    )
    assert (badge.status, badge.intent) == ("answer", "partner-eduopen-credits")


CREDIT_ANY_PARTNER = "learners-credits-by-platform"
"""Which partners' courses give credit, iMooX's (microcredentials.at) among them."""


@pytest.mark.parametrize(
    ("message", "first", "second"),
    [
        (
            "Some colleagues told me about iMooX. I'm used to paid platforms so I was surprised. Are their "
            "courses really free and do any of them give credits?",
            "learners-is-it-free",
            "partner-imoox-microcredentials",
        ),
        (
            "Ich überlege, einen Microcredential bei FutureLearn zu buchen. Gibt es eine Ratenzahlung und "
            "kann ich zurücktreten, wenn es mir nicht gefällt?",
            "partner-futurelearn-mc-instalments",
            "partner-futurelearn-mc-refunds",
        ),
    ],
)
def test_a_part_asks_about_the_platform_the_message_names(
    bot_engine: Any, message: str, first: str, second: str
) -> None:
    """The second part names no platform ("do any of them give credits?"); the message does. Either
    part may be the one the whole message answers (the two are close), the other comes second. Which
    partners' courses give credit, iMooX's included, answers the iMooX part too (`CREDIT_ANY_PARTNER`:
    the message's ranks moved with the seventeenth pass's retraining)."""
    parts = question_parts(message)
    assert len(parts) == 2 and not bot_engine.concepts.concepts(parts[1]) & bot_engine.concepts.partners
    reply = bot_engine.ask(message)
    assert reply.status == "answer" and reply.also is not None and reply.also.status == "answer"
    also = reply.also.intent
    if second == "partner-imoox-microcredentials" and also == CREDIT_ANY_PARTNER:
        assert "iMooX" in reply.also.answer
        also = second
    assert (reply.intent, also) in ((first, second), (second, first))
    assert reply.also.question == parts[[first, second].index(also)]


@pytest.mark.parametrize(
    "message",
    [
        "How many ECTS credits does a microcredential give?",
        "I work in Vienna and did a MOOC on iMooX. How many ECTS credits does a microcredential give?",
        "Quanti crediti ECTS vale una microcredenziale?",
    ],
)
def test_a_single_question_never_gets_a_second_answer(bot_engine: Any, message: str) -> None:
    assert len(question_parts(message)) <= 1
    reply = bot_engine.ask(message)
    assert reply.status == "answer"
    assert reply.also is None
    assert "also" not in reply.to_json()


# -- the console ----------------------------------------------------------------------------------


def test_console_ask_prints_the_second_answer_under_its_heading(
    shipped_db: str, bot_engine: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    _, message, _, _ = TWO_QUESTIONS[3]
    expected = bot_engine.ask(message, log=False)
    assert expected.also is not None
    assert main(["ask", "--db", shipped_db, "--no-log", message]) == 0
    out = capsys.readouterr().out
    first, heading, rest = out.partition(f"\n\nHai chiesto anche: {expected.also.title}\n\n")
    assert heading, out
    assert first.startswith(f"**{expected.title}**")
    assert rest.startswith(expected.also.body()[:80])
    assert expected.also.links[0].url in rest


def test_console_ask_json_has_the_second_answer(shipped_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, message, first, second = TWO_QUESTIONS[2]
    assert main(["ask", "--db", shipped_db, "--no-log", "--json", message]) == 0
    (row,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert (row["intent"], row["also"]["intent"], row["also"]["lang"]) == (first, second, "fr")


def test_console_chat_prints_the_second_answer(
    shipped_db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _, message, _, _ = TWO_QUESTIONS[5]
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{message}\n/quit\n"))
    assert main(["chat", "--db", shipped_db, "--no-log"]) == 0
    out = capsys.readouterr().out
    assert out.count("Du hast auch gefragt: ") == 1


# -- Discord ----------------------------------------------------------------------------------------


def _within_limits(embeds: list[dict[str, Any]]) -> int:
    """The characters Discord counts in a message's embeds (asserting its limits)."""
    assert 1 <= len(embeds) <= render.EMBEDS_PER_MESSAGE
    total = 0
    for embed in embeds:
        assert len(embed.get("title", "")) <= render.TITLE_MAX
        assert len(embed.get("description", "")) <= render.DESCRIPTION_MAX
        total += len(embed.get("title", "")) + len(embed.get("description", ""))
        total += sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", []))
        total += len(embed.get("footer", {}).get("text", ""))
    assert total <= render.MESSAGE_TOTAL_MAX
    return total


async def test_ask_sends_the_second_answer_as_a_second_embed(fake_discord: Any, bot_engine: Any) -> None:
    _, message, first, second = TWO_QUESTIONS[1]
    expected = bot_engine.ask(message, log=False)
    assert expected.also is not None
    async with started(fake_discord, bot_engine):
        handle = await fake_discord.slash("ask", {"question": message})
        data = await message_response(handle)
    assert data["allowed_mentions"] == NO_PINGS
    embeds = data["embeds"]
    assert len(embeds) == 2
    _within_limits(embeds)
    assert embeds[0]["title"] == expected.title
    assert embeds[1]["title"] == f"You also asked: {expected.also.title}"
    assert expected.also.body()[:60] in embeds[1]["description"]
    qid = bot_engine.db.execute("SELECT max(id) FROM questions").fetchone()[0]
    assert f"cmf:fb:up:{qid}:en" in custom_ids(data)  # the buttons are about the main answer
    assert f"cmf:src:en:i.{first}" in custom_ids(data)
    assert f"i.{second}" not in " ".join(custom_ids(data))
    row = bot_engine.db.execute("SELECT intent FROM questions WHERE id = ?", [qid]).fetchone()
    assert row[0] == first


# -- rendering within Discord's limits --------------------------------------------------------------


def _text_reply(question: str, intent: str, title: str, body: str) -> Reply:
    return Reply(
        question=question,
        lang="en",
        status="answer",
        intent=intent,
        kind="text",
        title=title,
        answer=f"**{title}**\n\n{body}",
    )


def _reply(answer_chars: int, also_chars: int) -> Reply:
    body = "\n\n".join(["word " * 40] * (also_chars // 200 + 1))[:also_chars]
    also = _text_reply("and how long?", "b", "Second", body)
    return Reply(
        question="what and how long?",
        lang="en",
        status="answer",
        intent="a",
        kind="text",
        title="First",
        answer="**First**\n\n" + ("word " * (answer_chars // 5))[:answer_chars],
        also=also,
    )


def _labels(key: str) -> str:
    return {"reply.also_asked": "You also asked: {title}"}.get(key, "")


@pytest.mark.parametrize(("answer_chars", "also_chars"), [(500, 800), (3000, 4000), (3900, 3900)])
def test_the_second_embed_is_trimmed_to_the_room_the_message_has(answer_chars: int, also_chars: int) -> None:
    reply = _reply(answer_chars, also_chars)
    messages = render.reply_messages(reply, _labels, footer="asked by someone")
    assert len(messages) == 1
    for embeds in messages:
        assert len(embeds) <= render.EMBEDS_PER_MESSAGE
        assert sum(len(e) for e in embeds) <= render.MESSAGE_TOTAL_MAX
    *main_embeds, also = messages[0]
    assert also.title == "You also asked: Second"
    shown = "".join(e.description or "" for e in main_embeds)
    assert shown.count("word") == answer_chars // 5  # the first answer is never trimmed
    body = reply.also.body() if reply.also else ""
    if len(body) + sum(len(e) for e in main_embeds) + len(also.title) <= render.MESSAGE_TOTAL_MAX:
        assert also.description == body
    else:
        assert also.description.endswith(render.ELLIPSIS)
        assert body.startswith(also.description[:-1].rstrip())


def test_a_full_message_sends_the_second_answer_in_its_own() -> None:
    reply = _reply(5900, 1000)
    messages = render.reply_messages(reply, _labels)
    assert [e.title for e in messages[-1]] == ["You also asked: Second"]
    for embeds in messages:
        assert sum(len(e) for e in embeds) <= render.MESSAGE_TOTAL_MAX


def test_plain_text_replies_carry_the_second_answer() -> None:
    texts = render.reply_text(_reply(300, 300), _labels)
    joined = "\n\n".join(texts)
    assert "**You also asked: Second**" in joined
    assert all(len(t) <= render.CONTENT_MAX for t in texts)


@pytest.mark.parametrize(
    ("message", "second"),
    [
        (
            "We would like to book places for ten of our staff on a cyber security microcredential. "
            "Do you offer group bookings for companies?",
            "employer-bulk-purchase",
        ),
        (
            "Wir wollen zwölf Mitarbeitende in einem Microcredential-Kurs zur Cybersicherheit weiterbilden. "
            "Gibt es Sammelbuchungen für Firmen?",
            "employer-bulk-purchase",
        ),
    ],
)
def test_a_search_on_the_statement_leaves_room_for_the_question_beside_it(
    bot_engine: Any, message: str, second: str
) -> None:
    """The request is a statement and the one question asks something else: the search comes
    first, the question's answer second."""
    assert len(question_parts(message)) == 1
    reply = bot_engine.ask(message)
    assert reply.kind == "courses" and reply.items, message
    assert reply.also is not None and reply.also.intent == second


def test_a_question_naming_where_to_search_is_part_of_the_request(bot_engine: Any) -> None:
    message = "I'd like a course on Python programming in Italian. What is there on EduOpen?"
    reply = bot_engine.ask(message)
    assert reply.kind == "courses"
    assert reply.also is None


def test_a_course_request_takes_its_subject_from_the_sentence_before(bot_engine: Any) -> None:
    """Trial 79: the subject was in the sentence before the request ("Quiero que mis empleados
    mejoren hablando en público y haciendo presentaciones. ¿Hay algún curso en español que les
    sirva?"), and the request alone listed all 13 Spanish courses. A request naming no subject takes
    the catalogue subjects the sentences before it name (not those after it: "… para empresas?")."""
    message = (
        "Dirijo un equipo de atencion al cliente en Madrid. Quiero que mis 12 empleados mejoren hablando "
        "en publico y haciendo presentaciones. Hay algun curso en espanol que les sirva? Y hay precio "
        "especial para empresas?"
    )
    reply = bot_engine.ask(message)
    searches = [r for r in (reply, reply.also) if r is not None and r.kind == "courses"]
    assert len(searches) == 1
    assert [item.label for item in searches[0].items] == ["Presentaciones Eficaces"]
    assert "empresas" not in searches[0].title
    alone = bot_engine.ask("Hay algun curso en espanol que les sirva?")
    assert alone.kind == "courses" and len(alone.items) > 1


@pytest.mark.parametrize(
    ("message", "course"),
    [
        # trial 79: "have anything / courses in <subject>" asks for courses on a platform
        ("does futurelearn have anything in fintech?", "FinTech: Financial Innovation"),
        ("does futurelearn have courses in fintech?", "FinTech: Financial Innovation"),
        (
            "We're a mid-sized fintech in Dublin looking to upskill about 20 analysts. Does FutureLearn have "
            "anything credit-bearing in fintech? Also, do you offer bulk or corporate pricing?",
            "FinTech: Financial Innovation",
        ),
        # trial 79: "nachhaltiges Bauen" is the catalogue's building construction
        (
            "Wir sind ein Ingenieurbuero mit 15 Leuten. Wir wollen unsere Mitarbeiter beim nachhaltigen "
            "Bauen weiterbilden. Am besten kostenlos und auf Deutsch. Gibts da was Passendes?",
            "Lebenszyklusorientierter Hochbau",
        ),
        # trial 274: a further part asking for courses was left out (the whole message ranks the
        # search low); "related" describes the subject ("Maths for Humans: … Relations" matched it)
        (
            "I'm a nurse working full time and thinking about a microcredential on the side. roughly how "
            "many hours a week would that be? and are there any health or medicine related courses?",
            "Concepts et méthodes en épidémiologie",
        ),
        # trial 285: "do you have a microcredential for that?" asks for one on the subject before it
        (
            "we want to train our IT staff in cyber security with something that gives real university "
            "credit. do you have a microcredential for that?",
            "Cyber security (OU microcredential, code TZFM862)",
        ),
        # trial 295: "maths school" (the sentence after the request added "school") found two schools
        # of business
        (
            "is there a maths course, somthing basic? I failed maths in school lol",
            "Maths for Humans: Linear, Quadratic & Inverse Relations",
        ),
    ],
)
def test_a_course_request_inside_a_longer_message_finds_its_course(
    bot_engine: Any, message: str, course: str
) -> None:
    reply = bot_engine.ask(message)
    searches = [r for r in (reply, reply.also) if r is not None and r.kind == "courses"]
    assert searches and course in [item.label for item in searches[0].items]


def test_a_further_question_asking_what_is_no_course_request(bot_engine: Any) -> None:
    """A further part is answered by courses only when it asks for them with no question word:
    "What information does a micro-credential have to show under it?" read "information" as the
    catalogue's informatics and listed programming courses instead of the mandatory elements."""
    reply = bot_engine.ask(
        "The EU adopted a recommendation on micro-credentials a couple of years ago, right? What "
        "information does a micro-credential have to show under it?"
    )
    assert [r.kind for r in _chain(reply)].count("courses") == 0
    assert "eu-mandatory-elements" in [r.intent for r in _chain(reply)]


# -- three questions in one message -----------------------------------------------------------------

THREE = (  # a trial's wording
    "ok so 3 things: how much does a futurelearn microcredential cost, can i pay monthly, and can i get a "
    "refund if i hate it"
)
THREE_INTENTS = [
    "partner-futurelearn-mc-instalments",
    "partner-futurelearn-mc-prices",
    "partner-futurelearn-mc-refunds",
]


def _chain(reply: Any) -> list[Any]:
    replies = []
    while reply is not None:
        replies.append(reply)
        reply = reply.also
    return replies


def test_a_message_asking_three_things_gets_three_answers(bot_engine: Any) -> None:
    """Trials 95, 103: the third question of a message was dropped; each part gives at most one
    further answer, and never more answers than the message has parts."""
    reply = bot_engine.ask(THREE, log=False)
    assert sorted(r.intent for r in _chain(reply)) == sorted(THREE_INTENTS)
    assert reply.to_json()["also"]["also"]["intent"] == _chain(reply)[2].intent
    two = bot_engine.ask(
        "How long does a microcredential take? How many ECTS credits is it worth?", log=False
    )
    assert len(_chain(two)) == 2  # two questions: two answers, not a third reading of one


def test_a_third_answer_gets_its_own_heading_within_discords_limits() -> None:
    third = _text_reply("and a refund?", "c", "Third", "refunds")
    reply = _reply(800, 800)
    assert reply.also is not None
    reply.also.also = third
    messages = render.reply_messages(reply, _labels)
    titles = [e.title for embeds in messages for e in embeds]
    assert titles[-2:] == ["You also asked: Second", "You also asked: Third"]
    for embeds in messages:
        assert sum(len(e) for e in embeds) <= render.MESSAGE_TOTAL_MAX
    joined = "\n\n".join(render.reply_text(reply, _labels))
    assert joined.index("**You also asked: Second**") < joined.index("**You also asked: Third**")


def test_console_ask_prints_each_further_answer(
    shipped_db: str, bot_engine: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = _chain(bot_engine.ask(THREE, log=False))
    assert main(["ask", "--db", shipped_db, "--no-log", THREE]) == 0
    out = capsys.readouterr().out
    assert [f"You also asked: {r.title}" in out for r in expected[1:]] == [True, True]


async def test_ask_sends_three_answers_as_three_embeds(fake_discord: Any, bot_engine: Any) -> None:
    expected = _chain(bot_engine.ask(THREE, log=False))
    async with started(fake_discord, bot_engine):
        handle = await fake_discord.slash("ask", {"question": THREE})
        data = await message_response(handle)
    assert data["allowed_mentions"] == NO_PINGS
    embeds = data["embeds"]
    _within_limits(embeds)
    assert [e["title"] for e in embeds] == [
        expected[0].title,
        f"You also asked: {expected[1].title}",
        f"You also asked: {expected[2].title}",
    ]


def test_the_workload_of_a_stated_credit_opens_the_answer_once(bot_engine: Any) -> None:
    """Trial 128: "… 5 ects niveau eqr 6. wie viel arbeit steckt da drin?" got what EQF level 6 means
    and not the work 5 ECTS stand for; asked as two questions, the figure opens the ECTS answer only."""
    line = "**5 ECTS ≈ 125–150 Stunden**"
    reply = bot_engine.ask(
        "bin personaler. bewerberin hat microcredential mit 5 ects niveau eqr 6. "
        "wie viel arbeit steckt da drin?"
    )
    assert reply.answer.split("\n\n")[1].startswith(line)
    two = bot_engine.ask(
        "We're seeing applicants with credentials labelled 'EQF 6' and '5 ECTS'. Can you explain what EQF "
        "level 6 means in plain terms, and roughly how much work 5 ECTS represents?"
    )
    answers = [two, *([two.also] if two.also else [])]
    assert [a.intent for a in answers] == ["eqf-level-6", "ects-what-is"]
    assert [a.answer.count("**5 ECTS ≈ 125–150 hours**") for a in answers] == [0, 1]


def test_the_workload_asked_as_arbeitsaufwand_is_worked_out(bot_engine: Any) -> None:
    """Trial 137: "… ein Microcredential der TU Graz mit 6 ECTS. Wie viel Arbeitsaufwand steckt da
    drin …?" got the size conventions with no figure for the 6 ECTS stated."""
    reply = bot_engine.ask(
        "Ich bin Personalleiterin in einem Ingenieurbüro in Graz. Eine Bewerberin hat ein Microcredential "
        "der TU Graz mit 6 ECTS. Wie viel Arbeitsaufwand steckt da drin und ist das mit einem "
        "CMF-Microcredential vergleichbar?"
    )
    assert reply.answer.split("\n\n")[1].startswith("**6 ECTS ≈ 150–180 Stunden**")


def test_the_workload_asked_as_lernaufwand_is_worked_out(bot_engine: Any) -> None:
    """Trial 336: "… "4 ECTS Microcredential" im Lebenslauf, wie viel Lernaufwand ist das ungefähr?"
    got a menu: "Lernaufwand" asks for the hours as "Arbeitsaufwand" does (`workload_asked`)."""
    reply = bot_engine.ask(
        'eine Bewerberin hat eine "4 ECTS Microcredential" im Lebenslauf, wie viel Lernaufwand ist das '
        "ungefähr?"
    )
    assert reply.status == "answer", reply.answer
    assert reply.answer.split("\n\n")[1].startswith("**4 ECTS ≈ 100–120 Stunden**")


def test_a_compliance_check_asked_beside_another_topic_answers_that_topic_too(bot_engine: Any) -> None:
    """Trials 138, 140: "Wir planen … 12 ECTS, 300 Stunden … Passt das in den CMF oder ist das eher
    ein Short Learning Programme?" got the check alone; its question names SLPs, which the course's
    description does not, so the SLP answer follows. A check asked only about the CMF gets none."""
    reply = bot_engine.ask(
        "Wir planen an unserer FH ein Microcredential mit 12 ECTS, 300 Stunden, EQF 6 und Abschlussprüfung "
        "mit Ausweiskontrolle. Passt das in den CMF oder ist das eher ein Short Learning Programme?"
    )
    assert reply.kind == "compliance" and [a.intent for a in reply.further()] == ["slp-vs-cmf"]
    alone = bot_engine.ask("Unser Kurs hat 5 ECTS und 125 Stunden. Ist das CMF-konform?")
    assert alone.kind == "compliance" and alone.also is None


def test_what_a_platform_is_comes_before_how_its_label_works(bot_engine: Any) -> None:
    """Trial 162: "cos'e openuped e come funziona il marchio di qualita?" got only the quality label."""
    reply = bot_engine.ask("cos'e openuped e come funziona il marchio di qualita?")
    assert (reply.status, reply.intent) == ("answer", "partner-openuped")
    assert reply.also is not None and reply.also.intent == "partner-openuped-quality-label"


def test_a_platforms_courses_asked_after_what_it_is_are_its_own(bot_engine: Any) -> None:
    """Trial 169: "cos'e imoox e che tipo di corsi ci sono" listed the whole catalogue (68 courses of
    every platform) after iMooX's card; the second part asks for iMooX's courses."""
    reply = bot_engine.ask("cos'e imoox e che tipo di corsi ci sono")
    assert reply.intent == "partner-imoox"
    assert reply.also is not None and reply.also.kind == "courses"
    assert reply.also.items and all("iMooX" in item.text for item in reply.also.items)


def test_a_further_part_naming_nothing_of_a_course_gets_no_catalogue_listing(bot_engine: Any) -> None:
    """Trial 189: "Welche Grundsätze gelten für Microcredentials laut EU? gibt es eine liste" got the
    principles, then all 68 courses for "gibt es eine liste"; a part asking for courses of a subject
    still gets them."""
    reply = bot_engine.ask("Welche Grundsätze gelten für Microcredentials laut EU? gibt es eine liste")
    assert reply.intent == "eu-principles" and reply.also is None
    both = bot_engine.ask("what are the EU principles for microcredentials? and are there courses on python?")
    assert both.intent == "eu-principles"
    assert both.also is not None and both.also.kind == "courses" and both.also.items


def test_a_short_part_read_surely_with_the_messages_subject_is_answered(bot_engine: Any) -> None:
    """Trial 191: an employer's "… une micro-certification dite 'conforme au CMF'. Concrètement, ça
    représente combien d'heures de travail et à quel niveau ?" got the hours only: the whole message
    ranks the employers' cards, not the level, which "à quel niveau ?" read with the microcredential
    gets surely. A short part that names nothing ("is that right?") gets nothing so."""
    reply = bot_engine.ask(
        "Nous recrutons un chargé de projet. Une candidate a une micro-certification dite 'conforme au "
        "CMF'. Concrètement, ça représente combien d'heures de travail et à quel niveau ?"
    )
    assert [r.intent for r in [reply, *reply.further()]] == ["cmf-study-hours", "cmf-level"]
    vague = bot_engine.ask(
        "signed up for a microcredential on futurelearn, it started 5 days ago and honestly its not for "
        "me. my manager says i wont get anything back since its already running. is that right? how long "
        "do i have"
    )
    assert "partner-futurelearn" not in [r.intent for r in [vague, *vague.further()]]


def test_an_id_check_and_a_refund_asked_together_get_both(bot_engine: Any) -> None:
    """Trial 168: "are futurelearn microcredentials id verified? how do they do the check, and can a
    learner get money back …?" got prices and refunds only: "id verified" named no identity check."""
    reply = bot_engine.ask(
        "are futurelearn microcredentials id verified? how do they do the check, and can a learner get money "
        "back if they drop out after a few weeks?"
    )
    assert reply.intent == "cmf-id-verification" and "Sumsub" in reply.answer
    assert reply.also is not None and reply.also.intent == "partner-futurelearn-mc-refunds"


def test_a_question_the_next_sentence_says_it_meant_gets_no_answer_alone(bot_engine: Any) -> None:
    """Trial 172: "Est-ce que c'est obligatoire pour l'apprenant ? je parle du certificat payant sur
    fun, …" opened with the EU's optional elements (the first question read alone); "je parle du …"
    (`clarifiers`) says what it meant, and the message is answered as a whole."""
    reply = bot_engine.ask(
        "Est-ce que c'est obligatoire pour l'apprenant ? je parle du certificat payant sur fun, je peux "
        "juste suivre le mooc gratos ?"
    )
    chain = []
    while reply is not None:
        chain.append(reply.intent)
        reply = reply.also
    assert chain[0] == "partner-fun-certificate" and "eu-optional-elements" not in chain, chain


def test_a_search_answers_a_request_and_a_price_asked_after_it(bot_engine: Any) -> None:
    """Trial 171: "… un corso di psicologia cognitiva online, in italiano … esiste qualcosa nel
    catalogo? e quanto costa?" added the card on old listings after the course found: the search
    answers the request, and its course shows what its record says of the price."""
    reply = bot_engine.ask(
        "ciao, sto facendo la magistrale a bologna e vorrei fare un corso di psicologia cognitiva online, in "
        "italiano se possibile. esiste qualcosa nel catalogo? e quanto costa?"
    )
    assert reply.kind == "courses" and reply.items and reply.also is None
    assert "Prezzo" in reply.answer


def test_the_workload_of_the_credits_a_message_states_is_answered_beside_their_level(bot_engine: Any) -> None:
    """Trial 173: "… eine hat "eqf 7, 5 ects". ist das eher bachelor oder master niveau und wieviel
    arbeit steckt da drin?" got the level only; the workload part is read with the ECTS the message
    states (`_with_figure`): 5 ECTS ≈ 125–150 hours."""
    reply = bot_engine.ask(
        "wir sind ein maschinenbauunternehmen in stuttgart und kriegen bewerbungen mit microcredentials, "
        'eine hat "eqf 7, 5 ects". ist das eher bachelor oder master niveau und wieviel arbeit steckt da '
        "drin?"
    )
    chain = [reply, *reply.further()]
    assert chain[0].intent == "eqf-degree-mapping"
    assert any("**5 ECTS ≈ 125–150 Stunden**" in r.answer for r in chain[1:]), [r.intent for r in chain]


def test_a_platform_named_after_the_question_is_what_it_asks_about(bot_engine: Any) -> None:
    """Trial 180: "Est-ce que c'est gratuit ? le certificat je veux dire, ca coute combien sur fun"
    got the general "are courses free" card: the question sentence alone was preferred to the message,
    as when the platform is only its context; here the platform comes after, as what is asked."""
    reply = bot_engine.ask("Est-ce que c'est gratuit ? le certificat je veux dire, ca coute combien sur fun")
    assert reply.intent == "partner-fun-certificate"
    # a platform named after the question in a statement, asking nothing of it: the question answers
    reply = bot_engine.ask("hola, q es exactamente una microcredencial?? la vi en miriadax y no entendi nada")
    assert reply.intent == "eu-definition"


def test_a_two_word_question_after_a_join_gets_its_own_answer(bot_engine: Any) -> None:
    """ "Quanti crediti ECTS vale una microcredenziale e quanto costa?" asks two things; "e quanto
    costa?" had been kept with its sentence (a part needed three words) and the price went unanswered."""
    reply = bot_engine.ask("Quanti crediti ECTS vale una microcredenziale e quanto costa?")
    assert reply.intent == "cmf-credits"
    assert reply.also is not None and reply.also.question == "e quanto costa?"
    assert reply.also.intent != "cmf-credits"


def test_the_record_of_a_named_course_comes_before_the_answers_to_the_parts(bot_engine: Any) -> None:
    """Trial 204: a recruiter naming a candidate's FUN course ("'Principes des reseaux de donnees' de
    l'IMT") and asking its credits and how its exam went got FUN's certificate card and its proctored
    exams, not the course's record (2 ECTS, an individual supervised exam): a named course's record is
    no weak reading of the message. A request for courses still lists them first."""
    reply = bot_engine.ask(
        "Je recrute un analyste reseau. Une candidate a un certificat FUN 'Principes des reseaux de donnees' "
        "de l'IMT. Est ce que ca correspond a des credits, et comment l'examen s'est passe ?"
    )
    assert reply.kind == "credential" and "2 ECTS" in reply.answer, reply.answer
    assert reply.also is not None and reply.also.intent == "partner-fun-certificate"
    search = bot_engine.ask("y a t il un cours sur l'epidemiologie ? et ca donne combien d'ects")
    assert search.kind == "courses"


def test_hay_que_in_a_second_question_asks_for_no_courses(bot_engine: Any) -> None:
    """Trial 212: "… y que datos hay que meter en la propuesta" ("what data must go in the proposal")
    read "hay" ("is there") as a request for courses and listed courses on data; "hay que" is "one must"
    (`cue_idioms`). "¿hay algún curso de datos?" still asks for courses."""
    reply = bot_engine.ask(
        "cuanto tarda futurelearn en contestar a una propuesta de microcredencial? y que datos hay que meter "
        "en la propuesta",
        log=False,
    )
    chain = [reply, *reply.further()]
    assert reply.intent == "universities-futurelearn-proposal"
    assert all(r.kind != "courses" for r in chain), [r.intent for r in chain]
    assert bot_engine.ask("¿hay algún curso de datos?", log=False).kind == "courses"


def test_two_platforms_compared_get_both_overviews(bot_engine: Any) -> None:
    """Trial 219: "Unterschied zwischen iMooX und FutureLearn?" got the table of which platform teaches
    in which language, no comparison. A comparison in one sentence naming a language still gets that
    table; asked as a question of its own, both overviews and then the table (trial 245)."""
    reply = bot_engine.ask("Unterschied zwischen iMooX und FutureLearn?")
    assert reply.status == "answer" and reply.intent == "partner-imoox"
    assert reply.also is not None and reply.also.intent == "partner-futurelearn"
    assert reply.also.also is None
    one_sentence = bot_engine.ask(
        "diferencia entre MiríadaX y FutureLearn para alguien que solo habla español"
    )
    assert one_sentence.intent == "partner-platforms-by-language", one_sentence.intent
    by_language = bot_engine.ask(
        "que diferencia hay entre MiríadaX y FutureLearn? cual me conviene si solo hablo español"
    )
    chain = [r.intent for r in [by_language, *by_language.further()]]
    assert chain == ["partner-miriadax", "partner-futurelearn", "partner-platforms-by-language"], chain


def test_a_comparison_asked_first_of_two_questions_gets_both_overviews(bot_engine: Any) -> None:
    """Trial 241: "iMooX e FUN che differenze hanno? sono tutte e due nel CMF?" answered iMooX alone,
    then the CMF; "Unterschied zwischen iMooX und FutureLearn? Und was kostet ein Microcredential?" had
    only the price. The comparison's two overviews come first, then the other question's answer."""
    italian = bot_engine.ask("iMooX e FUN che differenze hanno? sono tutte e due nel CMF?")
    chain = [r.intent for r in [italian, *italian.further()]]
    assert chain[:2] == ["partner-imoox", "partner-fun"] and len(chain) == 3, chain
    german = bot_engine.ask("Unterschied zwischen iMooX und FutureLearn? Und was kostet ein Microcredential?")
    chain = [r.intent for r in [german, *german.further()]]
    assert chain == ["partner-imoox", "partner-futurelearn", "partner-futurelearn-mc-prices"], chain


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("tu peux comparer FUN et iMooX ?", ("partner-fun", "partner-imoox")),
        ("kannst du iMooX und FUN vergleichen?", ("partner-imoox", "partner-fun")),
        ("compare futurelearn and miriadax", ("partner-futurelearn", "partner-miriadax")),
    ],
)
def test_asked_to_compare_two_platforms_gets_both_overviews(
    bot_engine: Any, question: str, expected: tuple[str, str]
) -> None:
    """Trial 224: "tu peux comparer FUN et iMooX ?" got iMooX's overview alone: "compare" asks how
    they differ, as "difference" does (`difference_words`)."""
    reply = bot_engine.ask(question)
    assert (reply.intent, reply.also and reply.also.intent) == expected


def test_a_bare_fun_compared_with_another_platform_is_fun(bot_engine: Any) -> None:
    """Trial 228: "Quelle est la différence entre FUN et FutureLearn ?" got FutureLearn's overview alone:
    "FUN" alone is an English word and names no platform; beside another platform it is FUN."""
    reply = bot_engine.ask("Quelle est la différence entre FUN et FutureLearn ?")
    assert (reply.intent, reply.also and reply.also.intent) == ("partner-fun", "partner-futurelearn")
    italian = bot_engine.ask("differenza tra EduOpen e FUN?")
    assert (italian.intent, italian.also and italian.also.intent) == ("partner-eduopen", "partner-fun")


def test_a_bare_fun_compared_is_fun_whatever_the_matcher_first_read(bot_engine: Any) -> None:
    """Trial 233: "différence entre FUN et FutureLearn ?" got FutureLearn's product types (the matcher
    read "différence" and "FutureLearn" as ExpertTrack against microcredential); a comparison naming
    no topic but the two platforms gets both overviews. One naming a topic keeps its topic, and two
    platforms compared for credit get the table of credits by platform."""
    reply = bot_engine.ask("différence entre FUN et FutureLearn ?")
    assert (reply.intent, reply.also and reply.also.intent) == ("partner-fun", "partner-futurelearn")
    german = bot_engine.ask("differenz zwischen FUN und iMooX")
    assert (german.intent, german.also and german.also.intent) == ("partner-fun", "partner-imoox")
    credit = bot_engine.ask(
        "quelle différence entre iMooX et FutureLearn pour avoir des crédits universitaires ?"
    )
    assert credit.intent == "learners-credits-by-platform"


@pytest.mark.parametrize(
    "question",
    ["est-ce que FUN délivre des crédits ECTS ?", "does FUN give ECTS credits?", "FUN rilascia crediti?"],
)
def test_credits_a_bare_fun_gives_are_funs_certificate(bot_engine: Any, question: str) -> None:
    """Trial 233: "est-ce que FUN délivre des crédits ECTS ?" got what an ECTS credit is: "FUN" before a
    verb of giving names the platform (as "FUN exige" did), and ECTS asked of FUN is FUN's certificate."""
    assert bot_engine.ask(question).intent == "partner-fun-certificate"


def test_a_request_after_who_asks_is_a_question_of_its_own(bot_engine: Any) -> None:
    """Trial 239: "I'm a secondary school teacher - is there a microcredential about teaching online to
    adults, and how many credits would I get?" got the CMF's credits alone: the first part opens with
    who asks and has no question word, so it was read as an introduction; it asks for courses."""
    reply = bot_engine.ask(
        "I'm a secondary school teacher - is there a microcredential about teaching online to adults, and "
        "how many credits would I get?"
    )
    assert reply.kind == "courses" and reply.items
    assert reply.also is not None and reply.also.intent == "cmf-credits"


@pytest.mark.parametrize(
    ("message", "answers"),
    [
        # trial 282: "is it the same thing as a MOOC?" alone read "it" as a degree
        (
            "hi, what exactly is a microcredential? is it the same thing as a MOOC?",
            ["eu-definition", "learners-certificate-or-microcredential"],
        ),
        # trial 232: "bekomme ich dafür ects punkte?" read alone came first, before what a
        # microcredential is
        ("was ist ein microcredential und bekomme ich dafür ects punkte?", ["eu-definition", "cmf-credits"]),
        # trial 295: the part, read with the subject, is the whole message's weak reading; read alone
        # it was when a certificate arrives, which took the part's place
        (
            "what is a microcredential exactly? is it the same thing as the certificate you get after a "
            "mooc?",
            ["eu-definition", "learners-certificate-or-microcredential"],
        ),
    ],
)
def test_a_part_pointing_back_is_asked_of_the_subject_the_message_names(
    bot_engine: Any, message: str, answers: list[str]
) -> None:
    reply = bot_engine.ask(message)
    chain = [reply.intent, reply.also.intent if reply.also is not None else None]
    assert chain == answers, reply.answer
    # a message naming a platform may point back at the platform: its own card answers
    imoox = bot_engine.ask("ist iMooX Teil des CMF? und kostet das was?")
    assert imoox.also is not None and imoox.also.intent == "learners-is-it-free"


def test_a_question_pointing_at_the_platform_its_context_names_keeps_that_platforms_card(
    bot_engine: Any,
) -> None:
    """Trial 341: "Sono docente in un ateneo del sud, vorremmo aderire a OpenupEd. Quali requisiti
    servono per entrare?" read surely as how a university joins OpenupEd, got the learners' entry
    requirements: its question, asked alone, lost the platform the context names ("per entrare")."""
    reply = bot_engine.ask(
        "Sono docente in un ateneo del sud, vorremmo aderire a OpenupEd. Quali requisiti servono per entrare?"
    )
    assert (reply.status, reply.intent) == ("answer", "universities-join-openuped"), reply.answer
    # a question naming its own subject after a context naming a platform is still its own
    asked = bot_engine.ask("hola, q es exactamente una microcredencial?? la vi en miriadax y no entendi nada")
    assert asked.intent != "partner-miriadax"


def test_a_short_question_after_a_part_is_answered_after_the_parts_answer(bot_engine: Any) -> None:
    """Trial 373: "bonjour, c'est quoi FUN MOOC exactement ? c'est gratuit ?" was answered whether
    courses are free only: "c'est gratuit ?" is too short to count as a question part, the whole
    message reads as it, and what FUN is went unanswered. The part's answer comes first, as asked,
    then the reply (`_short_question_beside_a_part`); asked the other way round, the reply first."""
    reply = bot_engine.ask("bonjour, c'est quoi FUN MOOC exactement ? c'est gratuit ?")
    assert reply.intent == "partner-fun", reply.answer
    assert reply.also is not None and reply.also.intent == "learners-is-it-free"
    turned = bot_engine.ask("c'est gratuit ? c'est quoi FUN MOOC exactement ?")
    assert turned.intent == "learners-is-it-free"
    assert turned.also is not None and turned.also.intent == "partner-fun"


def test_whether_the_microcredential_is_mine_is_answered_before_recognition_abroad(bot_engine: Any) -> None:
    """Trial 373: "la microcredenziale è mia? posso condividerla e usarla in un altro paese europeo?"
    got recognition abroad only: the EU definition says the learner owns it (`learner-owns-it`),
    then recognition abroad answers the second question."""
    reply = bot_engine.ask(
        "la microcredenziale è mia? posso condividerla e usarla in un altro paese europeo?"
    )
    assert reply.intent == "eu-definition", reply.answer
    assert reply.also is not None and reply.also.intent == "recognition-abroad"


def test_what_a_platform_is_and_whether_it_is_free_in_one_sentence_gets_both(bot_engine: Any) -> None:
    """Trial 390: "hola, que es miriadax y es gratis?" got whether courses are free only: "y es" opens
    a second question after a join, as "and is" does in English ("what is miriadax and is it free?").
    Such an opener alone starts no question sentence: "es para mi trabajo" states."""
    reply = bot_engine.ask("hola, que es miriadax y es gratis?")
    assert reply.intent == "partner-miriadax", reply.answer
    assert reply.also is not None and reply.also.intent == "learners-is-it-free"
    assert question_parts("hay cursos de historia? es para mi trabajo") == ["hay cursos de historia?"]


def test_a_platform_named_before_what_it_is_is_a_question_of_its_own(bot_engine: Any) -> None:
    """Trial 411: "iMooX cos'è? i corsi sono a pagamento?" got whether courses are free only: "iMooX
    cos'è?" has two words as written, three as `normalize` splits them ("imoox cos e"), as the same
    question opening with its question word ("cos'è iMooX?") had."""
    assert question_parts("iMooX cos'è? i corsi sono a pagamento?") == [
        "iMooX cos'è?",
        "i corsi sono a pagamento?",
    ]
    reply = bot_engine.ask("iMooX cos'è? i corsi sono a pagamento?")
    assert reply.intent == "partner-imoox", reply.answer
    assert reply.also is not None and reply.also.intent == "learners-is-it-free"
