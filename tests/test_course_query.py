"""Reading course requests in the five languages into filters and topics."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.engine.course_query import CourseQuery, CourseQueryReader, parse_course_query
from bot.engine.search import CourseSearch, rebuild_index
from bot.engine.store import connect

VOCABULARY = {
    "vocabulary": {
        "course_words": {
            "en": ["course", "courses", "mooc", "moocs"],
            "fr": ["cours", "formation", "formations"],
            "es": ["curso", "cursos"],
            "it": ["corso", "corsi"],
            "de": ["kurs", "kurse"],
        },
        "languages": {
            "en": ["english", "anglais", "inglés", "inglese", "englisch"],
            "fr": ["french", "français", "francés", "francese", "französisch"],
            "es": ["spanish", "espagnol", "español", "spagnolo", "spanisch"],
            "it": ["italian", "italien", "italiano", "italienisch"],
            "de": ["german", "allemand", "alemán", "tedesco", "deutsch"],
        },
        "platforms": {
            "FutureLearn": ["futurelearn", "future learn"],
            "FUN": ["fun", "fun mooc", "france université numérique"],
            "MiríadaX": ["miriadax", "miríada x"],
            "iMooX": ["imoox"],
        },
        "types": {
            "microcredential": ["microcredential", "micro-credential", "microcredencial",
                                "microcertification"],
            "MOOC": ["mooc", "moocs"],
        },
        "topics": {
            "statistics": ["statistics", "statistiques", "estadística", "statistica", "statistik"],
            "data science": ["data science", "science des données", "ciencia de datos", "datenwissenschaft"],
            "cyber security": ["cyber security", "cybersecurity", "cybersécurité", "ciberseguridad",
                               "sicurezza informatica", "cybersicherheit"],
        },
    }
}  # fmt: skip


# Titles, platforms, languages and subjects from shared/data/catalogue-sample.yaml.
COURSES = [
    ("mx-estadistica", "Estadística para investigadores: Todo lo que siempre quiso saber", "MiríadaX", "MOOC",
     ["es"], ["statistics", "research methods", "data analysis"]),
    ("fun-python", "Python : des fondamentaux à l'utilisation du langage", "FUN MOOC", "MOOC", ["fr"],
     ["Python", "programming", "Jupyter notebooks"]),
    ("eduopen-python", "Introduzione alla programmazione con Python", "EduOpen", "MOOC", ["it"],
     ["Python", "programming", "computing"]),
    ("fun-epidemio", "Concepts et méthodes en épidémiologie", "FUN MOOC", "MOOC", ["fr", "en"],
     ["epidemiology", "public health", "statistics"]),
    ("fl-weka", "Data Mining with Weka", "FutureLearn", "short course", ["en"],
     ["data mining", "machine learning", "Weka", "data science"]),
]  # fmt: skip


def parse(text: str) -> CourseQuery | None:
    return parse_course_query(text, VOCABULARY)


def test_spanish_topic_expands_to_all_languages() -> None:
    query = parse("cursos de estadística")
    assert query is not None
    assert query.topics == ["estadistica"]
    assert "statistics" in query.groups[0] and "statistik" in query.groups[0]
    assert (query.language, query.platform, query.type) == (None, None, None)


def test_topic_in_a_language_without_a_course_word() -> None:
    query = parse("Python in French")
    assert query is not None
    assert (query.topics, query.language) == (["python"], "fr")


def test_english_type_and_topic() -> None:
    query = parse("is there a microcredential in cyber security?")
    assert query is not None
    assert query.type == "microcredential"
    assert query.topics == ["cyber security"]
    assert "ciberseguridad" in query.groups[0]


def test_french_topic_phrase_and_language() -> None:
    query = parse("des cours de data science en espagnol ?")
    assert query is not None
    assert (query.topics, query.language) == (["data science"], "es")


def test_german_type_topic_and_platform() -> None:
    query = parse("gibt es einen MOOC über Statistik auf iMooX")
    assert query is not None
    assert (query.type, query.platform, query.topics) == ("MOOC", "iMooX", ["statistik"])


def test_italian_request_with_platform_and_plural_type() -> None:
    query = parse("ci sono microcredentials di statistica su FutureLearn?")
    assert query is not None
    assert (query.type, query.platform, query.topics) == ("microcredential", "FutureLearn", ["statistica"])


def test_misspelt_topic_is_matched_to_the_vocabulary() -> None:
    query = parse("cursos de estadistca")
    assert query is not None
    assert "statistics" in query.groups[0]


def test_type_with_a_request_word_lists_that_type() -> None:
    query = parse("list all microcredentials")
    assert query is not None
    assert (query.type, query.topics) == ("microcredential", [])


def test_language_only_request_lists_courses_in_that_language() -> None:
    query = parse("des cours en italien ?")
    assert query is not None
    assert (query.topics, query.language) == ([], "it")


@pytest.mark.parametrize(
    "text",
    [
        "how many hours is a microcredential?",
        "what is a microcredential",
        "qu'est-ce que le CMF ?",
        "what is the CMF in French?",
        "hello",
        "",
        "cuántos créditos ECTS tiene una microcredencial",
        "wie viele Stunden hat ein Kurs?",
        "Do employers recognise microcredentials?",
        "microcredential vs MOOC",
    ],
)
def test_questions_that_are_not_course_requests(text: str) -> None:
    assert parse(text) is None


def test_parsed_request_drives_the_search(tmp_path: Path) -> None:
    db = connect(tmp_path / "kb.db")
    db.conn.executemany(
        "INSERT INTO courses (id, file, position, data, title, platform, type, languages) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                cid,
                "knowledge/catalogue/test.yaml",
                i,
                json.dumps({"subjects": subjects}),
                title,
                platform,
                type_,
                json.dumps(langs),
            )
            for i, (cid, title, platform, type_, langs, subjects) in enumerate(COURSES)
        ],
    )
    rebuild_index(db)
    search = CourseSearch(db)
    spanish = parse("cursos de estadística")
    assert spanish is not None
    assert set(search.search(**spanish.search_kwargs()).ids) == {"mx-estadistica", "fun-epidemio"}
    english = parse("data science courses")
    assert english is not None
    assert search.search(**english.search_kwargs()).ids == ["fl-weka"]
    french = parse("des cours de statistiques en français")
    assert french is not None
    assert search.search(**french.search_kwargs()).ids == ["fun-epidemio"]
    python_it = parse("Python in Italian")
    assert python_it is not None
    assert search.search(**python_it.search_kwargs()).ids == ["eduopen-python"]
    on_fun = parse("MOOC de Python sur FUN")
    assert on_fun is not None
    assert search.search(**on_fun.search_kwargs()).ids == ["fun-python"]
    # trial 60: two subjects joined by "y" / "or" ask for courses on either, not only on both
    either = parse("cursos de estadística y ciencia de datos")
    assert either is not None and either.topics == ["estadistica y ciencia de datos"]
    assert set(search.search(**either.search_kwargs()).ids) == {"mx-estadistica", "fun-epidemio", "fl-weka"}
    english_or = parse("courses on statistics or data science")
    assert english_or is not None and len(english_or.groups) == 1
    # words between the subjects other than "and" / "or" keep both required
    apart = parse("cursos de estadística de ciencia de datos")
    assert apart is not None and len(apart.groups) == 2


SHIPPED = Path(__file__).resolve().parents[1] / "knowledge" / "vocabulary.yaml"


@pytest.fixture(scope="module")
def shipped() -> Any:
    """The shipped vocabulary (knowledge/vocabulary.yaml) as the engine reads it."""
    return CourseQueryReader(yaml.safe_load(SHIPPED.read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("est-ce que je peux faire un microcredential en français", "fr"),
        ("posso fare una microcredenziale in italiano?", "it"),
        ("¿puedo hacer una microcredencial en español?", "es"),
        ("can I take a microcredential in German?", "de"),
        ("kann ich ein Microcredential auf Deutsch machen?", "de"),
    ],
)
def test_asking_whether_one_can_take_a_course_adds_no_topic(shipped: Any, text: str, language: str) -> None:
    """ "faire", "fare", "take"… are how people ask, not what about: a topic "faire" found nothing
    and the reply said "no course found for 'faire (microcredential, fr)'"."""
    query = shipped.read(text)
    assert query is not None
    assert (query.type, query.language, query.topics) == ("microcredential", language, [])


@pytest.mark.parametrize(
    ("text", "topics"),
    [
        # trial 321: "course data" searched courses on data science (the feed's answer ranked 0.87)
        ("how can we harvest imoox course data, is there a feed", ["harvest", "feed"]),
        ("¿cómo obtengo los datos de los cursos de MiríadaX?", ["obtengo"]),
        # data as the subject of courses
        ("any courses on data?", ["data"]),
        ("data courses in spanish", ["data"]),
        ("cursos de datos", ["datos"]),
    ],
)
def test_data_about_courses_is_no_subject_of_courses(shipped: Any, text: str, topics: list[str]) -> None:
    query = shipped.read(text, require_request=False)
    assert query is not None and query.topics == topics


@pytest.mark.parametrize(
    "text",
    [
        "where do I find microcredentials?",
        "¿dónde encuentro microcredenciales?",
        "dove trovo le microcredenziali?",
        "wo finde ich Microcredentials?",
    ],
)
def test_asking_where_to_find_them_adds_no_topic(shipped: Any, text: str) -> None:
    """ "where do I find microcredentials?" said "No course found for 'where (microcredential)'":
    "where", "dónde", "dove", "wo" are question words, "find" and its kin how people ask. (Read as
    the matcher's course search reads a question it routed there, without a request word.)"""
    query = shipped.read(text, require_request=False)
    assert query is not None
    assert (query.type, query.topics) == ("microcredential", [])


@pytest.mark.parametrize(
    ("text", "languages"),
    [
        ("un corso di algebra lineare in italiano o inglese", ("it", "en")),
        ("ci sono corsi gratuiti su imoox in italiano o in inglese?", ("it", "en")),
        ("suchen weiterbildung zu hochbau, deutsch oder englisch egal", ("de", "en")),
        # a language named elsewhere in the message is no alternative
        ("i speak spanish. any data science courses in english?", "es"),
        ("python courses in french", "fr"),
    ],
)
def test_languages_joined_by_or_are_alternatives(shipped: Any, text: str, languages: Any) -> None:
    """Trials 60-72: "in italiano o inglese" searched Italian courses only."""
    query = shipped.read(text)
    assert query is not None
    assert query.search_kwargs()["language"] == languages


@pytest.mark.parametrize(
    ("text", "subjects"),
    [
        ("cursos de matemáticas y estadística", ("mathematics", "statistics")),
        # trial 89: an article after the "or"; the two subjects were read as one course's description
        ("des cours sur la cryptographie ou les maths gratuits?", ("cryptography", "mathematics")),
        ("corsi di python o di statistica?", ("python", "statistics")),
        # trial 302: a word describing the first subject before the "or" ("basicas")
        ("cursos de matematicas basicas o probabilidad en miriadax", ("mathematics", "probability")),
    ],
)
def test_two_subjects_joined_by_or_are_one_group_of_alternatives(
    shipped: Any, text: str, subjects: tuple[str, str]
) -> None:
    query = shipped.read(text)
    assert query is not None and len(query.groups) == 1
    assert set(subjects) <= set(query.groups[0])


def test_when_and_how_courses_are_offered_is_no_subject(shipped: Any) -> None:
    """Trial 94: "Quels MOOC en français proposés sur FUN peut-on suivre en ce moment ?" searched for
    "moment" and found nothing; it asks for FUN's MOOCs in French."""
    query = shipped.read("Quels MOOC en français proposés sur FUN peut-on suivre en ce moment ?")
    assert query is not None
    assert (query.topics, query.language, query.platform) == ([], "fr", "FUN")


def test_gibts_is_how_people_ask_not_a_topic(shipped: Any) -> None:
    """ "gibts kurse zu nachhaltigkeit" searched for "nachhaltigkeit gibts" and fell back to a
    French course; "gibts" ("gibt es") is a request word like "gibt"."""
    query = shipped.read("gibts kurse zu nachhaltigkeit auf deutsch")
    assert query is not None
    assert (query.language, query.topics) == ("de", ["nachhaltigkeit"])


def test_ubers_marks_the_topic_like_uber(shipped: Any) -> None:
    """Trial 302: "ich suche einen deutschsprachigen kurs übers onlien lernen" searched for "übers" too
    (and said no course mentions it); "übers" ("über das") marks the topic."""
    query = shipped.read("ich suche einen deutschsprachigen kurs übers online lernen")
    assert query is not None
    assert "ubers" not in " ".join(query.topics)


@pytest.mark.parametrize(
    "text",
    [
        # questions about a platform, not requests for its courses
        "what is futurelearn",
        "does futurelearn require id verification?",
        "hey, so what exactly is FutureLearn? is it a uni?",
        "qu'est-ce que FUN MOOC ?",
        "est-ce que FutureLearn demande une pièce d'identité ?",
        "¿qué es MiríadaX?",
        "¿MiríadaX pide verificar la identidad?",
        "cos'è EduOpen?",
        "EduOpen richiede un documento d'identità?",
        "was ist iMooX?",
        "verlangt iMooX einen Ausweis?",
        # programming questions
        "how do I write a for loop in python",
        "comment faire une boucle for en python",
        "cómo hago un bucle for en python",
        "come si scrive un ciclo for in python",
        "wie schreibe ich eine for-schleife in python",
    ],
)
def test_platform_and_programming_questions_are_not_course_requests(shipped: Any, text: str) -> None:
    assert shipped.read(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cursos de estadística", {"topics": ["estadistica"]}),
        ("Python in French", {"topics": ["python"], "language": "fr"}),
        ("is there a microcredential in cyber security?", {"type": "microcredential"}),
        ("des cours de data science en espagnol ?", {"topics": ["data science"], "language": "es"}),
        ("gibt es einen MOOC über Statistik auf iMooX", {"type": "MOOC", "platform": "iMooX"}),
        ("python on futurelearn", {"topics": ["python"], "platform": "FutureLearn"}),
        ("MOOC de Python sur FUN", {"platform": "FUN", "type": "MOOC"}),
        ("corsi di statistica su EduOpen", {"platform": "EduOpen"}),
        ("¿qué cursos de python hay en MiríadaX?", {"platform": "MiríadaX", "topics": ["python"]}),
        # trials 62, 63: "recomiendan" and "habt ihr" ask for courses; "básico" describes one
        ("quiero reforzar mates, algo basico y gratis. que me recomiendan?", {"topics": ["mates"]}),
        ("ich will was zu Gebäudetechnik lernen. Habt ihr da was?", {"topics": ["gebaudetechnik"]}),
        # trial 66: a country says where, it is no subject ("Netherlands" searched "Introduction to Dutch")
        ("any microcredential I can take in the Netherlands?", {"topics": [], "type": "microcredential"}),
        # trial 77: umlauts typed as "ue", "ae" ("informatik fuer anfaenger")
        ("informatik fuer anfaenger, gibts da was?", {"topics": ["informatik"]}),
        # trial 73: "fürs" and "am besten" searched "programmieren fürs besten"
        (
            "kurs fürs programmieren lernen auf deutsch, anfänger, am besten gratis?",
            {"topics": ["programmieren"]},
        ),
    ],
)
def test_course_requests_with_the_shipped_vocabulary(
    shipped: Any, text: str, expected: dict[str, Any]
) -> None:
    query = shipped.read(text)
    assert query is not None
    for name, value in expected.items():
        assert getattr(query, name) == value


