"""What the binary-payload generators (msgpack/generate.py, cbor/generate.py) share: map keys written as
Eventscope writes a key that is not a string (see the repository README, "Binary payloads"), and streams
interleaved in time with each stream's versions in order. Standard library only."""

from __future__ import annotations

import json
import random


def key_text(key) -> str:
    """A decoded map key as Eventscope writes it: strings as they are, others as `$<kind>:<value>`."""
    if isinstance(key, str):
        return key
    if isinstance(key, bytes):
        return "$bytes:" + key.hex()
    if key is None:
        return "$null"
    if isinstance(key, bool):
        return "$bool:" + json.dumps(key)
    if isinstance(key, int):
        return f"$int:{key}"
    if isinstance(key, float):
        return "$float:" + json.dumps(key)
    raise TypeError(f"no rendering for key {key!r}")


def interleave(rng: random.Random, pending: dict[str, list]) -> list[tuple[str, object]]:
    """Every stream's items, the streams picked at random, each stream's items kept in order."""
    streams = list(pending)
    ordered = []
    while any(pending.values()):
        stream = rng.choice([s for s in streams if pending[s]])
        ordered.append((stream, pending[stream].pop(0)))
    return ordered
