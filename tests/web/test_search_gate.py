"""Searches never take the last worker thread: pages stay quick during a search flood."""

from __future__ import annotations

from kiosk.web.front import FrontDoor
from kiosk.web.portal import Portal
from kiosk.web.source import SiteSource


def ask(door: FrontDoor, path: str, query: str = "") -> tuple[str, bytes]:
    answered: list[str] = []
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "HTTP_HOST": "127.0.0.1:8080",
        "REMOTE_ADDR": "10.42.0.7",
    }
    body = b"".join(door(environ, lambda status, headers: answered.append(status)))
    return answered[0], body


def test_a_new_search_while_every_slot_is_busy_gets_a_plain_busy_page(config):
    source = SiteSource(config)
    door = FrontDoor(None, source, Portal(["127.0.0.1"], config.portal_url, 60), search_slots=1)
    assert ask(door, "/cari", "q=akta")[0] == "200 OK"  # rendered and cached
    door.search_slots.acquire()  # another thread is searching
    try:
        status, body = ask(door, "/cari", "q=surat+pindah")
        assert status == "503 Service Unavailable"
        assert body == source.get().search_busy.body
        assert "Pencarian sedang ramai" in body.decode("utf-8")
        assert ask(door, "/cari", "q=akta")[0] == "200 OK"  # cached: no slot needed
        assert ask(door, "/")[0] == "200 OK"
    finally:
        door.search_slots.release()
    assert ask(door, "/cari", "q=surat+pindah")[0] == "200 OK"


def test_the_app_keeps_one_thread_for_pages(config):
    from kiosk.web import create_app

    door = create_app(config.replace(web_threads=4)).wsgi_app
    assert [door.search_slots.acquire(blocking=False) for _ in range(4)] == [
        True,
        True,
        True,
        False,
    ]
