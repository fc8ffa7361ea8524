"""API: frameworks, indicators and values (one row per cell; the public gets the suppressed view)."""

from learningcity.analytics.services.catalogue import catalogue_load, catalogue_problems


def test_frameworks_list_the_kflc_structure(client, db, django_assert_max_num_queries):
    client.get("/api/v1/frameworks")  # loads the shipped catalogue once
    with django_assert_max_num_queries(6):
        data = client.get("/api/v1/frameworks").json()
    kflc = next(f for f in data if f["code"] == "KFLC")
    assert [a["code"] for a in kflc["structure"]] == ["WB", "BB", "FC"]
    assert sum(len(a["children"]) for a in kflc["structure"]) == 12
    sdg = next(f for f in data if f["code"] == "SDG")
    goal4 = sdg["structure"][0]
    t43 = next(t for t in goal4["children"] if t["code"] == "4.3")
    assert set(t43["children"][0]["indicators"]) == {"SDG4.3.1.Y", "SDG4.3.1.A"}
    assert any(f["code"] == "VN1373" for f in data)


def test_indicator_list_has_targets_and_formulas(client, city, django_assert_max_num_queries):
    client.get("/api/v1/cities/son-la/indicators")
    with django_assert_max_num_queries(8):
        data = client.get("/api/v1/cities/son-la/indicators").json()
    by_code = {i["code"]: i for i in data}
    assert {"year": 2030, "value": 60.0, "scope": "national"} in by_code["VN1373.LEARNING_CITIZENS"][
        "targets"
    ]
    assert by_code["SDG4.3.1.Y"]["formula"]["numerator"]["filters"] == {"age_band": "15-24"}


def test_values_exact_for_staff_suppressed_for_anonymous(client, city, world, people):
    url = "/api/v1/cities/son-la/indicators/LC.PARTICIPATION/values?period=2025&by=sex"
    public = client.get(url).json()
    assert public["exact"] is False
    assert all(r["suppressed"] and r["value"] is None and r["numerator"] is None for r in public["rows"])
    client.force_login(people["viewer"])
    staff = client.get(url).json()
    assert staff["exact"] is True
    rows = {r["sex"]: r for r in staff["rows"]}
    assert rows["F"]["numerator"] == 2
    assert rows["F"]["denominator"] == 80
    assert rows["F"]["value"] == 2.5
    assert rows[None]["value"] == 2.67  # 4 / 150


def test_values_by_area_name_the_area_codes(client, city, world, people):
    client.force_login(people["viewer"])
    data = client.get("/api/v1/cities/son-la/indicators/LC.LEARNERS/values?period=2025&by=area").json()
    rows = {r.get("area"): r["value"] for r in data["rows"]}
    assert rows["03670"] == 3
    assert rows["03646"] == 1
    ward = client.get(
        "/api/v1/cities/son-la/indicators/LC.LEARNERS/values?period=2025&area=03670&by=area"
    ).json()
    assert {r.get("area"): r["value"] for r in ward["rows"]}["03670-MB"] == 2


def test_sdg_431_youth_by_sex_over_rolling_12_months(client, city, world, people):
    from learningcity.analytics.tests import factories as f

    f.population(city, world["chieng_coi"], 2025, 20, sex="F", age_band="15-24")
    f.population(city, world["chieng_coi"], 2025, 25, sex="M", age_band="15-24")
    client.force_login(people["viewer"])
    data = client.get("/api/v1/cities/son-la/indicators/SDG4.3.1.Y/values?period=R12-2025-12&by=sex").json()
    rows = {r["sex"]: r for r in data["rows"]}
    # youth 15-24 in 2025: B (F, 20) and D (M, 22) in Chiềng Cơi
    assert rows["F"]["value"] == 5.0
    assert rows["M"]["value"] == 4.0
    assert rows[None]["value"] == 4.44  # 2 / 45


def test_gender_parity_index(client, city, world, people):
    client.force_login(people["viewer"])
    data = client.get("/api/v1/cities/son-la/indicators/SDG4.5.1.SEX/values?period=2025").json()
    (row,) = data["rows"]
    assert row["sex"] == "F"
    assert row["reference"] == "M"
    assert row["value"] == 0.87  # 2.5% / 2.86%


def test_bad_input_is_explicit(client, city, world, people):
    base = "/api/v1/cities/son-la/indicators"
    assert client.get(f"{base}/LC.LEARNERS/values?period=soon").status_code == 400
    assert client.get(f"{base}/LC.LEARNERS/values?by=shoe_size").status_code == 400
    assert client.get(f"{base}/LC.LEARNERS/values?area=NOWHERE").status_code == 400
    assert client.get(f"{base}/NOPE/values").status_code == 404
    no_pop = client.get(f"{base}/LC.PARTICIPATION/values?period=2031").json()
    assert no_pop["rows"] == []
    assert "2031" in no_pop["message"]
    dis = client.get(f"{base}/LC.PARTICIPATION/values?period=2025&by=disability").json()
    assert dis["rows"] == []
    assert "disability" in dis["message"]


def test_zero_denominator_is_no_data_not_a_number(client, city, world, people):
    from learningcity.analytics.tests import factories as f

    f.population(city, world["to_hieu"], 2025, 0, sex="X")
    client.force_login(people["viewer"])
    data = client.get("/api/v1/cities/son-la/indicators/LC.PARTICIPATION/values?period=2025&by=sex").json()
    x = next(r for r in data["rows"] if r["sex"] == "X")
    assert x["value"] is None
    assert "zero" in x["note"]


def test_a_formula_with_an_unknown_measure_is_refused_or_reported(db):
    bad = {
        "version": "t",
        "frameworks": [],
        "indicators": [
            {
                "code": "X",
                "name_vi": "x",
                "unit": "count",
                "formula": {"type": "count", "numerator": {"measure": "happiness"}},
            }
        ],
    }
    assert any("happiness" in p for p in catalogue_problems(bad))
    from learningcity.analytics.indicators import evaluate_formula
    from learningcity.analytics.measures import MeasureQuery
    from learningcity.analytics.periods import period_parse
    from learningcity.core.tests.factories import CityFactory

    q = MeasureQuery(city=CityFactory(), period=period_parse("2025"))
    result = evaluate_formula({"type": "count", "numerator": {"measure": "happiness"}}, q, [], exact=True)
    assert result.rows == []
    assert "happiness" in result.message


def test_catalogue_reload_is_idempotent_and_versioned(db):
    first = catalogue_load()
    second = catalogue_load()
    assert first == second
    assert first["indicators"] >= 19
