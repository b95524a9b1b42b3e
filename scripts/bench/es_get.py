#!/usr/bin/env python3
"""The library's own replay, the peer of `eventscope state` in scripts/bench.sh.

    /tmp/es-venv/bin/python scripts/bench/es_get.py STORE.sqlite AGGREGATE_ID

Opens the store written by es_store.py through `bankdomain.Banking` with the env it was written with
(eventsourcing.sqlite, no snapshots), loads the aggregate with `app.repository.get` (every event is selected,
decoded by the library's transcoder and applied by the aggregate's own methods) and prints its state as JSON.
The benchmark times this whole process, as it times the whole `eventscope state` process; the seconds spent in
`repository.get` alone go to stderr (`get_secs=...`).

The library switches a file it opens to WAL; scripts/bench.sh switches the store back to journal_mode=DELETE
after each run, outside the timing.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from uuid import UUID

sys.path.insert(0, str(Path(__file__).resolve().parent))

from es_store import env  # noqa: E402  (also cleans os.environ and puts bankdomain on the path)

from bankdomain import Banking  # noqa: E402


def get_and_print(app: Banking, aggregate_id: UUID) -> None:
    """`app.repository.get(aggregate_id)`, its state printed as JSON; its seconds on stderr; closes APP."""
    try:
        started = time.perf_counter()
        account = app.repository.get(aggregate_id)
        get_secs = time.perf_counter() - started
    finally:
        app.close()
    state = {key: str(value) for key, value in vars(account).items() if key != "_pending_events"}
    print(json.dumps(state, ensure_ascii=False, indent=2))
    print(f"get_secs={get_secs:.3f}", file=sys.stderr)


def main() -> None:
    store, aggregate_id = Path(sys.argv[1]).resolve(), UUID(sys.argv[2])
    get_and_print(Banking(env=env(store)), aggregate_id)


if __name__ == "__main__":
    main()
