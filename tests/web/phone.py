"""A phone on the hotspot, as far as the server can tell: plain HTTP, no cookies, no
JavaScript, and (like some captive-portal mini-browsers) no Origin or Referer."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

import html5lib


@dataclass
class Answer:
    status: int
    html: str
    url: str

    def doc(self):
        return html5lib.parse(self.html, namespaceHTMLElements=False)


class Phone:
    def __init__(self, base: str, opener: urllib.request.OpenerDirector | None = None):
        self.base = base
        self.opener = opener or urllib.request.build_opener()

    def _open(self, request) -> Answer:
        try:
            with self.opener.open(request, timeout=10) as response:
                return Answer(response.status, response.read().decode("utf-8"), response.url)
        except urllib.error.HTTPError as error:
            with error:
                return Answer(error.code, error.read().decode("utf-8"), error.url)

    def get(self, path: str) -> Answer:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, fields: dict, headers: dict | None = None) -> Answer:
        data = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(
            self.base + path,
            data=data,
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded", **(headers or {})},
        )
        return self._open(request)

    def form(self, path: str, action: str) -> dict:
        """The hidden fields of the form posting to ``action`` on page ``path``."""
        doc = self.get(path).doc()
        for form in doc.iter("form"):
            if form.get("action") == action:
                return {
                    i.get("name"): i.get("value")
                    for i in form.iter("input")
                    if i.get("type") == "hidden"
                }
        raise AssertionError(f"no form posting to {action} on {path}")
