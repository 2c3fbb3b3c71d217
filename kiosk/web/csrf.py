"""Cross-site posting defence that works in captive-portal mini-browsers.

iOS's captive sheet keeps no cookies, and some mini-browsers send no ``Origin`` or
``Referer`` (or ``Origin: null``), so neither a cookie token nor a header check alone
works there. Every form instead carries a signed token in a hidden field:
``HMAC(kiosk secret, form name)``. A page on another site cannot read the kiosk's pages
(same-origin policy), so it cannot know the token. The token is the same for every
phone, which lets the pages stay pre-rendered and cached; a script on the hotspot that
reads it is not a cross-site attack but abuse, which the budgets in
:mod:`kiosk.voice.limits` answer. When a browser does say where the post came from
(``Sec-Fetch-Site``, ``Origin``, ``Referer``) and it is another site, the post is
refused even with a token.

The secret is random, made once per kiosk (``<state>/secrets/forms.key``, mode 0600);
it says nothing about anyone.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from ..config import Config
from ..fsutil import atomic_write_bytes

CROSS_SITE, BAD_TOKEN = "cross-site", "token"


def _load_secret(path: Path) -> bytes:
    try:
        data = path.read_bytes()
        if len(data) >= 32:
            return data
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    atomic_write_bytes(path, secrets.token_bytes(32), mode=0o600)
    return path.read_bytes()


class FormTokens:
    def __init__(self, secret: bytes):
        self._secret = secret

    @classmethod
    def for_config(cls, config: Config) -> FormTokens:
        return cls(_load_secret(config.state_path / "secrets" / "forms.key"))

    def token(self, form: str) -> str:
        digest = hmac.new(self._secret, form.encode("utf-8"), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:18]).decode("ascii")

    def check(self, environ: dict, form: str, token: str | None, is_own_host) -> str | None:
        """None if the post may go on, else why not (``CROSS_SITE`` or ``BAD_TOKEN``)."""
        if environ.get("HTTP_SEC_FETCH_SITE", "").lower() == "cross-site":
            return CROSS_SITE
        for header in ("HTTP_ORIGIN", "HTTP_REFERER"):
            value = environ.get(header, "").strip()
            if value and value != "null" and not is_own_host(urlsplit(value).netloc or "?"):
                return CROSS_SITE
        if not token or not hmac.compare_digest(token.encode(), self.token(form).encode()):
            return BAD_TOKEN
        return None
