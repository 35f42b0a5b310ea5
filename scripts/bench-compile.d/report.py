"""Prints scripts/bench-compile's table: the median seconds of each variant and mode over the
rounds and its ratio to the hand-written crate's, then each crate's source lines.

    report.py RESULTS_TSV LINES_TSV ROUNDS N
"""

import statistics
import sys
from pathlib import Path

MODES = [
    "crate-clean",
    "crate-incremental",
    "crate-no-incremental",
    "caller-clean",
    "caller-incremental",
    "caller-no-incremental",
]


def main():
    results, lines, rounds, n = sys.argv[1:]
    seconds = {}
    for row in Path(results).read_text().splitlines():
        variant, mode, secs = row.split("\t")
        seconds.setdefault((variant, mode), []).append(float(secs))
    variants = list(dict.fromkeys(variant for variant, _ in seconds))
    median = {key: statistics.median(values) for key, values in seconds.items()}
    print(f"# compile cost of bindings for {n} interfaces, debug profile, median of {rounds} round(s)")
    for variant in variants:
        for mode in MODES:
            if (variant, mode) not in median:
                continue
            secs = median[(variant, mode)]
            hand = median.get(("hand", mode))
            ratio = f"{secs / hand:.2f}" if hand else "n/a"
            each = " ".join(f"{s:.2f}" for s in seconds[(variant, mode)])
            print(f"compile {variant} {mode} secs={secs:.2f} ratio_to_hand={ratio}  # rounds: {each}")
    for row in Path(lines).read_text().splitlines():
        variant, crate, compiled, caller = row.split("\t")
        print(f"lines {variant} crate={crate} crate_outside_tests={compiled} caller={caller}")


if __name__ == "__main__":
    main()
