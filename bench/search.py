"""Course search benchmark: generated catalogues of 1k, 10k and 100k records.

    python -m bench.search [--sizes 1000,10000,100000] [--queries 500] [--baseline-queries 100]

For each size: build the index (time, peak RSS), then ask two kinds of questions generated from
records picked at random: the record's title with 1-2 character edits ("misspelt title"), and 2-3 of
the record's rarest words in random order ("keywords"). Reports how often the record comes first and
the latency per query (p50/p99 wall-clock, and p99 of the thread's CPU time, which other processes
on a shared machine do not inflate), beside a baseline measured in the same run: rapidfuzz
`process.extractOne(query, titles, scorer=fuzz.WRatio, processor=utils.default_process)`. The load
average (1 min) before and after the queries is printed with the table.
`rows()` returns the table for the project's bench runner.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process, utils

from bot.engine.normalize import normalize
from bot.engine.search import CourseSearch, rebuild_index
from bot.engine.store import connect

SEED = 20261128

# (en, fr, es, it, de) names of subjects, so that titles come in the five languages.
TOPICS: list[tuple[str, str, str, str, str]] = [
    ("Statistics", "Statistiques", "Estadística", "Statistica", "Statistik"),
    ("Data Science", "Science des données", "Ciencia de datos", "Scienza dei dati", "Datenwissenschaft"),
    (
        "Machine Learning",
        "Apprentissage automatique",
        "Aprendizaje automático",
        "Apprendimento automatico",
        "Maschinelles Lernen",
    ),
    (
        "Python Programming",
        "Programmation Python",
        "Programación en Python",
        "Programmazione Python",
        "Python-Programmierung",
    ),
    ("Cyber Security", "Cybersécurité", "Ciberseguridad", "Sicurezza informatica", "Cybersicherheit"),
    (
        "Project Management",
        "Gestion de projet",
        "Gestión de proyectos",
        "Gestione dei progetti",
        "Projektmanagement",
    ),
    (
        "Digital Marketing",
        "Marketing numérique",
        "Marketing digital",
        "Marketing digitale",
        "Digitales Marketing",
    ),
    ("Public Health", "Santé publique", "Salud pública", "Sanità pubblica", "Öffentliche Gesundheit"),
    ("Epidemiology", "Épidémiologie", "Epidemiología", "Epidemiologia", "Epidemiologie"),
    ("Linear Algebra", "Algèbre linéaire", "Álgebra lineal", "Algebra lineare", "Lineare Algebra"),
    ("Calculus", "Calcul différentiel", "Cálculo", "Calcolo", "Analysis"),
    ("Microeconomics", "Microéconomie", "Microeconomía", "Microeconomia", "Mikroökonomie"),
    ("Climate Change", "Changement climatique", "Cambio climático", "Cambiamento climatico", "Klimawandel"),
    (
        "Renewable Energy",
        "Énergies renouvelables",
        "Energías renovables",
        "Energie rinnovabili",
        "Erneuerbare Energien",
    ),
    (
        "Sustainable Tourism",
        "Tourisme durable",
        "Turismo sostenible",
        "Turismo sostenibile",
        "Nachhaltiger Tourismus",
    ),
    ("Art History", "Histoire de l'art", "Historia del arte", "Storia dell'arte", "Kunstgeschichte"),
    (
        "Creative Writing",
        "Écriture créative",
        "Escritura creativa",
        "Scrittura creativa",
        "Kreatives Schreiben",
    ),
    ("Philosophy", "Philosophie", "Filosofía", "Filosofia", "Philosophie"),
    ("Psychology", "Psychologie", "Psicología", "Psicologia", "Psychologie"),
    ("Neuroscience", "Neurosciences", "Neurociencia", "Neuroscienze", "Neurowissenschaft"),
    ("Genomics", "Génomique", "Genómica", "Genomica", "Genomik"),
    (
        "Cloud Computing",
        "Informatique en nuage",
        "Computación en la nube",
        "Cloud computing",
        "Cloud-Computing",
    ),
    ("Web Development", "Développement web", "Desarrollo web", "Sviluppo web", "Webentwicklung"),
    ("Blockchain", "Chaîne de blocs", "Cadena de bloques", "Blockchain", "Blockchain"),
    ("Accounting", "Comptabilité", "Contabilidad", "Contabilità", "Buchhaltung"),
    (
        "Corporate Finance",
        "Finance d'entreprise",
        "Finanzas corporativas",
        "Finanza aziendale",
        "Unternehmensfinanzierung",
    ),
    (
        "Supply Chain",
        "Chaîne logistique",
        "Cadena de suministro",
        "Catena di approvvigionamento",
        "Lieferkette",
    ),
    ("Entrepreneurship", "Entrepreneuriat", "Emprendimiento", "Imprenditorialità", "Unternehmertum"),
    ("Leadership", "Leadership", "Liderazgo", "Leadership", "Führung"),
    ("Public Speaking", "Prise de parole", "Oratoria", "Parlare in pubblico", "Rhetorik"),
    (
        "Teacher Training",
        "Formation des enseignants",
        "Formación docente",
        "Formazione degli insegnanti",
        "Lehrerbildung",
    ),
    (
        "Inclusive Education",
        "Éducation inclusive",
        "Educación inclusiva",
        "Educazione inclusiva",
        "Inklusive Bildung",
    ),
    ("Nursing", "Soins infirmiers", "Enfermería", "Infermieristica", "Krankenpflege"),
    ("Nutrition", "Nutrition", "Nutrición", "Nutrizione", "Ernährung"),
    ("Mental Health", "Santé mentale", "Salud mental", "Salute mentale", "Psychische Gesundheit"),
    ("Urban Planning", "Urbanisme", "Urbanismo", "Urbanistica", "Stadtplanung"),
    ("Architecture", "Architecture", "Arquitectura", "Architettura", "Architektur"),
    ("Civil Engineering", "Génie civil", "Ingeniería civil", "Ingegneria civile", "Bauingenieurwesen"),
    ("Robotics", "Robotique", "Robótica", "Robotica", "Robotik"),
    (
        "Artificial Intelligence",
        "Intelligence artificielle",
        "Inteligencia artificial",
        "Intelligenza artificiale",
        "Künstliche Intelligenz",
    ),
    (
        "Computer Networks",
        "Réseaux informatiques",
        "Redes de computadoras",
        "Reti di calcolatori",
        "Rechnernetze",
    ),
    ("Databases", "Bases de données", "Bases de datos", "Basi di dati", "Datenbanken"),
    ("Human Rights", "Droits de l'homme", "Derechos humanos", "Diritti umani", "Menschenrechte"),
    ("European Law", "Droit européen", "Derecho europeo", "Diritto europeo", "Europarecht"),
    ("Journalism", "Journalisme", "Periodismo", "Giornalismo", "Journalismus"),
    ("Photography", "Photographie", "Fotografía", "Fotografia", "Fotografie"),
    (
        "Music Production",
        "Production musicale",
        "Producción musical",
        "Produzione musicale",
        "Musikproduktion",
    ),
    ("Archaeology", "Archéologie", "Arqueología", "Archeologia", "Archäologie"),
    ("Astronomy", "Astronomie", "Astronomía", "Astronomia", "Astronomie"),
    ("Quantum Physics", "Physique quantique", "Física cuántica", "Fisica quantistica", "Quantenphysik"),
    ("Organic Chemistry", "Chimie organique", "Química orgánica", "Chimica organica", "Organische Chemie"),
    ("Marine Biology", "Biologie marine", "Biología marina", "Biologia marina", "Meeresbiologie"),
    ("Biodiversity", "Biodiversité", "Biodiversidad", "Biodiversità", "Biodiversität"),
    ("Agriculture", "Agriculture", "Agricultura", "Agricoltura", "Landwirtschaft"),
    (
        "Food Safety",
        "Sécurité alimentaire",
        "Seguridad alimentaria",
        "Sicurezza alimentare",
        "Lebensmittelsicherheit",
    ),
    ("Cryptography", "Cryptographie", "Criptografía", "Crittografia", "Kryptographie"),
    ("Game Design", "Conception de jeux", "Diseño de videojuegos", "Game design", "Spieldesign"),
    ("Human Resources", "Ressources humaines", "Recursos humanos", "Risorse umane", "Personalwesen"),
    (
        "Circular Economy",
        "Économie circulaire",
        "Economía circular",
        "Economia circolare",
        "Kreislaufwirtschaft",
    ),
    ("Cultural Heritage", "Patrimoine culturel", "Patrimonio cultural", "Patrimonio culturale", "Kulturerbe"),
    ("Sociology", "Sociologie", "Sociología", "Sociologia", "Soziologie"),
    ("Probability", "Probabilités", "Probabilidad", "Probabilità", "Wahrscheinlichkeit"),
]

# Title patterns per language: {t} a topic, {a} an audience, {x} a second topic, {p} a place or theme.
PATTERNS: dict[str, list[str]] = {
    "en": [
        "Introduction to {t}",
        "{t} for {a}",
        "{t}: {p}",
        "Advanced {t}",
        "Foundations of {t} and {x}",
        "{t} in Practice: {p}",
        "Applied {t} for {a}",
        "{t} and {x}: {p}",
    ],
    "fr": [
        "Introduction à {t}",
        "{t} pour {a}",
        "{t} : {p}",
        "Les bases de {t} et {x}",
        "{t} appliquée : {p}",
        "{t} et {x} pour {a}",
    ],
    "es": [
        "Introducción a {t}",
        "{t} para {a}",
        "{t}: {p}",
        "Fundamentos de {t} y {x}",
        "{t} aplicada: {p}",
        "{t} y {x} para {a}",
    ],
    "it": [
        "Introduzione a {t}",
        "{t} per {a}",
        "{t}: {p}",
        "Fondamenti di {t} e {x}",
        "{t} applicata: {p}",
        "{t} e {x} per {a}",
    ],
    "de": [
        "Einführung in {t}",
        "{t} für {a}",
        "{t}: {p}",
        "Grundlagen: {t} und {x}",
        "Angewandte {t}: {p}",
        "{t} und {x} für {a}",
    ],
}
AUDIENCES: dict[str, list[str]] = {
    "en": [
        "Engineers",
        "Teachers",
        "Managers",
        "Beginners",
        "Researchers",
        "Nurses",
        "Journalists",
        "Lawyers",
        "Designers",
        "Farmers",
        "Startups",
        "Public Servants",
        "Librarians",
        "Doctors",
        "Students",
    ],
    "fr": [
        "ingénieurs",
        "enseignants",
        "managers",
        "débutants",
        "chercheurs",
        "infirmiers",
        "juristes",
        "agriculteurs",
        "bibliothécaires",
        "médecins",
        "étudiants",
        "fonctionnaires",
    ],
    "es": [
        "ingenieros",
        "docentes",
        "directivos",
        "principiantes",
        "investigadores",
        "enfermeros",
        "periodistas",
        "abogados",
        "agricultores",
        "bibliotecarios",
        "médicos",
        "estudiantes",
    ],
    "it": [
        "ingegneri",
        "insegnanti",
        "manager",
        "principianti",
        "ricercatori",
        "infermieri",
        "giornalisti",
        "avvocati",
        "agricoltori",
        "bibliotecari",
        "medici",
        "studenti",
    ],
    "de": [
        "Ingenieure",
        "Lehrkräfte",
        "Führungskräfte",
        "Einsteiger",
        "Forschende",
        "Pflegekräfte",
        "Journalisten",
        "Juristen",
        "Landwirte",
        "Bibliothekare",
        "Ärzte",
        "Studierende",
    ],
}
PLACES = [
    "the Alps",
    "the Mediterranean",
    "the Baltic Sea",
    "Andalucía",
    "Lombardia",
    "Bretagne",
    "Tirol",
    "the Danube",
    "Lisboa",
    "Kraków",
    "Sevilla",
    "Napoli",
    "Lyon",
    "Graz",
    "Galway",
    "Tartu",
    "Porto",
    "Valencia",
    "Bologna",
    "Toulouse",
    "Innsbruck",
    "Dublin",
    "Ghent",
    "Salzburg",
    "Granada",
    "Palermo",
    "Montpellier",
    "Heidelberg",
    "Aarhus",
    "Tampere",
    "Case Studies",
    "Open Data",
    "Smart Cities",
    "Small Businesses",
    "Rural Areas",
    "Hospitals",
    "Museums",
    "the Classroom",
    "Industry 4.0",
    "the Green Deal",
    "Migration",
    "Ageing Societies",
    "Cities of Tomorrow",
    "Islands",
    "Mountains",
]
CITIES = [
    "Barcelona",
    "Bilbao",
    "Zaragoza",
    "Valladolid",
    "Marseille",
    "Rennes",
    "Grenoble",
    "Strasbourg",
    "Napoli",
    "Firenze",
    "Genova",
    "Trento",
    "Bari",
    "Catania",
    "Berlin",
    "Hamburg",
    "München",
    "Köln",
    "Dresden",
    "Leipzig",
    "Bremen",
    "Klagenfurt",
    "Oxford",
    "Bristol",
    "Sheffield",
    "Exeter",
    "Utrecht",
    "Maastricht",
    "Leuven",
    "Lisboa",
    "Aveiro",
    "Helsinki",
    "Uppsala",
    "Lund",
    "Bergen",
    "Riga",
    "Vilnius",
    "Madrid",
    "Paris",
    "Roma",
    "Wien",
    "Graz",
    "Milano",
    "Lyon",
    "Sevilla",
    "Bologna",
    "Lille",
    "Padova",
    "Salzburg",
    "Granada",
    "Nantes",
    "Torino",
    "Linz",
    "Murcia",
    "Bordeaux",
    "Pisa",
    "Innsbruck",
    "Dublin",
    "Leeds",
    "Glasgow",
    "Cardiff",
    "Groningen",
    "Leiden",
    "Gent",
    "Porto",
    "Coimbra",
    "Tartu",
]
# Narrower subject tags (English, as in the real catalogue), one or two per record.
SPECIALISMS = "|".join(
    [
        "bayesian inference|survival analysis|regression models|time series|neural networks",
        "computer vision|natural language processing|reinforcement learning|penetration testing",
        "incident response|risk assessment|agile scrum|search engine optimisation|social media",
        "vaccination|infectious diseases|matrix decomposition|differential equations|game theory",
        "carbon capture|solar panels|wind turbines|hydrogen|heritage sites|impressionism",
        "renaissance painting|short stories|poetry|screenwriting|ethics of care|existentialism",
        "cognitive biases|child development|memory|brain imaging|gene editing|bioinformatics|serverless",
        "kubernetes|microservices|accessibility|responsive design|smart contracts|cryptocurrencies",
        "auditing|taxation|mergers|venture capital|warehousing|procurement|startups|negotiation",
        "team building|storytelling|debate|classroom management|assessment design|special needs|dyslexia",
        "palliative care|wound care|sports nutrition|diabetes|anxiety|resilience|mobility|housing",
        "timber construction|bridges|earthquakes|drones|humanoid robots|chatbots|explainability|routing",
        "wireless networks|sql|nosql|data privacy|asylum law|gdpr|competition law|fact checking",
        "podcasting|documentary|portrait photography|sound design|mixing|roman empire|bronze age",
        "excavation|exoplanets|black holes|quantum computing|lasers|polymers|catalysis|coral reefs",
        "fisheries|pollinators|wetlands|organic farming|viticulture|food labelling|allergens",
        "public key infrastructure|level design|board games|recruitment|remote work|recycling|repair",
        "textiles|folk music|museums|urban sociology|inequality|demographic change|monte carlo",
        "markov chains|sampling|dialectology|sign language|tourism marketing",
    ]
).split("|")
UNIVERSITY = {
    "en": "University of {c}",
    "fr": "Université de {c}",
    "es": "Universidad de {c}",
    "it": "Università di {c}",
    "de": "Universität {c}",
}
PLATFORMS = [
    ("FutureLearn", "en"),
    ("FUN MOOC", "fr"),
    ("MiríadaX", "es"),
    ("EduOpen", "it"),
    ("iMooX", "de"),
    ("OpenupEd", None),
]
TYPES = ["MOOC"] * 6 + ["short course"] * 3 + ["microcredential"] * 2 + ["ExpertTrack"]
LANGS = ("en", "fr", "es", "it", "de")


def generate(n: int, seed: int = SEED) -> list[dict[str, Any]]:
    """`n` course records with unique (normalised) titles, deterministic for a seed."""
    rng = random.Random(seed)
    records: list[dict[str, Any]] = []
    seen: set[str] = set()
    while len(records) < n:
        platform, platform_lang = rng.choice(PLATFORMS)
        lang = platform_lang if platform_lang and rng.random() < 0.75 else rng.choice(LANGS)
        li = LANGS.index(lang)
        topic, other = rng.sample(TOPICS, 2)
        title = rng.choice(PATTERNS[lang]).format(
            t=topic[li],
            x=other[li].lower() if lang != "de" else other[li],
            a=rng.choice(AUDIENCES[lang]),
            p=rng.choice(PLACES),
        )
        key = normalize(title)
        if key in seen:
            continue
        seen.add(key)
        subjects = [topic[0].lower(), other[0].lower()]
        subjects += [
            t[0].lower() for t in rng.sample(TOPICS, rng.randint(0, 1)) if t[0].lower() not in subjects
        ]
        subjects += rng.sample(SPECIALISMS, rng.randint(1, 2))
        languages = [lang] + ([rng.choice(LANGS)] if rng.random() < 0.15 else [])
        records.append(
            {
                "id": f"gen-{len(records):06d}",
                "title": title,
                "platform": platform,
                "institution": UNIVERSITY[rng.choice(LANGS)].format(c=rng.choice(CITIES)),
                "type": rng.choice(TYPES),
                "languages": sorted(set(languages)),
                "subjects": subjects,
                "ects": rng.choice([None, None, 2, 3, 4, 5, 6, 10]),
                "eqf_level": rng.choice([None, None, 5, 6, 7]),
                "source_urls": ["https://example.org/generated"],
            }
        )
    return records


def load(db_path: Path, records: list[dict[str, Any]]) -> float:
    """Insert `records` into a fresh database's `courses` table and build the index; build seconds."""
    db = connect(db_path)
    conn = db.conn
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO courses (id, file, position, data, title, platform, type, languages) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                r["id"],
                "catalogue/generated.yaml",
                i,
                json.dumps(r),
                r["title"],
                r["platform"],
                r["type"],
                json.dumps(r["languages"]),
            )
            for i, r in enumerate(records)
        ],
    )
    start = time.perf_counter()
    rebuild_index(db)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def misspell(text: str, rng: random.Random, edits: int) -> str:
    """`text` with `edits` random character edits (substitute, delete, insert, swap) on letters."""
    chars = list(text)
    for _ in range(edits):
        letters = [i for i, ch in enumerate(chars) if ch.isalpha()]
        i = rng.choice(letters)
        op = rng.choice(("sub", "del", "ins", "swap"))
        if op == "sub":
            chars[i] = rng.choice("abcdefghijklmnopqrstuvwxyz")
        elif op == "del":
            del chars[i]
        elif op == "ins":
            chars.insert(i, rng.choice("abcdefghijklmnopqrstuvwxyz"))
        elif i + 1 < len(chars):
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
    return "".join(chars)