def test_a_text_known_to_be_a_course_search_is_read_without_a_request_word(shipped: Any) -> None:
    assert shipped.read("Fisica quantistica e archeologia") is None
    query = shipped.read("Fisica quantistica e archeologia", require_request=False)
    assert query is not None and query.text == "fisica quantistica archeologia"


@pytest.mark.parametrize(
    ("text", "institution", "topics"),
    [
        ("courses from the University of Glasgow", "glasgow", []),
        ("cours de l'Université Paris Diderot", "paris diderot", []),
        ("cursos de la Universidad de Málaga", "malaga", []),
        ("corsi dell'Università UNINETTUNO", "uninettuno", []),
        ("Kurse der Universität Graz", "graz", []),
        ("python courses from the Open University", "open", ["python"]),
        ("cursos de la Universidad Nacional de Educación a Distancia", "nacional educacion distancia", []),
    ],
)
def test_an_institution_named_in_a_course_request_is_read_not_a_topic(
    shipped: Any, text: str, institution: str, topics: list[str]
) -> None:
    query = shipped.read(text)
    assert query is not None and query.institution is not None and query.topics == topics
    assert query.institution.words == institution


def test_a_university_word_without_a_name_is_no_institution(shipped: Any) -> None:
    query = shipped.read("python courses at a university")
    assert query is not None and query.institution is None
    assert shipped.read("how can the University of Leeds join the CMF") is None


