"""The runner's fixture project (``tests/fixtures/run``) and the verdicts its analyses give.

The verdicts were read from each synthetic study's numbers by hand when the fixtures were
written; the runner tests compare what a run records against them.
"""

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "run"
VERDICTS = {"synthetic-clear-difference": {"lower-score": "reproduced"},
            "synthetic-no-difference": {"lower-score": "decision_flip"},
            "synthetic-counts": {"fewer-relapses": "fragile"}}
