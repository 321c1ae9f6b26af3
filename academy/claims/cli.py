"""`flask --app wsgi academy claims close-notices [--date YYYY-MM-DD]`: run daily (by the scheduler or
cron); claims whose notice period ended without a pending objection become approved for payment."""
from datetime import date

import click

from academy.claims.notice import close_notices
from academy.core import i18n
from academy.extensions import db

claims_cli = click.Group("claims", help="Exam-subsidy claims.")


@claims_cli.command("close-notices")
@click.option("--date", "on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The day to judge the periods on (default: today in Beijing).")
def close_notices_command(on):
    """Approve for payment the claims whose notice period ended before the day, without a pending objection."""
    today: date = on.date() if on else i18n.local_today()
    approved = close_notices(today)
    db.session.commit()
    click.echo(f"{approved} claims approved for payment (notice periods ended before {today.isoformat()})")