@pytest.mark.parametrize(
    ("mooc", "course"),
    [
        ("MOOC sur l'intelligence artificielle", "cours d'intelligence artificielle"),
        ("MOOC sobre inteligencia artificial", "cursos de inteligencia artificial"),
        ("MOOC su intelligenza artificiale", "corsi di intelligenza artificiale"),
        ("MOOC über künstliche Intelligenz", "Kurse über künstliche Intelligenz"),
    ],
)
def test_mooc_as_the_course_word_reads_like_course(shipped: Any, mooc: str, course: str) -> None:
    by_mooc, by_course = shipped.read(mooc), shipped.read(course)
    assert by_mooc is not None and by_course is not None
    assert by_mooc.topics == by_course.topics and by_mooc.topics
    assert by_mooc.type == "MOOC"


def test_a_misspelt_word_gets_the_closest_topic_of_the_whole_vocabulary(shipped: Any) -> None:
    """The reader compares a word only with the topic forms of a length that can be similar enough;
    what it reads must be what a comparison with every form gives (the first best form, at least
    `_TOPIC_MIN_SIMILARITY` similar, `_TOPIC_MIN_SIMILARITY_OTHER_INITIAL` with another first
    letter), for typos of every form and for unrelated words."""
    from rapidfuzz import fuzz, process

    from bot.engine.course_query import _TOPIC_MIN_SIMILARITY, _TOPIC_MIN_SIMILARITY_OTHER_INITIAL

    forms = shipped.topic_forms
    words = {"mindfulnes", "programacion", "statistcs", "wikipedia", "groningen", "xylophones", "tecnologia"}
    for form in forms[::7]:
        if " " not in form and len(form) >= 6:
            words |= {form[:-1], form[1:], form[:2] + form[3:], form + "s", form + "ing"}
    read = 0
    for word in sorted(words):
        close = process.extract(word, forms, scorer=fuzz.ratio, score_cutoff=_TOPIC_MIN_SIMILARITY, limit=3)
        best = next(
            (f for f, score, _ in close if f[0] == word[0] or score >= _TOPIC_MIN_SIMILARITY_OTHER_INITIAL),
            None,
        )
        expected = shipped.synonyms[shipped.topic_of[best]] if best else [word]
        query = shipped.read(word, require_request=False)
        got = query.groups[0] if query is not None and query.topics == [word] else None
        if got is not None:
            assert got == expected, word
            read += 1
    assert read > 50
    # trial 196: "tecnologia" is 89 % like "ecologia", but a typo seldom changes the first letter
    assert shipped.read("tecnologia", require_request=False).groups == [["tecnologia"]]


