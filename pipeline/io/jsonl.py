"""Read JSON-lines files object by object, naming file and line on every error."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from pipeline.errors import InputError


def read_json_lines(path: Path | str, *, comment: str | None = None) -> Iterator[tuple[int, object]]:
    """Yield (line number, parsed object) for each non-blank line; raise InputError on bad input.

    With ``comment`` (e.g. "//"), lines starting with it are skipped (the data files use that).
    """
    try:
        with Path(path).open(encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, start=1):
                if not line.strip() or (comment and line.lstrip().startswith(comment)):
                    continue
                try:
                    yield lineno, json.loads(line)
                except json.JSONDecodeError as e:
                    raise InputError(str(path), f"malformed JSON: {e.msg}", line=lineno) from e
    except FileNotFoundError as e:
        raise InputError(str(path), "no such file") from e
    except UnicodeDecodeError as e:
        raise InputError(str(path), f"not UTF-8 at byte {e.start}") from e
    except OSError as e:
        raise InputError(str(path), f"cannot read file ({e.strerror})") from e
