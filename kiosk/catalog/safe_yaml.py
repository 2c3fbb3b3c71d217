"""Reading hand-written YAML that may be hostile: checked before anything is built.

A catalog source file is small (a service is about 3 KB). Before PyYAML builds a single
Python object, the file must be at most :data:`MAX_BYTES`, and its event stream (from
libyaml's C parser when python3-yaml has it, 7-8x faster) must hold no anchor or alias
(a "billion laughs" file expands to gigabytes), nest at most :data:`MAX_DEPTH` deep,
hold at most :data:`MAX_NODES` values and no value over :data:`MAX_SCALAR` characters
(a 100,000-digit number). Every refusal is a :class:`YamlRefused` with the line, so
the catalog check shows it as one problem line, like a syntax error.

PyYAML is imported on first use: kiosks read compiled releases, never YAML.
"""

from __future__ import annotations

import reprlib
from functools import cache
from pathlib import Path
from typing import Any

MAX_BYTES = 1_000_000
MAX_DEPTH = 32
MAX_NODES = 50_000
MAX_SCALAR = 20_000

_SHOWN = reprlib.Repr()
_SHOWN.maxstring = _SHOWN.maxother = 60
_SHOWN.maxlist = _SHOWN.maxtuple = _SHOWN.maxdict = _SHOWN.maxset = 4
_SHOWN.maxlevel = 2


class YamlRefused(ValueError):
    """A source file that is not read: too big, not YAML, or shaped to hurt."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def shown(value: Any) -> str:
    """``value`` for a message: its repr, cut short, so no message expands a structure."""
    return _SHOWN.repr(value)


@cache
def loader() -> Any:
    """PyYAML's safe loader (the C one where available) that keeps dates as text, so a
    bad date is the catalog check's problem to report, not a bare ValueError."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class NoDatesLoader(base):  # type: ignore[misc, valid-type]
        pass

    NoDatesLoader.yaml_implicit_resolvers = {
        key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return NoDatesLoader


def check_size(path: Path) -> None:
    """Refuse a file over MAX_BYTES before reading it."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise YamlRefused(f"is {size:,} bytes; a source file may be at most {MAX_BYTES:,}")


def load(text: str) -> Any:
    """The data in ``text``, or YamlRefused saying why not (and where)."""
    import yaml

    if len(text) > MAX_BYTES:
        raise YamlRefused(
            f"is {len(text):,} characters; a source file may be at most {MAX_BYTES:,}"
        )
    try:
        _check_events(text)
        return yaml.load(text, Loader=loader())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        what = getattr(exc, "problem", None) or str(exc)
        raise YamlRefused(f"YAML syntax error: {what}", mark.line + 1 if mark else None) from None
    except (ValueError, RecursionError, OverflowError, MemoryError) as exc:
        if isinstance(exc, YamlRefused):
            raise
        raise YamlRefused(f"cannot be read: {shown(str(exc))}") from None


def _check_events(text: str) -> None:
    """Walk the parser's events (no objects built) and refuse what could hurt."""
    import yaml

    depth = nodes = 0
    for event in yaml.parse(text, Loader=loader()):
        line = event.start_mark.line + 1 if event.start_mark else None
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise YamlRefused("anchors and aliases (& and *) are not allowed", line)
        if isinstance(event, yaml.NodeEvent):
            nodes += 1
            if nodes > MAX_NODES:
                raise YamlRefused(f"has more than {MAX_NODES:,} values", line)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlRefused(f"nests deeper than {MAX_DEPTH} levels", line)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.ScalarEvent) and len(event.value) > MAX_SCALAR:
            raise YamlRefused(f"has a value of {len(event.value):,} characters", line)
