"""Run one benchmark against its own database and Redis (see README, "Benchmarks"):

python benchmarks/run.py fanout [SIZE ...]   # default: 10000 100000
python benchmarks/run.py home
python benchmarks/run.py rebuild
python benchmarks/run.py streaming [--clients 1000] [--posts 20] [--scenario public|user|both]
python benchmarks/run.py import_archive [POSTS]   # default: 50000
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import common  # noqa: E402


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("fanout", "home", "rebuild", "streaming", "import_archive"):
        print(__doc__)
        return 2
    if argv[0] == "streaming":  # starts its own server and seeds its own users
        from benchmarks import streaming

        streaming.main(argv[1:])
        return 0
    common.setup()
    print(f"benchmark {argv[0]} on {common.machine()}")
    print(f"started {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}")
    if argv[0] == "fanout":
        from benchmarks import fanout

        sizes = tuple(int(a) for a in argv[1:]) or (10_000, 100_000)
        fanout.run(sizes)
    elif argv[0] == "home":
        from benchmarks import home

        home.run()
    elif argv[0] == "import_archive":
        from benchmarks import import_archive

        import_archive.run(int(argv[1]) if len(argv) > 1 else import_archive.POSTS)
    else:
        from benchmarks import rebuild

        rebuild.run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
