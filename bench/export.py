"""Write the kiosk's pre-rendered pages to a folder that nginx can serve as is."""

from __future__ import annotations

from pathlib import Path

from kiosk.web.pages import Site


def file_for(path: str) -> str:
    """URL path → file name under the root: '/' → 'index.html', '/a/b' → 'a/b.html'."""
    if path == "/":
        return "index.html"
    if not path.startswith("/") or ".." in path:
        raise ValueError(f"not a page path: {path!r}")
    return path.lstrip("/") + ".html"


def export_site(site: Site, root: Path, search_query: str) -> list[str]:
    """Write every page (plain + .gz for gzip_static) and the search page for
    ``search_query`` as cari.html; return the URL paths written."""
    pages = dict(site.pages)
    pages["/cari"] = site.search_page(search_query)
    for path, page in pages.items():
        target = root / file_for(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(page.body)
        target.with_name(target.name + ".gz").write_bytes(page.gzipped)
    return sorted(pages)