def keyword_query(record: dict[str, Any], postings: dict[str, set[int]], rng: random.Random) -> str | None:
    """2-4 of the record's rarest words (title, subjects, institution) that no other record has all of,
    in random order; None when no such set of up to 4 words exists."""
    words = sorted({w for w in _words(record) if len(w) > 3}, key=lambda w: (len(postings[w]), w))
    chosen = words[: rng.randint(2, 3)]
    while len(set.intersection(*(postings[w] for w in chosen))) > 1 and len(chosen) < min(4, len(words)):
        chosen.append(words[len(chosen)])
    if len(chosen) < 2 or len(set.intersection(*(postings[w] for w in chosen))) > 1:
        return None
    rng.shuffle(chosen)
    return " ".join(chosen)


def _words(record: dict[str, Any]) -> list[str]:
    return normalize(f"{record['title']} {' '.join(record['subjects'])} {record['institution']}").split()


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _ask_all(
    pairs: list[tuple[str, str]], top: Callable[[str], str | None]
) -> tuple[int, list[float], list[float]]:
    """How many (query, wanted id) pairs `top` answers with the wanted id, and each query's
    milliseconds: wall-clock, and CPU time of this thread."""
    first, times, cpu = 0, [], []
    for query, want in pairs:
        start, start_cpu = time.perf_counter(), time.thread_time()
        got = top(query)
        cpu.append((time.thread_time() - start_cpu) * 1000)
        times.append((time.perf_counter() - start) * 1000)
        first += got == want
    return first, times, cpu


