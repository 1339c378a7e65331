"""The statistics of reports.stats against figures computed by hand on small data sets.

Every expected number below was worked out on paper (the working is in the comments),
not produced by the code under test.
"""
import pytest

from reports import stats

# Six volunteers, a 20-question form, before and after training.
PRE = [10, 12, 8, 15, 9, 11]
POST = [14, 11, 13, 15, 16, 14]


def test_describe_mean_sd_median_quartiles():
    d = stats.describe(PRE)
    assert d["n"] == 6
    assert d["mean"] == pytest.approx(65 / 6)          # 10.8333
    # squared deviations sum to 30.8333; / (n-1) = 6.16667; sqrt = 2.48328
    assert d["sd"] == pytest.approx(2.48328, abs=1e-5)
    # sorted 8 9 10 11 12 15: median (10+11)/2; q1 at position 1.25 → 9.25; q3 at 3.75 → 11.75
    assert (d["median"], d["q1"], d["q3"]) == (10.5, 9.25, 11.75)
    assert (d["min"], d["max"]) == (8, 15)
    assert stats.describe([])["mean"] is None


def test_percent_histogram_bins_scores():
    # 10/20 = 50 %, 12 → 60, 8 → 40, 15 → 75, 9 → 45, 11 → 55
    bins = stats.percent_histogram([v * 5 for v in PRE])
    assert [b["count"] for b in bins] == [0, 0, 0, 0, 2, 2, 1, 1, 0, 0]
    assert stats.percent_histogram([100, 0])[-1]["count"] == 1 and stats.percent_histogram([100, 0])[0]["count"] == 1


def test_hake_normalised_gain():
    # pre mean 65/6 of 20 = 54.1667 %, post mean 83/6 of 20 = 69.1667 %
    # g = (69.1667 − 54.1667) / (100 − 54.1667) = 15 / 45.8333 = 0.327273
    pre_pct = sum(PRE) / 6 * 5
    post_pct = sum(POST) / 6 * 5
    assert stats.normalised_gain(pre_pct, post_pct) == pytest.approx(0.327273, abs=1e-6)
    assert stats.normalised_gain(100, 100) is None
    assert stats.normalised_gain(50, 75) == 0.5 and stats.normalised_gain(80, 70) == pytest.approx(-0.5)


def test_wilcoxon_signed_rank_exact():
    # differences 4 −1 5 0 7 3; the zero is dropped → n = 5
    # |d| ranks: 1→1, 3→2, 4→3, 5→4, 7→5; W+ = 3+4+5+2 = 14, W− = 1
    # exact two-sided p: W− ≤ 1 in 2 of 2⁵ = 32 sign patterns, doubled → 4/32 = 0.125
    w = stats.wilcoxon(PRE, POST)
    assert (w["n_pairs"], w["n_nonzero"]) == (6, 5)
    assert (w["w_plus"], w["w_minus"], w["statistic"]) == (14, 1, 1)
    assert w["pvalue"] == pytest.approx(0.125)
    assert w["effect_r"] == pytest.approx(13 / 15)      # (14 − 1) / (14 + 1)
    assert w["method"] == "exact"
    assert "ไม่แตกต่าง" in stats.significance_text(w["pvalue"])


def test_wilcoxon_when_nobody_changed():
    w = stats.wilcoxon([5, 6], [5, 6])
    assert w["pvalue"] is None and w["n_nonzero"] == 0
    assert "คำนวณไม่ได้" in stats.significance_text(None)


def test_wilcoxon_all_improved_small_sample():
    # five people all improve by distinct amounts: W− = 0, exact p = 2 · 1/32 = 0.0625
    w = stats.wilcoxon([1, 1, 1, 1, 1], [2, 3, 4, 5, 6])
    assert w["statistic"] == 0 and w["pvalue"] == pytest.approx(0.0625) and w["effect_r"] == 1


