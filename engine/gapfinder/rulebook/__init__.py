"""Stage 3, the rulebook: `rules/*.rules` in, compiled rules and cue logic out.

Reads the user-editable rule files (gap phrases per label, cue words, actions), checks
them (`file:line: what is wrong`), guards their regular expressions, and decides for a
matched phrase whether the text states a gap, a strength, or nothing (negation, praise,
hedges, non-issues). Named `rulebook` so it is not confused with the `rules/` data folder.
"""