def measure(size: int, n_queries: int, n_baseline: int, workdir: Path) -> list[dict[str, Any]]:
    """Rows (ours and the baseline) for one catalogue size."""
    records = generate(size)
    build = load(workdir / f"search-{size}.db", records)
    db = connect(workdir / f"search-{size}.db")
    search = CourseSearch(db)
    rng = random.Random(SEED + size)
    postings: dict[str, set[int]] = defaultdict(set)
    for i, record in enumerate(records):
        for word in _words(record):
            postings[word].add(i)
    picked = rng.sample(records, min(n_queries, len(records)))
    keywords: list[tuple[str, str]] = []
    for record in rng.sample(records, min(4 * n_queries, len(records))):
        query = keyword_query(record, postings, rng)
        if query and len(keywords) < len(picked):
            keywords.append((query, record["id"]))
    queries = {
        "misspelt title": [(misspell(r["title"], rng, rng.randint(1, 2)), r["id"]) for r in picked],
        "keywords": keywords,
    }
    titles = [r["title"] for r in records]
    ids = [r["id"] for r in records]

    def ours(query: str) -> str | None:
        hits = search.search(query, limit=10).hits
        return hits[0][0] if hits else None

    def baseline(query: str) -> str | None:
        best = process.extractOne(query, titles, scorer=fuzz.WRatio, processor=utils.default_process)
        return ids[best[2]] if best is not None else None

    rows: list[dict[str, Any]] = []
    for kind, pairs in queries.items():
        load_before = os.getloadavg()[0]
        first, times, cpu = _ask_all(pairs, ours)
        load_after = os.getloadavg()[0]
        base_first, base_times, _ = _ask_all(pairs[:n_baseline], baseline)
        n_base = len(pairs[:n_baseline])
        rows.append(
            {
                "records": size,
                "query": kind,
                "queries": len(pairs),
                "first": first / len(pairs),
                "p50_ms": statistics.median(times),
                "p99_ms": _pct(times, 0.99),
                "p99_cpu_ms": _pct(cpu, 0.99),
                "load": (load_before, load_after),
                "build_s": build,
                "baseline_queries": n_base,
                "baseline_first": base_first / n_base,
                "baseline_p50_ms": statistics.median(base_times),
                "baseline_p99_ms": _pct(base_times, 0.99),
                "peak_rss_mb": _peak_rss_mb(),
            }
        )
    db.conn.close()
    return rows


