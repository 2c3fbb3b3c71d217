"""Independent checks of poster files: zbar decodes, poppler and librsvg render.

None of these share code with segno or our writers (Debian zbar-tools,
poppler-utils, librsvg2-bin; scripts/install-test-deps installs them).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

TOOLS = ("zbarimg", "pdftoppm", "pdftotext", "rsvg-convert")


def require_tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        raise RuntimeError(f"missing {', '.join(missing)}: run scripts/install-test-deps")


def zbar(png: bytes) -> list[str]:
    """Every QR code zbar finds in a PNG, sorted."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "image.png"
        path.write_bytes(png)
        result = subprocess.run(
            ["zbarimg", "--nodbus", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(path)],
            capture_output=True,
            timeout=60,
        )
    if result.returncode == 4:  # zbarimg: no barcode detected
        return []
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    return sorted(result.stdout.decode("utf-8").splitlines())


def pdf_to_png(pdf: bytes, dpi: int = 150) -> bytes:
    result = subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", "-singlefile", "-"],
        input=pdf,
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    return result.stdout


def pdf_text(pdf: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, timeout=60
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    return result.stdout.decode("utf-8")


def svg_to_png(svg: bytes, dpi: int = 150) -> bytes:
    result = subprocess.run(
        ["rsvg-convert", "-d", str(dpi), "-p", str(dpi), "-f", "png", "-b", "white"],
        input=svg,
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    return result.stdout


def parse_wifi(payload: str) -> dict[str, str]:
    """Fields of a ``WIFI:`` payload, unescaped by the ZXing rules (backslash takes
    the next character literally; an unescaped ``;`` ends a field)."""
    assert payload.startswith("WIFI:"), payload
    assert payload.endswith(";;"), payload
    fields: dict[str, str] = {}
    body = payload[len("WIFI:") :]
    i = 0
    while i < len(body) and body[i] != ";":
        key, sep, _ = body[i:].partition(":")
        assert sep and len(key) == 1, f"bad field at {body[i:]!r}"
        i += len(key) + 1
        value = []
        while body[i] != ";":
            if body[i] == "\\":
                i += 1
            value.append(body[i])
            i += 1
        fields[key] = "".join(value)
        i += 1
    assert body[i:] == ";", f"trailing data {body[i:]!r}"
    return fields
