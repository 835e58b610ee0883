"""A worker's memory between applications: what it freed goes back to the system (glibc only).

A worker reads pages of 5-10 MB and runs models whose activations come and go;
without this, one that had read a few hundred pages held 1-1.5 GB it was not using.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from contextlib import contextmanager
from typing import Iterator


@functools.cache
def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None


@functools.cache
def _large_blocks_outside_heap() -> None:
    """Blocks of 8 MB and more (page images) are mapped apart from glibc's heap, so freeing them gives
    the memory back. glibc's own threshold climbs to 32 MB as such blocks are freed. A lower
    threshold (1 MB) kept memory lower still, at a third more time: every model activation then
    costs fresh pages from the system."""
    libc = _libc()
    if libc is not None and hasattr(libc, "mallopt"):
        libc.mallopt(-3, 8 << 20)  # M_MMAP_THRESHOLD


@contextmanager
def returned_after() -> Iterator[None]:
    """Around one application: afterwards, the heap hands back what it holds free."""
    _large_blocks_outside_heap()
    try:
        yield
    finally:
        libc = _libc()
        if libc is not None and hasattr(libc, "malloc_trim"):
            libc.malloc_trim(0)
