"""The SQL of the triggers that keep the figures: `common` (the pieces both layers share), `summary` (attendance ->
participation summary, run by triggers.py) and `rollup` (summary and learners -> the four rollup tables, run by
rollup.py). Builders return statements; the modules that install them run them."""
