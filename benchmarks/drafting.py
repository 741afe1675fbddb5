"""Quality of drafting on a corpus of real trial abstracts: precision and recall of numbers and
claims, and the share of texts whose arms are right.

Each ``tests/drafting/corpus/NAME.txt`` (an abstract or results paragraph, cited in
``NAME.yaml``) is drafted with :func:`reanalyse.draft` and scored against ``NAME.yaml``, a
transcription made by hand from the same text (:mod:`reanalyse.drafting.compare` says what
counts as right).  With ``--details`` every wrong and missed number is listed per text.

Usage: ``python benchmarks/drafting.py [--corpus DIR] [--details]``
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from reanalyse.drafting.compare import score_corpus

CORPUS = Path(__file__).parent.parent / "tests" / "drafting" / "corpus"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--details", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    result = score_corpus(args.corpus)
    seconds = time.perf_counter() - started
    studies = result.studies
    print(f"{'text':36} {'numbers right/drafted/expected':>31} {'claims':>14}  arms")
    for name, score in studies.items():
        print(f"{name:36} {score.numbers_right:>11}/{score.numbers_drafted}/{score.numbers_expected:<10}"
              f"{score.claims_right:>9}/{score.claims_drafted}/{score.claims_expected:<4}"
              f"  {'right' if score.arms_right else 'WRONG'}")
        if args.details:
            for fact in score.wrong:
                print(f"    wrong  {fact}")
            for fact in score.missed:
                print(f"    missed {fact}")
            for claim in score.claims_wrong:
                print(f"    wrong claim  {claim}")
            for claim in score.claims_missed:
                print(f"    missed claim {claim}")
    totals = {key: sum(getattr(s, key) for s in studies.values())
              for key in ("numbers_right", "numbers_drafted", "numbers_expected",
                          "claims_right", "claims_drafted", "claims_expected")}
    print(f"\n{len(studies)} texts drafted in {seconds:.1f} s")
    print(f"numbers: precision {result.number_precision:.1%} ({totals['numbers_right']}/"
          f"{totals['numbers_drafted']}), recall {result.number_recall:.1%} "
          f"({totals['numbers_right']}/{totals['numbers_expected']})")
    print(f"claims:  precision {result.claim_precision:.1%} ({totals['claims_right']}/"
          f"{totals['claims_drafted']}), recall {result.claim_recall:.1%} "
          f"({totals['claims_right']}/{totals['claims_expected']})")
    print(f"arms right: {result.arms_right:.1%} "
          f"({sum(s.arms_right for s in studies.values())}/{len(studies)})")


if __name__ == "__main__":
    main()