def test_kr20_of_a_five_by_four_matrix():
    matrix = [
        [1, 1, 1, 1],   # 4
        [1, 1, 1, 0],   # 3
        [1, 1, 0, 0],   # 2
        [1, 0, 0, 1],   # 2
        [0, 0, 0, 0],   # 0
    ]
    # p = .8 .6 .4 .4 → Σpq = .16 + .24 + .24 + .24 = .88
    # totals 4 3 2 2 0, mean 2.2, Σ(dev²) = 8.8, population variance 1.76
    # KR-20 = 4/3 · (1 − .88 / 1.76) = 4/3 · .5 = 0.666667
    assert stats.kr20(matrix) == pytest.approx(2 / 3)
    assert stats.kr20([[1, 1], [1, 1]]) is None        # no variance
    assert stats.kr20([[1], [0]]) is None              # one question


def test_point_biserial_by_hand():
    totals = [4, 3, 2, 2, 0]
    # item 1: M1 = 2.75, M0 = 0, σ = √1.76 = 1.32665, √pq = .4 → r = 2.75/1.32665 · .4 = 0.829156
    assert stats.point_biserial([1, 1, 1, 1, 0], totals) == pytest.approx(0.829156, abs=1e-6)
    # item 4: M1 = 3, M0 = 5/3, √pq = √.24 → r = (4/3)/1.32665 · .489898 = 0.492366
    assert stats.point_biserial([1, 0, 0, 1, 0], totals) == pytest.approx(0.492366, abs=1e-6)
    assert stats.point_biserial([1, 1, 1, 1, 1], totals) is None


# Ten people, four questions (options ก ข ค ง). Keys: Q1 ก, Q2 ข, Q3 ค, Q4 ง.
# Q4 is a bad question: the three best people all chose ค.
CHOICES = [
    # Q1   Q2   Q3   Q4       right     total
    ["ก", "ข", "ค", "ค"],   # 1 1 1 0   3   upper
    ["ก", "ข", "ค", "ค"],   # 1 1 1 0   3   upper
    ["ก", "ข", "ค", "ค"],   # 1 1 1 0   3   upper
    ["ก", "ข", "ก", "ก"],   # 1 1 0 0   2
    ["ก", "ก", "ค", "ข"],   # 1 0 1 0   2
    ["ข", "ข", "ก", "ง"],   # 0 1 0 1   2
    ["ก", "ค", "ง", "ง"],   # 1 0 0 1   2
    ["ข", "ค", "ง", "ง"],   # 0 0 0 1   1   lower
    ["ค", "ง", "ง", "ง"],   # 0 0 0 1   1   lower
    ["ก", None, "ข", "ก"],  # 1 0 0 0   1   lower
]
KEYS = ["ก", "ข", "ค", "ง"]
OPTIONS = [["ก", "ข", "ค", "ง"]] * 4


def analysed():
    matrix = [[int(c == k) for c, k in zip(row, KEYS, strict=True)] for row in CHOICES]
    return stats.item_analysis(matrix, questions=["Q1", "Q2", "Q3", "Q4"], choices=CHOICES, keys=KEYS, options=OPTIONS)


def test_upper_and_lower_27_percent_groups():
    # N = 10 → round(2.7) = 3 people in each group; the cut falls between distinct totals
    upper, lower = stats.upper_lower_groups([3, 3, 3, 2, 2, 2, 2, 1, 1, 1])
    assert sorted(upper) == [0, 1, 2] and sorted(lower) == [7, 8, 9]
    # N = 5 → round(1.35) = 1
    assert stats.upper_lower_groups([4, 3, 2, 2, 0]) == ([0], [4])


