"""Paper per slip: the length in mm of every service's slip at 58 and 80 mm, the index
slip, and how many slips a roll gives. Measured from the exact bytes ``kiosk slip``
sends (kiosk/printer/paper.py: line feeds at the profile's line spacing, images,
feeds; 203 dpi).

Run: .venv/bin/python -m bench.paper [--catalog-size 400] [--roll-m 30] [--markdown]
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys

from kiosk.catalog.model import Catalog
from kiosk.catalog.release import bundled_release_path, load_release
from kiosk.config import load_config
from kiosk.printer.paper import paper_mm
from kiosk.slips.layout import index_slip, service_slip
from kiosk.slips.render import DEFAULT_PROFILES, slip_bytes

from .table import markdown_table

WIDTHS = (58, 80)


def grown_catalog(catalog: Catalog, size: int) -> Catalog:
    """A synthetic catalog of ``size`` services: copies of the real ones, renamed."""
    services = []
    for n in range(size):
        base = catalog.services[n % len(catalog.services)]
        copy = n // len(catalog.services)
        if copy == 0:
            services.append(base)
            continue
        services.append(
            dataclasses.replace(base, id=f"{base.id}-{copy}", name=f"{base.name} ({copy + 1})")
        )
    return dataclasses.replace(catalog, services=tuple(services))


def slip_mm(slip) -> float:
    profile = DEFAULT_PROFILES[slip.paper_width]
    return paper_mm(slip_bytes(slip, profile), profile)


def measure(catalog: Catalog, config) -> dict:
    """{"services": {id: {58: mm, 80: mm}}, "index": {58: mm, 80: mm}}"""
    services = {
        s.id: {w: slip_mm(service_slip(catalog, s, config, w)) for w in WIDTHS}
        for s in catalog.services
    }
    index = {w: slip_mm(index_slip(catalog, config, w)) for w in WIDTHS}
    return {"services": services, "index": index}


def summary_rows(figures: dict, roll_m: float) -> list[list[str]]:
    rows = []
    for width in WIDTHS:
        lengths = [mm[width] for mm in figures["services"].values()]
        median = statistics.median(lengths)
        rows.append(
            [
                f"{width} mm",
                f"{min(lengths):.0f}",
                f"{median:.0f}",
                f"{max(lengths):.0f}",
                f"{figures['index'][width]:.0f}",
                f"{roll_m * 1000 / median:.0f}",
            ]
        )
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roll-m", type=float, default=30.0, help="roll length in metres")
    parser.add_argument("--catalog-size", type=int, default=0, help="synthetic catalog size")
    args = parser.parse_args(argv)
    config = load_config(env={})
    catalog = load_release(bundled_release_path())
    if args.catalog_size:
        catalog = grown_catalog(catalog, args.catalog_size)
    figures = measure(catalog, config)
    per_service = [
        [sid, f"{mm[58]:.0f}", f"{mm[80]:.0f}"] for sid, mm in figures["services"].items()
    ]
    per_service.append(
        ["(index slip)", f"{figures['index'][58]:.0f}", f"{figures['index'][80]:.0f}"]
    )
    print(f"Slip length in mm ({len(catalog.services)} services)\n")
    print(markdown_table(["slip", "58 mm paper", "80 mm paper"], per_service))
    print()
    print(
        markdown_table(
            [
                "paper",
                "shortest",
                "median",
                "longest",
                "index",
                f"median slips per {args.roll_m:g} m roll",
            ],
            summary_rows(figures, args.roll_m),
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
