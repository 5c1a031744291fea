"""The layout of a chatty message asking for courses: sentences, clauses, self-introductions, credit
descriptions and follow-ups (the word lists are `course_request` in `knowledge/languages.json`)."""

from __future__ import annotations

from bot.engine.normalize import normalize
from bot.engine.request_layout import (
    Layout,
    asks_in_general,
    credit_description,
    describes_credit,
    has_request_cue,
    lay_out,
    refers_to_one_course,
    self_introductions,
    speaks_of_own_course,
)


def _words(text: str) -> list[str]:
    return normalize(text).split()


def test_sentences_and_clauses_are_numbered_per_word() -> None:
    text = "Hi all, I'm from Spain. Any course on node.js?"
    layout = lay_out(text, _words(text))
    # hi all | i m from spain . | any course on node js ?  ("node.js" stays one piece of a clause)
    assert layout.sentence_of == [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
    assert layout.clause_of == [0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2]


def test_words_that_are_not_the_texts_make_one_sentence_and_one_clause() -> None:
    layout = lay_out("One. Two, three.", ["uno", "dos"])
    assert (layout.sentence_of, layout.clause_of) == ([0, 0], [0, 0])


def _introduction(text: str) -> list[str]:
    words = _words(text)
    layout = lay_out(text, words)
    return [
        words[k] for k in sorted(self_introductions(words, layout.clause_of, lambda j: words[j] == "mooc"))
    ]


def test_a_self_introduction_runs_from_its_phrase_to_a_join_word_after_greetings() -> None:
    assert _introduction("Buongiorno, sono HR manager e vorremmo corsi") == ["sono", "hr", "manager"]
    assert _introduction("Buongiorno sono HR manager e vorremmo corsi") == ["sono", "hr", "manager"]
    assert _introduction("Hi all, I'm from Spain. Any course on node.js?") == ["i", "m", "from", "spain"]


def test_a_self_introduction_ends_where_a_phrase_asks_for_courses() -> None:
    assert _introduction("I am a teacher MOOC statistics") == ["i", "am", "a", "teacher"]


def test_a_course_word_in_a_job_title_after_a_connector_stays_in_the_self_introduction() -> None:
    # "soy responsable de formación": a job title, not a request for training
    assert _introduction("Soy responsable de MOOC en una consultora") == [
        "soy", "responsable", "de", "mooc", "en", "una", "consultora"
    ]  # fmt: skip
    assert _introduction("I am head of MOOC design") == ["i", "am", "head", "of", "mooc", "design"]
    # without a connector before it, a course word still ends the introduction
    assert _introduction("I am head MOOC design") == ["i", "am", "head"]


def test_an_introduction_phrase_inside_a_clause_is_no_self_introduction() -> None:
    assert _introduction("ci sono corsi di statistica") == []


def _marks(words: list[str], course: str) -> list[str]:
    return ["course" if w == course else "" for w in words]


def _lay(words: list[str]) -> Layout:
    """The layout of a message without punctuation: one sentence, one clause."""
    return lay_out(" ".join(words), words)


def test_a_general_word_makes_a_general_question_unless_it_describes_the_credit_wanted() -> None:
    general = _words("how many hours is a course")
    assert asks_in_general(general, _marks(general, "course"), _lay(general))
    wanted = _words("quali corsi che diano crediti")
    assert not asks_in_general(wanted, _marks(wanted, "corsi"), _lay(wanted))
    before_course = _words("quanti crediti che diano corsi")  # the credit word comes before the course word
    assert asks_in_general(before_course, _marks(before_course, "corsi"), _lay(before_course))


def test_a_short_follow_up_sentence_is_not_a_general_question() -> None:
    text = "I need a course in Spanish on project management. Which level?"
    words = _words(text)
    assert not asks_in_general(words, _marks(words, "course"), lay_out(text, words))
    no_punctuation = _words("I need a course in Spanish on project management which level")
    assert not asks_in_general(no_punctuation, _marks(no_punctuation, "course"), _lay(no_punctuation))
    one_sentence = _words("which level is a course in Spanish on project management")
    assert asks_in_general(one_sentence, _marks(one_sentence, "course"), _lay(one_sentence))


def test_a_general_word_in_a_statement_around_the_question_is_not_a_general_question() -> None:
    text = "Ich habe etwa zwei Stunden pro Woche. Gibt es einen Kurs zu Statistik?"
    words = _words(text)
    layout = lay_out(text, words)
    assert layout.asking == {1}
    assert not asks_in_general(words, _marks(words, "kurs"), layout)
    asked = "Ich suche einen Kurs. Wie viele Stunden hat ein Microcredential?"  # the question is general
    words = _words(asked)
    assert asks_in_general(words, _marks(words, "kurs"), lay_out(asked, words))
    spanish = "Trabajo mucho. ¿Cuántas horas tiene un curso"  # "¿" opens the asking sentence
    layout = lay_out(spanish, _words(spanish))
    assert layout.asking == {layout.sentence_of[-1]} and layout.sentence_of[0] not in layout.asking
    # a question that asks for no course: the statement's general word still counts
    about = "A candidate lists a CMF microcredential. What does that certify?"
    words = _words(about)
    assert asks_in_general(words, _marks(words, "microcredential"), lay_out(about, words))


def test_credit_words_and_the_words_describing_them_find_each_other_within_three_words() -> None:
    words = _words("corsi che diano crediti")
    assert describes_credit(words, words.index("crediti"))
    assert credit_description(words, words.index("diano"))
    assert not credit_description(words, words.index("corsi"))
    far = _words("diano corsi online in italiano crediti")
    assert not describes_credit(far, far.index("crediti"))
    assert not credit_description(far, far.index("diano"))


def test_a_request_cue_word_asks_for_a_list() -> None:
    assert has_request_cue(_words("list the microcredentials"))
    assert not has_request_cue(_words("what is a microcredential"))


def test_a_cue_word_in_an_idiom_at_the_end_of_a_clause_asks_for_nothing() -> None:
    """Trial 91: "is the fintech one from dcu any good, how many hours is it" read "any" as a request
    for courses, so the course it describes was searched for rather than shown."""
    assert not has_request_cue(_words("is the fintech one from dcu any good, how many hours is it"))
    assert not has_request_cue(_words("is it any good?"))
    assert has_request_cue(_words("any good courses on python?"))
    assert has_request_cue(_words("are there any good ones in spanish"))


def test_a_request_cue_of_several_words_is_read_whole() -> None:
    assert has_request_cue(_words("Il y a un mooc sur les réseaux de données ?"))
    assert has_request_cue(_words("y a-t-il des cours de statistique ?"))
    assert not has_request_cue(_words("horas y créditos de una microcredencial"))  # Spanish "y": and


def test_a_singular_determiner_before_a_course_word_points_at_one_course() -> None:
    """Trials 93, 95: "el curso de microeconomia de miriadax" is one course; "un mooc", "courses" are not."""
    assert refers_to_one_course(_words("cuanto dura el curso de microeconomia de miriadax"))
    assert refers_to_one_course(_words("is the python course on futurelearn free"))
    assert refers_to_one_course(_words("quel corso di matematica di base"))
    assert refers_to_one_course(_words("wie lange dauert der python kurs"))
    assert not refers_to_one_course(_words("un mooc gratuit sur fun"))
    assert not refers_to_one_course(_words("the courses on python"))
    assert not refers_to_one_course(_words("is there a course on python"))


def test_a_possessive_before_a_course_word_speaks_of_ones_own_course() -> None:
    assert speaks_of_own_course(_words("mein kurs hat 5 ects und 120h"))
    assert speaks_of_own_course(_words("mi curso son 6 semanas"))
    assert speaks_of_own_course(_words("il mio corso dura 4 settimane"))
    assert not speaks_of_own_course(_words("ein kurs hat 5 ects"))
    assert not speaks_of_own_course(_words("my courses on futurelearn"))
    assert not speaks_of_own_course(_words("my one concern: is 3 ects enough for a microcredential?"))
