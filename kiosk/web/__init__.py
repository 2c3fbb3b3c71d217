"""The residents' site: app factory.

``create_app`` builds the Flask app and puts the :class:`FrontDoor` in front of it,
so cached pages and captive-portal answers never enter Flask's routing.
"""

from __future__ import annotations

from flask import Flask

from ..config import Config, load_config
from .front import FrontDoor
from .portal import Portal
from .printing import printing
from .source import SiteSource
from .views import residents


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

    app.register_blueprint(residents)
    app.register_blueprint(printing)
    # One worker thread is kept for pages: searches get the others (at least one).
    search_slots = max(1, config.web_threads - 1)
    app.wsgi_app = FrontDoor(  # type: ignore[method-assign]
        app.wsgi_app, source, portal, search_slots=search_slots
    )
    return app
