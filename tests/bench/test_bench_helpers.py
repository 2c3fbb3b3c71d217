"""The bench's parsing helpers (the benchmark itself runs by hand: bench/run)."""

from __future__ import annotations

import gzip

import pytest

from bench.export import export_site, file_for
from bench.lighthouse import read_report
from bench.table import markdown_table, median
from bench.wire import parse_response
from bench.wrk import parse_duration_ms, parse_wrk

WRK_OUTPUT = """\
Running 3s test @ http://127.0.0.1:8080/layanan/akta-kelahiran
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.62ms    1.10ms  30.12ms   92.11%
    Req/Sec     5.60k   400.12     6.20k    70.00%
  Latency Distribution
     50%    1.47ms
     75%    1.80ms
     90%    2.40ms
     99%  812.00us
  33456 requests in 3.00s, 95.12MB read
  Socket errors: connect 0, read 2, write 1, timeout 3
  Non-2xx or 3xx responses: 4
Requests/sec:  11151.20
Transfer/sec:     31.70MB
"""


@pytest.mark.parametrize(
    "text, ms", [("812.00us", 0.812), ("1.47ms", 1.47), ("1.02s", 1020.0), ("2m", 120000.0)]
)
def test_wrk_durations(text, ms):
    assert parse_duration_ms(text) == pytest.approx(ms)


def test_wrk_output_is_read():
    result = parse_wrk(WRK_OUTPUT)
    assert result.rps == 11151.20
    assert result.p50_ms == pytest.approx(1.47)
    assert result.p99_ms == pytest.approx(0.812)
    assert result.requests == 33456
    assert result.errors == 2 + 1 + 3 + 4


def test_wrk_output_without_latency_is_an_error():
    with pytest.raises(ValueError, match="cannot read wrk output"):
        parse_wrk(WRK_OUTPUT.replace("     99%  812.00us\n", ""))


def test_chunked_response_counts_wire_bytes_and_joins_body():
    raw = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n"
        b"3\r\nabc\r\n2;x=1\r\nde\r\n0\r\n\r\n"
    )
    fetched = parse_response(raw)
    assert (fetched.status, fetched.body, fetched.wire_bytes) == (200, b"abcde", len(raw))
    assert fetched.headers["content-encoding"] == "gzip"


@pytest.mark.parametrize(
    "path, name",
    [("/", "index.html"), ("/tentang", "tentang.html"), ("/layanan/kia", "layanan/kia.html")],
)
def test_page_paths_map_to_files(path, name):
    assert file_for(path) == name


@pytest.mark.parametrize("path", ["/../etc/passwd", "relative", "404"])
def test_odd_paths_are_refused(path):
    with pytest.raises(ValueError):
        file_for(path)


def test_export_writes_the_sites_own_bytes(tmp_path, config, bundled_catalog):
    from kiosk.web.pages import Site

    site = Site(bundled_catalog, config)
    paths = export_site(site, tmp_path, "ktp")
    assert "/cari" in paths and "404" not in paths
    service = tmp_path / "layanan" / "kia.html"
    assert service.read_bytes() == site.pages["/layanan/kia"].body
    assert gzip.decompress((tmp_path / "cari.html.gz").read_bytes()) == site.search_page("ktp").body


def test_lighthouse_report_scores_and_lost_points():
    def category(score, *refs):
        return {"score": score, "auditRefs": [{"id": r, "weight": w} for r, w in refs]}

    report = {
        "categories": {
            "performance": category(0.99, ("lcp", 25)),
            "accessibility": category(0.93, ("color-contrast", 7), ("ignored", 0)),
            "best-practices": category(1.0, ("errors-in-console", 1)),
        },
        "audits": {
            "lcp": {"score": 0.98},
            "color-contrast": {"score": 0},
            "ignored": {"score": 0},
            "errors-in-console": {"score": 1},
        },
    }
    scores = read_report(report)
    assert (scores.performance, scores.accessibility, scores.best_practices) == (99, 93, 100)
    assert scores.failed == ("performance:lcp", "accessibility:color-contrast")


def test_table_and_median():
    assert markdown_table(["a", "bb"], [[1, 22]]).splitlines() == [
        "| a | bb |",
        "|---|----|",
        "| 1 | 22 |",
    ]
    assert median([3, 1, 2]) == 2 and median([4, 1, 2, 3]) == 2.5


def test_paper_bench_lists_every_service_and_the_roll(capsys, bundled_catalog):
    from bench.paper import main

    main(["--roll-m", "30"])
    out = capsys.readouterr().out
    for service in bundled_catalog.services:
        assert f"| {service.id} " in out
    assert "(index slip)" in out and "median slips per 30 m roll" in out
