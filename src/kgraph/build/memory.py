"""Giving memory back to the system once a stage has let go of something big.

The working store of a build in memory (4-5 GB at 10M statements) is millions of small
allocations; when it is dropped, glibc keeps the freed pages in the process (measured: a
1.5M-statement store took 571 MB, 500 MB stayed resident after it was dropped, 23 MB after
malloc_trim). The build's other processes (the history, the release store) run meanwhile
and need that memory.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc


def give_back() -> bool:
    """Collect garbage and return the C heap's free memory to the system (glibc's malloc_trim);
    whether it could (False where the C library has no malloc_trim)."""
    gc.collect()
    name = ctypes.util.find_library("c")
    try:
        trim = ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return False
    if trim is None:
        return False
    trim(0)
    return True
