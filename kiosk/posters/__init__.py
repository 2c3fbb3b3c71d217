"""QR posters per balai desa: data first (layout.py), writers last (pdf, svg, png).

``poster_layout(village, catalog, config)`` and ``social_layout(...)`` return plain
data; ``write_pdf``, ``write_svg`` and ``write_png`` draw it to a path or a file object.
Resident-facing words live in text.py.
"""

from .layout import Poster, find_village, poster_layout, social_layout
from .pdf import write_pdf
from .png import write_png
from .svg import write_svg

__all__ = [
    "Poster",
    "find_village",
    "poster_layout",
    "social_layout",
    "write_pdf",
    "write_png",
    "write_svg",
]
