"""Mastodon-style snowflake ids: milliseconds since the epoch shifted left by 16 bits, with a
16-bit sequence below. They sort by creation time, so they order timelines and score feeds."""

import os
import random
import threading
import time
from datetime import datetime

_lock = threading.Lock()
_state = {"ms": 0, "seq": 0, "pid": os.getpid()}


def snowflake_from_time(moment: datetime, sequence: int = 0) -> int:
    return (int(moment.timestamp() * 1000) << 16) | (sequence & 0xFFFF)


def generate_snowflake() -> int:
    with _lock:
        now = int(time.time() * 1000)
        if _state["pid"] != os.getpid() or now != _state["ms"]:
            # A random start per millisecond and process keeps concurrent workers apart.
            _state.update(ms=now, seq=random.randrange(0, 0xFFFF), pid=os.getpid())
        _state["seq"] = (_state["seq"] + 1) & 0xFFFF
        return (now << 16) | _state["seq"]


def snowflake_time(snowflake: int) -> float:
    return (snowflake >> 16) / 1000
