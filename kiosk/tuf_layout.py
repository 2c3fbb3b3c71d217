"""What the hub's TUF repository (kiosk/hub) and the kiosks' client (kiosk/sync) agree on.

Only names live here: changing one breaks every kiosk in the field, so both sides
import them from this one place.
"""

from __future__ import annotations

TARGET_NAME = "catalog.json"  # the one signed target: the catalog release
ISSUED_FIELD = "x-pelita-issued"  # signed issue time in timestamp.json: the kiosks' time floor
