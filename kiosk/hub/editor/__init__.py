"""The catalog editor of the staff console (``/katalog/``): edit, check, preview, confirm
and publish the catalog's YAML sources.

- ``source``: read/write the YAML files keeping comments and order; content hashes refuse
  a file changed on disk while it was open in the browser.
- ``service_form``, ``places_form``: form fields ↔ YAML for a service, offices, villages.
- ``problems``: the validator's problems as Indonesian messages next to their form fields.
- ``preview``: the service page exactly as a kiosk renders it, and the slip (text, PNG).
- ``history``: every published release with who published it and its sources; diffs.
- ``publish``: a draft (the YAML folder) becomes a signed release; roll back.
- ``views``: the Flask blueprint (thin); ``text``: every Indonesian word staff read here.
"""
