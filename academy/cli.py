"""`flask --app wsgi academy ...`: reference data, demo data and accounts."""
import click
from flask.cli import AppGroup

from academy.core.errors import OperationError
from academy.core.permissions import Role
from academy.core.validators import password_problem
from academy.extensions import db

academy_cli = AppGroup("academy", help="Academy data and account commands.")


@academy_cli.command("seed")
def seed_command():
    """Load reference data (district, subdistricts, programmes). Safe to run again."""
    from academy.orgs.reference import seed_org_units
    from academy.programmes.reference import seed_programmes
    from academy.partners.reference import seed_partners
    from academy.progress.reference import seed_rules

    counts = (seed_org_units(), seed_programmes(), seed_rules(), seed_partners())
    db.session.commit()
    click.echo("Reference data: {} org units, {} programmes, {} continuing-education rules and {} partners added."
               .format(*counts))


@academy_cli.command("demo")
@click.option("--scale", type=click.Choice(["demo", "tiny", "district", "regional", "national"]), default="demo",
              help="demo: a small hand-made set; tiny/district/regional/national: synthetic data in bulk.")
def demo_command(scale):
    """Add demo data and print the demo logins (idempotent), or synthetic data at a scale."""
    if scale != "demo":
        import time

        from academy.synthetic import PASSWORD, generate

        started = time.perf_counter()
        click.echo(f"Generating the {scale} data set:")
        counts = generate(scale, echo=click.echo)
        db.session.commit()
        click.echo(f"Done in {time.perf_counter() - started:.1f} s: " + ", ".join(
            f"{count:,} {name}" for name, count in counts.items()))
        click.echo(f"Synthetic accounts: workers 16000000000…, instructors 15000000000…, password {PASSWORD}")
        return
    from academy.demo import load_demo

    accounts = load_demo()
    db.session.commit()
    click.echo("Demo logins (mobile number / password):")
    for user, password in accounts:
        click.echo(f"  {user.role.value:<13} {user.phone}  {password}  {user.name}")


@academy_cli.command("rebuild-tallies")
def rebuild_tallies_command():
    """Recompute the reports' summary tables from the enrolments (after a bulk load or a repair)."""
    from academy.core.pagecache import REPORTS, bump_version
    from academy.reports.raw_tallies import rebuild

    counts = rebuild(db.session.connection())
    bump_version(db.session, REPORTS)
    db.session.commit()
    click.echo("Summary tables rebuilt: " + ", ".join(f"{rows:,} {name} rows" for name, rows in counts.items()))


@academy_cli.command("create-user")
@click.option("--role", required=True, type=click.Choice(["worker", "instructor", "street-admin", "admin"]))
@click.option("--phone", required=True, help="11-digit mainland mobile number (the login).")
@click.option("--name", required=True)
@click.option("--password", required=True, help="At least 8 characters, not a common password.")
@click.option("--street", help="Subdistrict NBS code, for a street administrator.")
@click.option("--work-unit", type=int, help="Org unit id of a worker's community, agency or subdistrict.")
def create_user_command(role, phone, name, password, street, work_unit):
    """Create an account of any role."""
    from sqlalchemy import select

    from academy.auth.operations import create_user
    from academy.orgs.models import OrgUnit

    problem = password_problem(password, [name, phone])
    if problem:
        raise click.UsageError(str(problem))
    street_unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == street)) if street else None
    if street and street_unit is None:
        raise click.UsageError(f"No subdistrict with code {street}.")
    unit = db.session.get(OrgUnit, work_unit) if work_unit else street_unit
    try:
        user = create_user(
            role=Role.from_cli(role), phone=phone, name=name, password=password, street=street_unit, work_unit=unit
        )
    except OperationError as error:
        db.session.rollback()
        raise click.UsageError(str(error.message)) from None
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.name} ({user.phone}).")


@academy_cli.command("refresh-standings")
def refresh_standings_command():
    """Recompute every worker's continuing-education standing (after a rule change, or nightly)."""
    from academy.progress.standing import refresh_all

    count = refresh_all()
    db.session.commit()
    click.echo(f"Continuing-education standings refreshed for {count} workers.")


@academy_cli.command("backup")
@click.argument("target", type=click.Path(dir_okay=False), required=False)
def backup_command(target):
    """Write a backup of the database (SQLite online backup, or pg_dump for PostgreSQL)."""
    from datetime import datetime
    from pathlib import Path

    from flask import current_app

    from academy.core.backup import backup

    path = Path(target) if target else Path(current_app.instance_path) / "backups" / (
        f"academy-{datetime.now():%Y%m%d-%H%M%S}." + ("sqlite" if db.engine.dialect.name == "sqlite" else "dump"))
    backup(db.engine, path)
    click.echo(f"Backup written to {path}")


@academy_cli.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(source, yes):
    """Replace the database's content with a backup."""
    from pathlib import Path

    from academy.core.backup import restore
    from academy.core.pagecache import all_versions, move_past

    if not yes:
        click.confirm("This replaces every row of the database with the backup. Continue?", abort=True)
    before = all_versions()  # running processes keep pages under these versions
    db.session.remove()
    restore(db.engine, Path(source))
    move_past(before)
    click.echo(f"Restored from {source}")


def _add_integrity_check() -> None:
    from academy.integrity.cli import check_command

    academy_cli.add_command(check_command)


_add_integrity_check()