def test_item_difficulty_and_discrimination():
    result = analysed()
    items = {i.question: i for i in result["items"]}
    assert [items[q].difficulty for q in ("Q1", "Q2", "Q3", "Q4")] == [0.7, 0.5, 0.4, 0.4]
    # D = p(upper) − p(lower): Q1 1 − 1/3, Q2 1 − 0, Q3 1 − 0, Q4 0 − 2/3
    assert items["Q1"].discrimination == pytest.approx(2 / 3)
    assert items["Q2"].discrimination == 1 and items["Q3"].discrimination == 1
    assert items["Q4"].discrimination == pytest.approx(-2 / 3)
    assert (items["Q4"].p_upper, items["Q4"].p_lower) == (0, pytest.approx(2 / 3))
    # totals 3 3 3 2 2 2 2 1 1 1: mean 2, population σ = √.6 = .774597
    # Q1: M1 = 16/7, M0 = 4/3, √pq = √.21 → r = .952381/.774597 · .458258 = 0.563436
    # Q2: M1 = 2.6, M0 = 1.4, √pq = .5 → r = 1.2/.774597 · .5 = 0.774597
    # Q3: M1 = 2.75, M0 = 1.5, √pq = √.24 → r = 1.25/.774597 · .489898 = 0.790569
    # Q4: M1 = 1.5, M0 = 14/6, → r = −.833333/.774597 · .489898 = −0.527046
    assert items["Q1"].point_biserial == pytest.approx(0.563436, abs=1e-6)
    assert items["Q2"].point_biserial == pytest.approx(0.774597, abs=1e-6)
    assert items["Q3"].point_biserial == pytest.approx(0.790569, abs=1e-6)
    assert items["Q4"].point_biserial == pytest.approx(-0.527046, abs=1e-6)


def test_form_reliability_and_totals():
    result = analysed()
    # Σpq = .21 + .25 + .24 + .24 = .94; σ² = .6; KR-20 = 4/3 · (1 − .94/.6) = −0.755556
    assert result["kr20"] == pytest.approx(-0.755556, abs=1e-6)
    assert (result["n"], result["k"], result["mean"]) == (10, 4, 2.0)


def test_distractor_counts_include_unchosen_options_and_blanks():
    items = {i.question: i for i in analysed()["items"]}
    q1 = items["Q1"].options
    assert {o: s["count"] for o, s in q1.items()} == {"ก": 7, "ข": 2, "ค": 1, "ง": 0}
    assert q1["ก"]["key"] and not q1["ข"]["key"]
    q2 = items["Q2"].options
    assert {o: s["count"] for o, s in q2.items()} == {"ก": 1, "ข": 5, "ค": 2, "ง": 1, None: 1}
    assert q2["ค"]["share"] == 0.2
    q4 = items["Q4"].options
    assert (q4["ค"]["upper"], q4["ค"]["lower"]) == (3, 0)
    assert (q4["ง"]["upper"], q4["ง"]["lower"]) == (0, 2)


def test_flags_for_questions_that_misbehave():
    items = {i.question: i for i in analysed()["items"]}
    assert items["Q1"].flags == [] and items["Q2"].flags == [] and items["Q3"].flags == []
    assert items["Q4"].flags == ["negative", "distractor_pulls_upper"]
    assert items["Q4"].misbehaves and not items["Q1"].misbehaves
    assert "ติดลบ" in items["Q4"].flag_labels[0]


def test_flags_for_nobody_and_everybody_right():
    matrix = [[1, 0, 1], [1, 0, 0], [1, 0, 1], [1, 0, 0]]
    items = stats.item_analysis(matrix)["items"]
    assert items[0].flags == ["all_correct"] and items[0].point_biserial is None
    assert items[1].flags == ["none_correct"]
    assert items[2].flags == []


def test_wilcoxon_with_tied_differences_uses_normal_approximation():
    # d = 60 40 −20 60: |d| ranks 20→1, 40→2, 60,60→3.5 each; W+ = 9, W− = 1
    # mean n(n+1)/4 = 5; variance n(n+1)(2n+1)/24 − Σ(t³−t)/48 = 7.5 − 6/48 = 7.375
    # z = (1 − 5)/√7.375 = −1.472929; two-sided p = 2·Φ(−1.472929) = 0.140773
    w = stats.wilcoxon([20, 40, 60, 80, 0], [80, 40, 100, 60, 60])
    assert (w["w_plus"], w["w_minus"], w["method"]) == (9, 1, "asymptotic")
    assert w["pvalue"] == pytest.approx(0.140773, abs=1e-6)
