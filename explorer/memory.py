"""Keep large numpy temporaries on the heap (glibc).

glibc serves allocations above a dynamic threshold with fresh mmap() pages,
and a fresh page costs a page fault on first touch: a 512×512 float64
temporary then takes twice as long to fill as one reused from the heap. Every
surface, gradient and contour computation allocates such temporaries, so the
application fixes the threshold high at start; memory is still reused, only
not returned to the system after every array.
"""

from __future__ import annotations

import ctypes

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
THRESHOLD = 64 * 2**20


def keep_large_arrays_on_heap() -> bool:
    """Raise glibc's mmap and trim thresholds; False where there is no glibc."""
    try:
        # the symbols already loaded, the C library's among them: no search for it
        # (ctypes.util.find_library runs ldconfig, ~7 ms of every start)
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    return bool(mallopt(M_MMAP_THRESHOLD, THRESHOLD)) and bool(
        mallopt(M_TRIM_THRESHOLD, 2 * THRESHOLD)
    )
