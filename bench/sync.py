"""`python -m bench.sync [N] [moochub|richie]`: `kb sync` of N records (default 100,000) from an endpoint on
127.0.0.1 (MOOChub v3 JSON:API by default, or a Richie course API: objects shaped as
tests/fixtures/richie/courses.json, offset paging), served by a thread of this process (its CPU time,
building every page's JSON, is counted in `first_cpu_s`).

Into a fresh copy of the shipped knowledge base: the first sync (wall and CPU time, peak RSS of this
process; every record added, in one transaction), a
re-sync answered 304 (conditional GET), a re-sync without validators (every page fetched; the same
bytes as the last sync, by SHA-256), and one without validators or digest (every record mapped and
compared): each must leave the knowledge base unchanged (same generation, same revision count).
Records are MOOChub v3 resources of realistic size (300-character descriptions).
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

ROOT = Path(__file__).resolve().parents[1]
PAGE = 1_000


def _course(n: int) -> dict[str, Any]:
    return {
        "id": f"bench-{n}",
        "type": "Course",
        "attributes": {
            "name": f"Bench course {n} on data and society",
            "courseCode": f"bench-university-course-code-{n}",
            "url": f"https://example.org/course/{n}",
            "inLanguage": ["de"],
            "publisher": {"name": f"Bench University {n % 200}"},
            "keywords": ["data", "society", f"topic {n % 500}"],
            "description": "<p>" + ("A realistic description sentence. " * 9) + "</p>",
            "workload": {"timeValue": 2, "timeUnit": "h/week"},
            "duration": "P6W",
            "dateModified": f"20{14 + n % 12}-03-01",
        },
    }


def _richie(n: int) -> dict[str, Any]:
    run = {
        "start": f"20{14 + n % 12}-03-02T00:00:00Z",
        "end": f"20{14 + n % 12}-04-27T00:00:00Z",
        "languages": ["fr"],
    }
    return {
        "id": str(n),
        "title": f"Bench course {n} on data and society",
        "absolute_url": f"/fr/cours/bench-course-{n}/",
        "code": f"BENCH{n:06d}",
        "categories": [],
        "course_runs": [run],
        "duration": "6 semaines",
        "effort": "2 heures/semaine",
        "introduction": "A realistic description sentence. " * 9,
        "organization_highlighted": f"Bench University {n % 200}",
        "organizations": [],
        "state": {"priority": 6, "datetime": None, "call_to_action": None, "text": "archived"},
        "offer": "free",
        "price": None,
        "price_currency": "EUR",
    }


def _serve(total: int, kind: str = "moochub", keep: bool = False) -> tuple[ThreadingHTTPServer, str]:
    """The endpoint; `keep`: every page body is kept once built (the timed run then measures the client,
    not the server building JSON in the same process)."""
    pages = (total + PAGE - 1) // PAGE
    cache: dict[int, bytes] = {}
    kept: dict[tuple[int, int], bytes] = {}

    def richie_page(offset: int, limit: int) -> bytes:
        objects = [_richie(i) for i in range(offset, min(offset + limit, total))]
        return json.dumps(
            {"meta": {"count": len(objects), "offset": offset, "total_count": total}, "objects": objects}
        ).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if kind == "richie":
                query = dict(parse_qsl(urlsplit(self.path).query))
                offset = int(query.get("offset", 0))
                if offset == 0 and self.headers.get("If-None-Match") == '"v1"':
                    self.send_response(304)
                    self.send_header("ETag", '"v1"')
                    self.end_headers()
                    return
                key = (offset, int(query.get("limit", 10)))
                body = kept.get(key) or richie_page(*key)
                if keep:
                    kept[key] = body
                self.send_response(200)
                self.send_header("ETag", '"v1"')
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            n = int(self.path.split("page=")[1]) if "page=" in self.path else 1
            if n == 1 and self.headers.get("If-None-Match") == '"v1"':
                self.send_response(304)
                self.send_header("ETag", '"v1"')
                self.end_headers()
                return
            if n not in cache:
                links = {"self": f"{base}?page={n}"}
                if n < pages:
                    links["next"] = f"{base}?page={n + 1}"
                data = [_course(i) for i in range((n - 1) * PAGE, min(n * PAGE, total))]
                cache[n] = json.dumps({"links": links, "data": data}).encode()
            body = cache[n] if keep else cache.pop(n)
            self.send_response(200)
            self.send_header("ETag", '"v1"')
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}/courses"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, base


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(total: int = 100_000, kind: str = "moochub") -> dict[str, Any]:
    from bot.engine.store import connect, ensure_database, generation
    from bot.moderation.fetch import FetchPolicy
    from bot.moderation.service import KnowledgeService
    from bot.moderation.sync import Source, sync_source

    local = FetchPolicy(allow_http=True, address_allowed=lambda ip: ip.is_loopback)
    server, base = _serve(total, kind)
    out: dict[str, Any] = {"records": total, "kind": kind}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        ensure_database(path, ROOT).conn.close()
        service = KnowledgeService(connect(path), "cli:bench")
        source = (
            Source("bench", base, "FUN MOOC", "richie")
            if kind == "richie"
            else Source("bench", base, "iMooX")
        )
        rss_before = _peak_mb()
        started, cpu = time.perf_counter(), time.process_time()
        first = sync_source(service, source, policy=local)
        out["first_s"] = round(time.perf_counter() - started, 1)
        out["first_cpu_s"] = round(time.process_time() - cpu, 1)
        out["peak_rss_mb"] = round(_peak_mb())
        out["rss_before_mb"] = round(rss_before)
        out["first"] = first.summary()
        assert first.ok, first.summary()

        def unchanged_state() -> tuple[int, int]:
            revisions = service.db.conn.execute("SELECT COUNT(*) FROM revisions").fetchone()[0]
            return generation(service.db), revisions

        before = unchanged_state()
        started = time.perf_counter()
        again = sync_source(service, source, policy=local)
        out["resync_304_s"] = round(time.perf_counter() - started, 2)
        out["resync_304_wrote_nothing"] = again.not_modified and unchanged_state() == before
        service.db.conn.execute("UPDATE sync_status SET etag = NULL, last_modified = NULL")
        started = time.perf_counter()
        same = sync_source(service, source, policy=local)
        out["resync_same_pages_s"] = round(time.perf_counter() - started, 2)
        out["resync_same_pages"] = same.summary()
        out["resync_same_pages_wrote_nothing"] = same.ok and same.not_modified and unchanged_state() == before
        service.db.conn.execute("UPDATE sync_status SET etag = NULL, last_modified = NULL, digest = NULL")
        started = time.perf_counter()
        full = sync_source(service, source, policy=local)
        out["resync_full_s"] = round(time.perf_counter() - started, 1)
        out["resync_full"] = full.summary()
        out["resync_full_wrote_nothing"] = full.ok and unchanged_state() == before
    server.shutdown()
    return out


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    print(json.dumps(run(count, sys.argv[2] if len(sys.argv) > 2 else "moochub"), indent=1))
