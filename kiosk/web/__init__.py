"""The residents' site: app factory.

``create_app`` builds the Flask app and puts the :class:`FrontDoor` in front of it,
so cached pages and captive-portal answers never enter Flask's routing.
"""

from __future__ import annotations

from flask import Flask

from ..config import Config, load_config
from ..voice.counts import DemandCounter
from .front import FrontDoor
from .portal import Portal
from .printing import printing
from .source import SiteSource
from .views import residents
from .voice import voice

# No form needs more; a bigger body is refused (413) before anything reads it.
MAX_FORM_BYTES = 16 * 1024


def create_app(config: Config | None = None, test_config: dict | None = None) -> Flask:
    if config is None:
        config = load_config(overrides=test_config)
    elif test_config:
        config = config.replace(**test_config)
    app = Flask(__name__)
    app.config["KIOSK"] = config
    source = SiteSource(config)
    app.extensions["kiosk.source"] = source
    portal = Portal(
        own_hosts=[
            config.portal,
            config.host,
            "localhost",
            "127.0.0.1",
            "::1",
            *config.portal_hosts,
        ],
        portal_url=config.portal_url,
        success_minutes=config.captive_success_minutes,
    )
    app.extensions["kiosk.portal"] = portal

    counter = DemandCounter()
    app.extensions["kiosk.counter"] = counter  # flushed by `kiosk serve` (Flusher)
    app.register_blueprint(residents)
    app.register_blueprint(printing)
    app.register_blueprint(voice)
    app.config["MAX_CONTENT_LENGTH"] = MAX_FORM_BYTES
    app.wsgi_app = FrontDoor(app.wsgi_app, source, portal, counter)  # type: ignore[method-assign]
    return app


def start_counts_flusher(app: Flask, config: Config):
    """Flush the site's demand counts to the outbox every minute (finished hours only),
    and on stop; SIGTERM (systemd) stops the server the same way Ctrl-C does."""
    import signal

    from ..outbox import Outbox
    from ..voice.counts import Flusher

    signal.signal(signal.SIGTERM, _terminate)
    return Flusher(app.extensions["kiosk.counter"], Outbox.for_config(config)).start()


def _terminate(signum, frame):
    raise SystemExit(0)
