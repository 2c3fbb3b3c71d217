"""Demand counts: in memory, per hour, flushed to the outbox; no person in them."""

from __future__ import annotations

import http.client
from datetime import UTC, datetime, timedelta

from kiosk.outbox import Outbox, unpack
from kiosk.printer.backends import DummyBackend
from kiosk.printer.daemon import PrinterDaemon
from kiosk.printer.spool import Job
from kiosk.records import problems_of
from kiosk.voice.counts import DemandCounter, Flusher, no_hit_key

HOUR = datetime(2026, 12, 1, 9, 15, tzinfo=UTC)


def test_no_hit_queries_lose_their_digits():
    assert no_hit_key("NIK 3516-0123 4567 8901 hilang") == "nik hilang"
    assert no_hit_key("0812 3456 7890") == ""
    assert no_hit_key("surat keterangan " * 10) == "surat keterangan surat keterangan surat"  # ≤ 40


def test_counts_per_hour_and_flush(config):
    now = [HOUR]
    counter = DemandCounter(now=lambda: now[0], mono=lambda: 12.5, boot_id=lambda: "b" * 32)
    counter.add("kia", "view")
    counter.add("kia", "view")
    counter.add("kia", "feedback_kurang")
    counter.search_found_nothing("kucing hilang 081234567890")
    counter.portal_opened("10.42.0.7")
    counter.portal_opened("10.42.0.7")
    counter.portal_opened("10.42.0.8")
    outbox = Outbox.for_config(config)
    assert counter.flush(outbox) == 0  # the hour is not over
    now[0] = HOUR + timedelta(hours=1)
    counter.add("skck", "view")
    assert counter.flush(outbox) == 1
    [record] = outbox.pending()
    assert record.kind == "counts" and not record.sealed
    body = unpack(record.body)
    assert body == {
        "hour": "2026-12-01T09:00:00+00:00",
        "mono_start": 12.5,
        "boot_id": "b" * 32,
        "services": {"kia": {"view": 2, "feedback_kurang": 1}},
        "no_hit": {"kucing hilang": 1},
        "portal_opens": 2,
    }
    assert problems_of("counts", body) == []
    assert b"10.42.0" not in record.body
    Flusher(counter, outbox).stop()  # a clean stop flushes the current hour too
    assert [unpack(r.body)["services"] for r in outbox.pending()][1] == {"skck": {"view": 1}}


def test_the_site_counts_what_it_serves(app, live_server):
    def get(path, host=None):
        conn = http.client.HTTPConnection("127.0.0.1", live_server.port, timeout=5)
        try:
            conn.request("GET", path, headers={"Host": host} if host else {})
            response = conn.getresponse()
            response.read()
            return response.status
        finally:
            conn.close()

    assert get("/generate_204", host="connectivitycheck.gstatic.com") == 302
    assert get("/") == 200
    assert [get("/layanan/kia") for _ in range(3)] == [200] * 3
    assert get("/cari?q=zzqx+wibble+081234567890") == 200
    assert get("/cari?q=akta+lahir") == 200
    [body] = app.extensions["kiosk.counter"].take(everything=True)
    assert body["services"] == {"kia": {"view": 3}}
    assert body["no_hit"] == {"zzqx wibble": 1}
    assert body["portal_opens"] == 1  # one phone (127.0.0.1), however many requests


def test_slips_are_counted_where_they_print(config):
    daemon = PrinterDaemon(config, backend=DummyBackend())
    daemon.spool.add(Job(kind="service", service="kia", source="web"))
    daemon.spool.add(Job(kind="service", service="kia", source="button:17"))
    daemon.spool.add(Job(kind="index", source="button:27"))
    assert [daemon.worker.step(wait=0) for _ in range(3)] == [True] * 3
    daemon.start()
    daemon.stop()  # flushes the current hour
    [record] = Outbox.for_config(config).pending()
    assert unpack(record.body)["services"] == {"kia": {"slip_site": 1, "slip_button": 1}}
