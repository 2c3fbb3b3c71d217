"""Printer backends, chosen by the ``printer`` setting.

Every backend takes finished ESC/POS bytes (see kiosk/slips/render.py) and either
writes them or raises PrinterUnavailable with a plain reason. Nothing may block
forever: every transport has a timeout. Opening is lazy and a failed backend closes
itself, so the worker can simply try again later (the printer may be replugged).

    type = "usb"      vendor = 0x0416, product = 0x5011 [, in_ep, out_ep, timeout, profile]
    type = "serial"   device = "/dev/serial0" [, baudrate = 9600, dsrdtr = false, timeout]
    type = "network"  host = "192.168.1.50:9100" (or host + port) [, timeout]
    type = "file"     device = "/dev/usb/lp0" [, timeout]
    type = "folder"   folder = "<state>/slips" (demo default: .bin + .txt per slip)
    type = "dummy"    keeps the bytes in memory (tests, KIOSK_PRINTER=dummy)
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import select
import socket
import struct
import termios
import time
from pathlib import Path

from ..config import Config
from ..errors import ConfigError, PrinterOffline, PrinterUnavailable
from ..fsutil import atomic_write_bytes

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 10.0  # seconds for one slip to go out
CHUNK = 4096  # bytes per write: cheap USB printers choke on one big bulk transfer

PAPER_OK, PAPER_OUT, PAPER_UNKNOWN = "ok", "out", "unknown"


class Backend:
    """Base: ``write`` bytes, ``paper`` status (best effort), ``close``."""

    kind = "?"
    profile: str | None = None
    native_qr: bool | None = None

    def describe(self) -> str:
        return self.kind

    def write(self, data: bytes, name: str = "slip", preview: str = "") -> None:
        raise NotImplementedError

    def paper(self) -> str:
        return PAPER_UNKNOWN

    def close(self) -> None:
        pass


class DummyBackend(Backend):
    """Keeps every slip's bytes in ``jobs``."""

    kind = "dummy"

    def __init__(self):
        self.jobs: list[bytes] = []

    def write(self, data: bytes, name: str = "slip", preview: str = "") -> None:
        self.jobs.append(data)


class FolderBackend(Backend):
    """Writes each slip as ``<folder>/<time>-<name>.bin`` plus a ``.txt`` preview."""

    kind = "folder"

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)
        self.written: list[Path] = []

    def describe(self) -> str:
        return f"folder {self.folder}"

    def write(self, data: bytes, name: str = "slip", preview: str = "") -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            stem = f"{time.strftime('%Y%m%d-%H%M%S')}-{time.time_ns() % 10**9:09d}-{name}"
            path = self.folder / f"{stem}.bin"
            if preview:
                atomic_write_bytes(path.with_suffix(".txt"), preview.encode("utf-8") + b"\n")
            atomic_write_bytes(path, data)
        except OSError as exc:
            raise PrinterUnavailable(f"cannot write to folder {self.folder}: {exc}") from exc
        self.written.append(path)
        log.info("slip %s written to %s", name, path)


class DeviceFileBackend(Backend):
    """A printer device node such as /dev/usb/lp0 (kernel usblp driver).

    Opened non-blocking and written with a deadline: a plain write() to a printer
    that is out of paper can hang forever.
    """

    kind = "file"

    def __init__(self, device: str, timeout: float = DEFAULT_TIMEOUT):
        self.device = device
        self.timeout = timeout

    def describe(self) -> str:
        return f"device file {self.device}"

    def write(self, data: bytes, name: str = "slip", preview: str = "") -> None:
        try:
            fd = os.open(self.device, os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY)
        except FileNotFoundError:
            raise PrinterOffline(
                f"{self.device} does not exist (printer unplugged or off?)"
            ) from None
        except OSError as exc:
            raise PrinterUnavailable(f"cannot open {self.device}: {exc.strerror}") from None
        try:
            deadline = time.monotonic() + self.timeout
            view = memoryview(data)
            while view:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise PrinterOffline(
                        f"{self.device} took more than {self.timeout:g} s "
                        "(out of paper or offline?)"
                    )
                _, writable, _ = select.select([], [fd], [], left)
                if not writable:
                    continue
                try:
                    sent = os.write(fd, view[:CHUNK])
                except BlockingIOError:
                    time.sleep(0.01)
                    continue
                except OSError as exc:
                    if exc.errno == errno.EINTR:
                        continue
                    raise PrinterUnavailable(
                        f"writing to {self.device} failed: {exc.strerror}"
                    ) from None
                view = view[sent:]
        finally:
            os.close(fd)


