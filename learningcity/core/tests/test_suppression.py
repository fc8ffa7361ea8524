"""Small-number suppression: hand-made tables, including ones where simple suppression leaks."""

from learningcity.analytics.indicators import lattice_lines, suppressed_keys
from learningcity.analytics.measures import rollup
from learningcity.core.suppression import SUPPRESSED_LABEL, Line, display, suppress, two_way_lines


def test_counts_under_five_are_hidden_and_shown_as_lt5():
    result = suppress({"a": 4, "b": 5, "c": 0, "d": 120})
    assert result.primary == {"a", "c"}
    assert display(4, result.is_suppressed("a")) == SUPPRESSED_LABEL == "<5"
    assert display(5, result.is_suppressed("b")) == "5"


def test_simple_suppression_leaks_through_the_total_and_complementary_fixes_it():
    # Women 3, men 40, total 43: hiding only the 3 lets anyone compute 43 - 40 = 3.
    values = {"F": 3, "M": 40, "total": 43}
    lines = [Line(total="total", members=["F", "M"])]
    result = suppress(values, lines)
    assert result.primary == {"F"}
    assert result.complementary == {"M"}  # so 43 - ? cannot be solved
    assert not result.is_suppressed("total")


def test_the_smallest_other_cell_is_hidden_not_the_largest():
    values = {"Thái": 2, "Kinh": 30, "Hmông": 9, "Mường": 7, "all": 48}
    result = suppress(values, [Line("all", ["Thái", "Kinh", "Hmông", "Mường"])])
    assert result.suppressed == {"Thái", "Mường"}


def test_two_hidden_cells_that_add_up_to_less_than_five_still_leak():
    # 1 + 2 hidden under a shown total: the reader learns "the two groups together are 3 people".
    values = {"a": 1, "b": 2, "c": 50, "t": 53}
    result = suppress(values, [Line("t", ["a", "b", "c"])])
    assert result.suppressed == {"a", "b", "c"}


def test_two_fours_would_be_pinned_by_their_labels():
    # a + b = 8 and both are "<5": each must be 4. One bigger cell must be hidden with them.
    values = {"a": 4, "b": 4, "c": 30, "d": 60, "t": 98}
    result = suppress(values, [Line("t", ["a", "b", "c", "d"])])
    assert result.suppressed == {"a", "b", "c"}


def test_a_line_of_only_small_cells_hides_its_total():
    values = {"a": 1, "b": 2, "t": 3}
    result = suppress(values, [Line("t", ["a", "b"])])
    assert result.suppressed == {"a", "b", "t"}


def test_two_way_table_leak_through_the_other_margin_is_closed():
    # ward x sex. Hiding (W1,F)=2 and, in its row, (W1,M)=20 still leaks through the columns:
    # column F: total 32 - (W2,F)=30 = 2. Complementary suppression must also hide a cell in column F
    # (and then one in column M / row W2 to protect that one).
    cell = {("W1", "F"): 2, ("W1", "M"): 20, ("W2", "F"): 30, ("W2", "M"): 25}
    values = dict(cell)
    values[("W1", None)] = 22
    values[("W2", None)] = 55
    values[(None, "F")] = 32
    values[(None, "M")] = 45
    values[(None, None)] = 77
    result = suppress(values, two_way_lines(["W1", "W2"], ["F", "M"]))
    hidden = result.suppressed
    assert {("W1", "F"), ("W1", "M"), ("W2", "F"), ("W2", "M")} <= hidden
    # every line that shows its total has 0 or >= 2 hidden cells
    for line in two_way_lines(["W1", "W2"], ["F", "M"]):
        if line.total not in hidden:
            assert len([m for m in line.members if m in hidden]) != 1


def test_lattice_lines_cover_every_margin_of_a_rolled_up_table():
    rows = [
        (("W1", "F"), {"n": 2}),
        (("W1", "M"), {"n": 20}),
        (("W2", "F"), {"n": 30}),
        (("W2", "M"), {"n": 25}),
    ]
    table = {k: v["n"] for k, v in rollup(rows, 2).items()}
    assert table[(None, None)] == 77
    assert table[("W1", None)] == 22
    assert table[(None, "F")] == 32
    hidden = suppressed_keys(table, 2)
    assert ("W1", "F") in hidden
    for line in lattice_lines(list(table), 2):
        if line.total not in hidden:
            assert len([m for m in line.members if m in hidden]) != 1


def test_nothing_hidden_when_all_counts_are_large():
    values = {"a": 10, "b": 20, "t": 30}
    assert suppress(values, [Line("t", ["a", "b"])]).suppressed == set()
