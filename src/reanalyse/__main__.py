"""``python -m reanalyse``: the same command line as the ``reanalyse`` script."""

import sys

from reanalyse.cli import main

sys.exit(main())
