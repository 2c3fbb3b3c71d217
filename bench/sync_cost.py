"""What a sync costs on the wire: requests and bytes, with nothing changed and with one
service changed. A real hub (real keys) served over real HTTP on 127.0.0.1.

Run: .venv/bin/python bench/sync_cost.py
"""

from __future__ import annotations

import functools
import shutil
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from kiosk.config import load_config
from kiosk.hub.repo import Hub
from kiosk.sync.fetch import HttpFetcher
from kiosk.sync.run import run_sync

REPO = Path(__file__).resolve().parent.parent


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def measure(config, label: str) -> None:
    fetcher = HttpFetcher()
    result = run_sync(config, fetcher=fetcher)
    assert result.ok, result.summary
    files = ", ".join(u.rsplit("/", 1)[1][:24] for u in fetcher.stats.urls)
    print(
        f"{label:34} {fetcher.stats.requests:2} requests {fetcher.stats.bytes:8,} bytes "
        f"(body)  [{files}]"
    )


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="sync-cost-"))
    try:
        catalog = work / "catalog"
        shutil.copytree(REPO / "catalog", catalog)
        hub = Hub(work / "hub")
        hub.init()
        hub.publish(catalog)
        handler = functools.partial(Quiet, directory=str(hub.public))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        config = load_config(
            env={},
            overrides={
                "state_dir": str(work / "kiosk"),
                "hub_url": f"http://127.0.0.1:{server.server_address[1]}/",
                "trust_root": str(hub.metadata_dir / "1.root.json"),
            },
        )
        release = next(hub.targets_dir.iterdir()).stat().st_size
        print(f"release size: {release:,} bytes (canonical JSON, not compressed)")
        measure(config, "first sync (empty kiosk)")
        measure(config, "no change")
        skck = catalog / "services" / "skck.yaml"
        skck.write_text(skck.read_text().replace("fee: 30000", "fee: 35000"))
        hub.publish(catalog)
        measure(config, "one service changed (a fee)")
        measure(config, "no change (after the update)")
        hub.refresh(force=True)
        measure(config, "hub refresh only (daily re-sign)")
        server.shutdown()
        print("HTTP headers (~150-250 bytes a request) are not counted.")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
