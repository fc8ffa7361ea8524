from learningcity.core.demography import ETHNIC_GROUPS, age_band, ethnicity_code, has_disability


def test_54_groups_in_official_order():
    assert len(ETHNIC_GROUPS) == 54
    assert [c for c, _ in ETHNIC_GROUPS] == [f"{i:02d}" for i in range(1, 55)]
    assert ETHNIC_GROUPS[2] == ("03", "Thái")


def test_aliases_and_codes():
    for spelling in ["HMông", "Mông", "H'Mông", "h mong", "Hmong", "08", "8"]:
        assert ethnicity_code(spelling) == "08", spelling
    assert ethnicity_code("Thái") == "03"
    assert ethnicity_code("thai") == "03"
    assert ethnicity_code("Xinh Mun") == "34"
    assert ethnicity_code("Klingon") is None
    assert ethnicity_code("77") is None


def test_age_bands():
    assert age_band(2020, 2025) == "0-5"
    assert age_band(2010, 2025) == "15-24"
    assert age_band(2001, 2025) == "15-24"
    assert age_band(2000, 2025) == "25-64"
    assert age_band(1950, 2025) == "65+"
    assert age_band(None, 2025) == ""


def test_washington_group_cutoff():
    assert has_disability({"seeing": 2, "walking": 2}) is False
    assert has_disability({"seeing": 1, "walking": 3}) is True
    assert has_disability({}) is None
