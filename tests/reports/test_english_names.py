"""In English, the reports name programmes and subdistricts in English, as the catalogue does; lists of
names are joined as each language joins them."""
import re

from tests.reports.test_reports import district  # noqa: F401  (the fixture)

HAN = re.compile(r"[\u4e00-\u9fff]")


def main_text(page: str) -> str:
    return page.split("<main", 1)[1].split("</main>", 1)[0]


def test_the_dashboard_progress_report_and_drill_down_speak_english(client, make, login, district):  # noqa: F811
    login(make.create_admin())
    client.set_cookie("lang", "en")
    year = district["year"]
    dashboard = main_text(client.get("/admin", query_string={"year": year}).get_data(as_text=True))
    assert "Donghuamen" in dashboard and "Zhuji" in dashboard and "东华门" not in dashboard and "筑基" not in dashboard
    for group in ("programme", "subdistrict"):
        report = main_text(client.get("/admin/reports/progress", query_string={"year": year, "group": group})
                           .get_data(as_text=True))
        names = re.findall(r"<th scope=\"row\"[^>]*>(.*?)</th>", report, re.S)
        assert names and not any(HAN.search(name) for name in names), names
    client.set_cookie("lang", "zh")
    assert "东华门街道" in client.get("/admin", query_string={"year": year}).get_data(as_text=True)


def test_agreement_parties_are_joined_as_each_language_joins_names(client, make, login):
    from datetime import date

    from academy.extensions import db
    from academy.partners.models import Agreement, AgreementType, Partner

    first, second = db.session.query(Partner).limit(2).all()
    agreement = Agreement(title="共建协议", type=AgreementType.FRAMEWORK, signed_on=date(2026, 1, 5),
                          effective_from=date(2026, 1, 5), parties=[first, second])
    db.session.add(agreement)
    db.session.commit()
    login(make.create_admin())
    assert f"{first.name_zh}、{second.name_zh}" in client.get("/agreements").get_data(as_text=True)
    client.set_cookie("lang", "en")
    page = client.get("/agreements").get_data(as_text=True)
    assert f"{first.name_en or first.name_zh}, {second.name_en or second.name_zh}" in page and "、" not in main_text(page)