class EscposBackend(Backend):
    """A python-escpos printer (Usb, Serial), created and opened lazily.

    Any failure closes it, so the next try builds a fresh object: that is how a
    replugged USB printer is found again (python-escpos#437).
    """

    def __init__(self, kind: str, make, describe: str, can_read_status: bool = True):
        # make: builds the python-escpos object; called again after every failure
        self.kind = kind
        self._make = make
        self._describe = describe
        self._printer = None
        self.can_read_status = can_read_status

    def describe(self) -> str:
        return self._describe

    def _open(self):
        if self._printer is None:
            printer = self._make()
            try:
                printer.open(raise_not_found=True)
            except BaseException:
                _quiet_close(printer)
                raise
            self._printer = printer
        return self._printer

    def _call(self, action):
        try:
            return action(self._open())
        except PrinterUnavailable:
            self.close()
            raise
        except Exception as exc:  # noqa: BLE001 - every transport has its own errors
            self.close()
            raise _unavailable(self._describe, exc) from exc

    def write(self, data: bytes, name: str = "slip", preview: str = "") -> None:
        def send(printer):
            for start in range(0, len(data), CHUNK):
                printer._raw(data[start : start + CHUNK])

        self._call(send)

    def paper(self) -> str:
        """DLE EOT 4. Replies are checked: an empty or malformed one is 'unknown', not 'ok'."""
        if not self.can_read_status:
            return PAPER_UNKNOWN
        try:
            reply = self._call(lambda p: p.query_status(b"\x10\x04\x04"))
        except PrinterUnavailable:
            raise
        if not reply or (reply[0] & 0x93) != 0x12:  # fixed bits of a real status byte
            return PAPER_UNKNOWN
        return PAPER_OUT if reply[0] & 0x60 else PAPER_OK

    def close(self) -> None:
        if self._printer is not None:
            _quiet_close(self._printer)
            self._printer = None


def _quiet_close(printer) -> None:
    try:
        printer.close()
    except Exception:  # noqa: BLE001 - closing a vanished device may fail any way it likes
        log.debug("closing printer failed", exc_info=True)


def _unavailable(what: str, exc: Exception) -> PrinterUnavailable:
    """The typed error for a transport's exception: its class decides, never its text."""
    name = type(exc).__name__
    if name in ("DeviceNotFoundError", "USBNotFoundError"):
        return PrinterOffline(f"{what}: not found (unplugged or switched off?)")
    if name == "USBTimeoutError" or isinstance(exc, TimeoutError):
        return PrinterOffline(f"{what}: no answer in time (out of paper, cover open or offline?)")
    if name == "NoBackendError":
        return PrinterUnavailable(f"{what}: libusb is missing (apt-get install libusb-1.0-0)")
    if isinstance(exc, PermissionError) or getattr(exc, "errno", None) == errno.EACCES:
        return PrinterUnavailable(f"{what}: permission denied (udev rule / group lp, dialout?)")
    if getattr(exc, "errno", None) == errno.EBUSY:
        return PrinterUnavailable(f"{what}: busy (another program uses the printer)")
    return PrinterUnavailable(f"{what}: {exc or name}")


# ---------------------------------------------------------------- from config


def _int(options: dict, key: str, default=None):
    value = options.get(key, default)
    if value is None:
        raise ConfigError(f"printer: '{key}' is required for type {options.get('type')!r}")
    if isinstance(value, str):
        try:
            return int(value, 0)
        except ValueError:
            raise ConfigError(
                f"printer: '{key}' must be a number like 0x0416, not {value!r}"
            ) from None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"printer: '{key}' must be a number, not {value!r}")
    return value


def _seconds(options: dict) -> float:
    value = options.get("timeout", DEFAULT_TIMEOUT)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ConfigError(f"printer: timeout must be a positive number of seconds, not {value!r}")
    return float(value)


KNOWN_OPTIONS = {
    "usb": {"vendor", "product", "in_ep", "out_ep", "timeout"},
    "serial": {"device", "baudrate", "dsrdtr", "timeout"},
    "network": {"host", "port", "timeout"},
    "file": {"device", "timeout"},
    "folder": {"folder"},
    "dummy": set(),
}
COMMON_OPTIONS = {"type", "profile", "native_qr"}


def make_backend(config: Config) -> Backend:
    """The backend the ``printer`` setting asks for (ConfigError names what is wrong)."""
    options = dict(config.printer)
    kind = options.get("type", "folder")
    if kind not in KNOWN_OPTIONS:
        raise ConfigError(f"printer: unknown type {kind!r} (use one of {', '.join(KNOWN_OPTIONS)})")
    unknown = set(options) - KNOWN_OPTIONS[kind] - COMMON_OPTIONS
    if unknown:
        raise ConfigError(
            f"printer: unknown option(s) {', '.join(sorted(unknown))} for type {kind!r} "
            f"(known: {', '.join(sorted(KNOWN_OPTIONS[kind] | COMMON_OPTIONS))})"
        )
    profile = options.get("profile")
    if profile is not None:
        from ..slips.render import printer_profile

        try:
            printer_profile(config.paper_width, profile)
        except KeyError:
            raise ConfigError(
                f"printer: unknown profile {profile!r} (see python-escpos profiles)"
            ) from None
    native_qr = options.get("native_qr")
    if native_qr is not None and not isinstance(native_qr, bool):
        raise ConfigError(f"printer: native_qr must be true or false, not {native_qr!r}")

    backend = _build(kind, options, config)
    backend.profile = profile
    backend.native_qr = native_qr
    return backend


