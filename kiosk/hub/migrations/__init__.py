"""Alembic migrations of the hub database (run by kiosk.hub.db.upgrade)."""
