"""The scaling curve: the progress report and the dashboard, computed afresh (no result cache), on a
database already filled by `python bench/synthetic.py --scale ...`, beside the same report taken
from the raw rows (COUNT DISTINCT over four joins, what the summary tables replace).

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/academy_curve_regional python bench/curve.py
"""
import json
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SECRET_KEY", "bench-secret-key")

from sqlalchemy import func, select  # noqa: E402

from academy import create_app  # noqa: E402
from academy.core.i18n import local_today  # noqa: E402
from academy.enrolment.models import Enrolment  # noqa: E402
from academy.extensions import db  # noqa: E402
from academy.reports.dashboard import build_dashboard  # noqa: E402
from academy.reports.models import EnrolmentTally, ReachTally  # noqa: E402
from academy.reports.queries import ReportFilters, progress_report  # noqa: E402
from tests.reports.raw_report import raw_report  # noqa: E402


def median_ms(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> int:
    app = create_app()
    year = local_today().year
    groupings = {"by programme": (["programme"], ReportFilters()),
                 "by subdistrict × year": (["subdistrict", "year"], ReportFilters()),
                 "by tier, one year": (["tier"], ReportFilters(year=year))}
    with app.test_request_context():
        enrolments = db.session.scalar(select(func.count(Enrolment.id)))
        point = {"enrolments": enrolments,
                 "summary_rows": db.session.scalar(select(func.count()).select_from(EnrolmentTally))
                 + db.session.scalar(select(func.count()).select_from(ReachTally)),
                 "summary_ms": {}, "raw_ms": {}}
        progress_report(db.session, ["programme"], ReportFilters())  # names into the per-process cache
        for name, (dimensions, filters) in groupings.items():
            point["summary_ms"][name] = median_ms(
                lambda d=dimensions, f=filters: progress_report(db.session, d, f), 20)
            point["raw_ms"][name] = median_ms(
                lambda d=dimensions, f=filters: raw_report(db.session, d, f), 1 if enrolments > 10_000_000 else 3 if enrolments > 1_000_000 else 5)
        point["summary_ms"]["dashboard"] = median_ms(lambda: build_dashboard(db.session, year, None), 20)
    backend = app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0].split("+")[0]
    print(json.dumps(point, indent=2))
    output = ROOT / "bench" / "results" / f"{date.today().isoformat()}-curve-{backend}.json"
    points = json.loads(output.read_text()) if output.exists() else []
    points = [p for p in points if p["enrolments"] != enrolments] + [point]
    output.write_text(json.dumps(sorted(points, key=lambda p: p["enrolments"]), indent=2))
    print(f"written to {output.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