def rows(
    sizes: tuple[int, ...] = (1_000, 10_000, 100_000), n_queries: int = 500, n_baseline: int = 100
) -> list[dict[str, Any]]:
    """The benchmark's rows, one per (catalogue size, query kind)."""
    out: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            out += measure(size, n_queries, n_baseline if size >= 100_000 else n_queries, Path(tmp))
    return out


def table(result: list[dict[str, Any]]) -> str:
    """A Markdown table of `rows()`."""
    lines = [
        "| records | query | right first (ours / WRatio) | p50 ms (ours / WRatio) | p99 ms (ours / WRatio) "
        "| p99 CPU ms (ours) | p99 ratio | build s | peak RSS MB | load avg |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in result:
        sample = "" if r["baseline_queries"] == r["queries"] else f" (WRatio on {r['baseline_queries']})"
        lines.append(
            f"| {r['records']:,} | {r['query']}{sample} | {r['first']:.1%} / {r['baseline_first']:.1%} "
            f"| {r['p50_ms']:.2f} / {r['baseline_p50_ms']:.1f} "
            f"| {r['p99_ms']:.2f} / {r['baseline_p99_ms']:.1f} "
            f"| {r['p99_cpu_ms']:.2f} | {r['p99_ms'] / r['baseline_p99_ms']:.3f}x | {r['build_s']:.2f} "
            f"| {r['peak_rss_mb']:.0f} | {r['load'][0]:.1f} → {r['load'][1]:.1f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="catalogue sizes, comma-separated")
    parser.add_argument("--queries", type=int, default=500, help="queries of each kind per size")
    parser.add_argument("--baseline-queries", type=int, default=100, help="WRatio baseline sample at 100k")
    args = parser.parse_args(argv)
    sizes = tuple(int(s) for s in args.sizes.split(","))
    print(table(rows(sizes, args.queries, args.baseline_queries)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
