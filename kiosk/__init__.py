"""Pelita Kiosk: an offline information kiosk for village halls."""

__version__ = "0.1.0"
