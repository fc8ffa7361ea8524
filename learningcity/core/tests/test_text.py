import unicodedata

from learningcity.core.text import fold, normalize, sort_key


def test_normalize_composes_decomposed_input():
    decomposed = unicodedata.normalize("NFD", "Chiềng Cơi")
    assert decomposed != "Chiềng Cơi"
    assert normalize(decomposed) == "Chiềng Cơi"


def test_normalize_repairs_tone_before_shape_mark():
    broken = "e\u0301\u0302"  # tone (acute) typed before the circumflex
    assert unicodedata.normalize("NFC", broken) != "ế"
    assert normalize(broken) == "ế"
    assert normalize("Tie\u0301\u0302ng Vie\u0323\u0302t") == "Tiếng Việt"


def test_normalize_trims_and_handles_empty():
    assert normalize("  Sơn La ") == "Sơn La"
    assert normalize(None) == ""


def test_fold_is_accent_case_and_tone_placement_insensitive():
    assert fold("Chiềng Cơi") == "chieng coi"
    assert fold("Hoà") == fold("Hòa") == "hoa"
    assert fold("Thuỷ") == fold("Thủy")
    assert fold("ĐÀ NẴNG") == "da nang"
    assert fold(unicodedata.normalize("NFD", "Ngôi nhà trí tuệ")) == "ngoi nha tri tue"


def test_sort_key_follows_vietnamese_alphabet():
    words = ["Ơ Đu", "Dao", "Ê Đê", "Đà", "Ba Na", "Ăn", "An", "Âu", "Ô", "O", "Ư", "U", "E"]
    assert sorted(words, key=sort_key) == [
        "An",
        "Ăn",
        "Âu",
        "Ba Na",
        "Dao",
        "Đà",
        "E",
        "Ê Đê",
        "O",
        "Ô",
        "Ơ Đu",
        "U",
        "Ư",
    ]


def test_sort_key_orders_tones_after_base_letter():
    assert sorted(["má", "ma", "mà"], key=sort_key) == ["ma", "mà", "má"]
