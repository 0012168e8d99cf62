"""A bad edit never replaces the last good playbook; a good edit does."""

from __future__ import annotations

import os
from pathlib import Path

from concierge.runtime.reloader import Reloader


def write(path: Path, text: str, bump: int) -> None:
    path.write_text(text, encoding="utf-8")
    stamp = 1_700_000_000 + bump
    os.utime(path, (stamp, stamp))


def load_number(path: Path) -> int:
    return int(path.read_text(encoding="utf-8"))


async def test_good_edit_swaps_bad_edit_keeps_last_good(tmp_path: Path) -> None:
    source = tmp_path / "value.txt"
    write(source, "1", 0)
    reloader = Reloader(lambda: load_number(source), [tmp_path])
    assert reloader.current == 1
    assert not await reloader.check()  # nothing changed
    write(source, "not a number", 1)
    assert not await reloader.check()
    assert reloader.current == 1
    assert reloader.last_error is not None
    write(source, "2", 2)
    assert await reloader.check()
    assert reloader.current == 2
    assert reloader.last_error is None
