"""HTTP: POST each bundle to the hub's ``report_url``; the answer is a signed ack.

urllib3 (already on every kiosk with python-tuf) with the sync timeouts. A refusal
comes back as ``{"error": "<plain reason>"}`` with 400/403; anything else that is not
a signed acknowledgement (a captive portal's page, a proxy's error) is a failure too.
The caller keeps every record until an acknowledgement names it.
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import ReportError

MAX_ANSWER = 256 * 1024


class ReportRefused(ReportError):
    """The hub answered and said no (wrong code, unenrolled, revoked, ...): trying again
    will not help until someone acts; the message says what to do."""


def post_bundle(
    url: str, data: bytes, *, connect_timeout: float, read_timeout: float, pool: Any = None
) -> bytes:
    """Send one bundle; return the hub's acknowledgement bytes (not yet verified)."""
    import urllib3

    pool = pool or urllib3.PoolManager(retries=False)
    # Host and Content-Length only: every push is paid in the village's mobile data.
    skip = urllib3.util.SKIP_HEADER
    lean = {"User-Agent": skip, "Accept-Encoding": skip}
    timeout = urllib3.Timeout(connect=connect_timeout, read=read_timeout)
    try:
        answer = pool.request(
            "POST",
            url,
            body=data,
            headers=lean,
            timeout=timeout,
            preload_content=False,
            redirect=False,
        )
        try:
            body = answer.read(MAX_ANSWER + 1)
        finally:
            answer.release_conn()
    except urllib3.exceptions.HTTPError as exc:
        raise ReportError(
            f"the hub at {url} cannot be reached or stopped answering ({_why(exc)})"
        ) from None
    if answer.status == 200 and len(body) <= MAX_ANSWER:
        return bytes(body)
    reason = _refusal(answer.status, body, url)
    raise ReportRefused(reason) if answer.status in (400, 403, 413) else ReportError(reason)


def _why(exc: Exception) -> str:
    reason = getattr(exc, "reason", None)
    return str(reason or exc.__class__.__name__)[:200]


def _refusal(status: int, body: bytes, url: str) -> str:
    try:
        reason = json.loads(body[:4096])["error"]
    except (ValueError, KeyError, TypeError):
        reason = None
    if isinstance(reason, str) and status in (400, 403, 413):
        return f"the hub refused the report ({status}): {reason[:500]}"
    if status >= 500:
        return f"the hub had an internal error ({status}); it will be tried again"
    return f"the hub at {url} answered {status}, not a report acknowledgement (wrong report_url?)"
