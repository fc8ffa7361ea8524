"""The back office's rows tag writes what Django's own escaping would (issue 17 cut its per-cell checks)."""

from django.utils.html import format_html_join

from learningcity.places.templatetags.space_rows import staff_space_rows


def test_the_rows_tag_writes_the_same_html_as_format_html_join():
    rows = [
        {
            "id": 7,
            "name": "Nhà trí tuệ <Bản Mé> & \"Tổ 1\" 'x'",
            "type": "Thư viện",
            "area": "Tô Hiệu",
            "status": "Mở",
        },
        {"id": 12, "name": "ꪼꪕ ꪶꪔ", "type": "<script>alert(1)</script>", "area": "", "status": "Đóng cửa"},
    ]
    expected = format_html_join(
        "",
        '<tr><td><a href="{}/">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>\n',
        ((row["id"], row["name"], row["type"], row["area"], row["status"]) for row in rows),
    )
    written = staff_space_rows(rows)
    assert written == expected
    assert "<script>" not in written
    assert "&lt;Bản Mé&gt; &amp; &quot;Tổ 1&quot; &#x27;x&#x27;" in written
    assert staff_space_rows([]) == ""
