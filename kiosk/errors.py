"""The kiosk's exceptions, one small tree so the edges can translate them.

KioskError
  ConfigError(KioskError, ValueError)       a bad setting in kiosk.toml or KIOSK_* env
  CatalogInvalid(KioskError, ValueError)    a catalog with problems; ``.problems`` lists them all
  ReleaseInvalid(KioskError, ValueError)    a compiled release that cannot be loaded
  PrinterUnavailable(KioskError, OSError)   the printer cannot be opened or written
    PaperOut(PrinterUnavailable)            the printer itself said it has no paper
    PrinterOffline(PrinterUnavailable)      not found, no answer, or did not take the bytes
  SyncError(KioskError)                     a catalog update was refused or failed
    SyncBusy(SyncError)                     another sync holds the lock
  SpoolJobInvalid(KioskError, ValueError)   a print job file that cannot be printed (moved aside)
  RecordInvalid(KioskError, ValueError)     a report record body of the wrong shape; ``.problems``
  OutboxRefused(KioskError)                 the outbox cannot take a record (plain message)
    OutboxFull(OutboxRefused)               at its size bound
    HubKeyMissing(OutboxRefused)            a resident's record, before the hub's key arrived
  ReportError(KioskError)                   reports could not be delivered (they stay queued)

The web shows residents a friendly Indonesian page; the CLI prints ``Error: <message>``.
"""

from collections.abc import Iterable
from typing import Any


class KioskError(Exception):
    """Base class of every error the kiosk raises on purpose."""


class ConfigError(KioskError, ValueError):
    """A setting has a value the kiosk cannot use."""


class CatalogInvalid(KioskError, ValueError):
    """The catalog has problems; all of them are in ``problems``."""

    def __init__(self, problems: Iterable[Any]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        super().__init__(f"catalog has {count} problem{'s' if count != 1 else ''}")


class ReleaseInvalid(KioskError, ValueError):
    """A compiled catalog release is damaged or of an unknown format."""


class PrinterUnavailable(KioskError, OSError):
    """The printer cannot be reached: unplugged, off, or out of paper."""


class PaperOut(PrinterUnavailable):
    """The printer reported (in its status byte) that the paper roll is out."""


class PrinterOffline(PrinterUnavailable):
    """The printer is not there, does not answer, or did not take what was sent."""


class SyncError(KioskError):
    """A catalog update could not be accepted; the kiosk keeps its last good catalog."""


class FormRefused(SyncError):
    """A smaller form of a release (packed, or a patch) does not give the signed release;
    the kiosk takes the next form, the whole release last."""


class SpoolJobInvalid(KioskError, ValueError):
    """A print job in the spool folder is damaged or names an unknown service."""


class SyncBusy(SyncError):
    """Another sync is running (one at a time); this one changed nothing."""


class RecordInvalid(KioskError, ValueError):
    """A report record whose body does not have its kind's shape; ``problems`` lists all."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems[:5]) + (" ..." if len(self.problems) > 5 else ""))


class OutboxRefused(KioskError):
    """The outbox cannot take this record now; nothing was written. The message is plain."""


class OutboxFull(OutboxRefused):
    """The outbox is at its size bound (the hub has not confirmed older records yet)."""


class HubKeyMissing(OutboxRefused):
    """A resident's record cannot be sealed: the kecamatan's key has not arrived yet."""


class ReportError(KioskError):
    """Reports could not be delivered to the hub (kept in the outbox for the next try)."""