def _build(kind: str, options: dict, config: Config) -> Backend:
    if kind == "dummy":
        return DummyBackend()
    if kind == "folder":
        return FolderBackend(options.get("folder") or config.state_path / "slips")
    timeout = _seconds(options)
    if kind == "file":
        return DeviceFileBackend(str(options.get("device", "/dev/usb/lp0")), timeout)

    from ..slips.render import escpos_module

    profile = options.get("profile") or None
    extra = {"profile": profile} if profile else {}
    if kind == "usb":
        vendor, product = _int(options, "vendor"), _int(options, "product")
        in_ep, out_ep = _int(options, "in_ep", 0x82), _int(options, "out_ep", 0x01)

        def make():
            # Keywords only: python-escpos 3 added a positional argument (usb_args), and
            # pyusb's timeout is milliseconds where 0 means wait forever.
            return escpos_module().Usb(
                idVendor=vendor,
                idProduct=product,
                in_ep=in_ep,
                out_ep=out_ep,
                timeout=int(timeout * 1000),
                **extra,
            )

        return EscposBackend("usb", make, f"USB printer {vendor:04x}:{product:04x}")
    if kind == "serial":
        device = str(options.get("device", "/dev/serial0"))
        baudrate = _int(options, "baudrate", 9600)
        dsrdtr = bool(options.get("dsrdtr", False))

        def make():
            printer = escpos_module().Serial(
                devfile=device, baudrate=baudrate, timeout=timeout, dsrdtr=dsrdtr, **extra
            )
            return _SerialWithWriteTimeout(printer, timeout)

        return EscposBackend("serial", make, f"serial printer {device}")
    # network
    host = str(options.get("host", ""))
    if not host:
        raise ConfigError("printer: 'host' is required for type 'network' (e.g. 192.168.1.50:9100)")
    port = 9100
    if ":" in host:
        host, _, port_text = host.rpartition(":")
        port = _int({"port": port_text, "type": "network"}, "port")
    return NetworkBackend(host, _int(options, "port", port), timeout)


class NetworkBackend(Backend):
    """A raw TCP printer (port 9100): one connection per slip, closed after it.

    Our own few lines rather than python-escpos Network, which leaks its socket when
    the connection fails and buffers until close (python-escpos#344).
    """

    kind = "network"

    def __init__(self, host: str, port: int, timeout: float = DEFAULT_TIMEOUT):
        self.host, self.port, self.timeout = host, port, timeout

    def describe(self) -> str:
        return f"network printer {self.host}:{self.port}"

    def write(self, data: bytes, name: str = "slip", preview: str = "") -> None:
        """Send ``data``; done only once the printer has taken every byte (see
        :func:`wait_until_taken`): bytes left in our kernel's queue are not a slip."""
        deadline = time.monotonic() + self.timeout
        try:
            with socket.create_connection((self.host, self.port), timeout=self.timeout) as conn:
                conn.sendall(data)
                conn.shutdown(socket.SHUT_WR)
                wait_until_taken(conn, deadline)
        except TimeoutError:
            raise PrinterOffline(f"{self.describe()}: no answer in {self.timeout:g} s") from None
        except PrinterOffline as exc:
            raise PrinterOffline(f"{self.describe()}: {exc}") from None
        except OSError as exc:
            raise PrinterOffline(f"{self.describe()}: {exc.strerror or exc}") from None


def unsent_bytes(conn: socket.socket) -> int | None:
    """Bytes still in our send queue, not yet acknowledged by the peer (Linux SIOCOUTQ);
    None where the kernel cannot say."""
    try:
        reply = fcntl.ioctl(conn.fileno(), termios.TIOCOUTQ, b"\0\0\0\0")
    except OSError:
        return None
    return int(struct.unpack("i", reply)[0])


def wait_until_taken(conn: socket.socket, deadline: float) -> None:
    """Return once the printer has acknowledged every byte; PrinterOffline if some are
    still queued at ``deadline`` (a printer that accepts and never reads)."""
    while unsent := unsent_bytes(conn):
        if time.monotonic() >= deadline:
            raise PrinterOffline(f"the printer did not take the slip ({unsent} bytes unsent)")
        time.sleep(0.02)


class _SerialWithWriteTimeout:
    """python-escpos Serial with pyserial's write_timeout set after open (it has none)."""

    def __init__(self, printer, timeout: float):
        self._printer = printer
        self._timeout = timeout

    def open(self, raise_not_found=True):
        self._printer.open(raise_not_found=raise_not_found)
        device = self._printer.device
        if device is not None and hasattr(device, "write_timeout"):
            device.write_timeout = self._timeout

    def __getattr__(self, name):
        return getattr(self._printer, name)