def test_close_topics_are_kept_per_reader_and_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """A word compared with the vocabulary once is not compared again (same topic); at most
    `CLOSE_TOPICS_KEPT` words are kept, the oldest dropped first."""
    from bot.engine import course_query

    monkeypatch.setattr(course_query, "CLOSE_TOPICS_KEPT", 2)
    reader = CourseQueryReader(yaml.safe_load(SHIPPED.read_text(encoding="utf-8")))
    calls: list[str] = []
    extract = course_query.process.extract

    def counted(word: str, *args: Any, **kwargs: Any) -> Any:
        calls.append(word)
        return extract(word, *args, **kwargs)

    monkeypatch.setattr(course_query.process, "extract", counted)
    first = reader.read("statistcs", require_request=False)
    again = reader.read("statistcs", require_request=False)
    assert first is not None and again is not None and first.groups == again.groups
    assert "statistics" in first.groups[0] and calls == ["statistcs"]
    reader.read("pyhton", require_request=False)
    reader.read("mindfulnes", require_request=False)  # a third word: "statistcs" is dropped
    reader.read("statistcs", require_request=False)
    assert calls == ["statistcs", "pyhton", "mindfulnes", "statistcs"]


def test_phrases_are_looked_up_only_from_words_that_start_one(shipped: Any) -> None:
    """A reader tries the phrases starting at a word only up to the longest phrase that word starts;
    trying every length up to the vocabulary's longest phrase everywhere reads the same queries."""
    from test_search_shortcuts import _texts

    class Everywhere(dict[str, int]):
        def get(self, key: str, default: Any = None) -> int:  # type: ignore[override]
            return int(reader.longest)

    data = Path(__file__).resolve().parent / "data" / "questions.yaml"
    texts = [str(row["q"]) for row in yaml.safe_load(data.read_text(encoding="utf-8"))["questions"]]
    texts += _texts(4, 100)
    reader = CourseQueryReader(yaml.safe_load(SHIPPED.read_text(encoding="utf-8")))
    fast = [reader.read(text, require_request=False) for text in texts]
    reader.longest_from = Everywhere()
    slow = [reader.read(text, require_request=False) for text in texts]
    assert fast == slow
    assert sum(1 for q in fast if q is not None and (q.topics or q.platform or q.language)) > 200
