"""Tell glibc's allocator to give freed memory back: ``kiosk serve`` runs for weeks on a
512 MB board and must not keep what a burst of requests once needed.

By default glibc gives each thread an arena of its own (waitress's workers: three) and,
once a large block was freed (a gzip level-9 compressor's state, about 300 KB, when a
search page or a one-service survey form is made), raises the size below which it
keeps freed memory rather than return it: each worker then holds about 0.5 MB it no
longer uses (1.6 MB in all at 400 services, ``bench/hostile.py``). With one arena and a
fixed 128 KB mmap threshold the same requests leave nothing behind. Python threads
seldom allocate at the same moment (the GIL), so one arena costs no speed to speak of.
Where there is no glibc (musl, macOS) this does nothing; ``MALLOC_ARENA_MAX`` or
``MALLOC_MMAP_THRESHOLD_`` in the environment win.
"""

from __future__ import annotations

import ctypes
import os

M_MMAP_THRESHOLD = -3  # glibc's <malloc.h>
M_ARENA_MAX = -8
SETTINGS = {M_ARENA_MAX: 1, M_MMAP_THRESHOLD: 128 * 1024}
ENVIRONMENT = ("MALLOC_ARENA_MAX", "MALLOC_MMAP_THRESHOLD_")


def give_memory_back() -> bool:
    """Set the allocator as above; call before any other thread starts. True if set."""
    if any(name in os.environ for name in ENVIRONMENT):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return all(mallopt(option, value) == 1 for option, value in SETTINGS.items())
