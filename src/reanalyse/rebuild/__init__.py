"""The tests a paper could have run, rebuilt from its printed summaries over their rounding
boxes: two-sample and k-sample tests of means (:mod:`~reanalyse.rebuild.continuous`), the 2 x 2
tests over every count pair a percentage allows (:mod:`~reanalyse.rebuild.binary`), the p of
the paper's own statistic or CI (:mod:`~reanalyse.rebuild.reported`), and their result records
(:mod:`~reanalyse.rebuild.results`)."""
