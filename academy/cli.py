"""`flask --app wsgi academy ...`: reference data, demo data and accounts."""
import click
from flask.cli import AppGroup

from academy.core.errors import OperationError
from academy.core.permissions import Role
from academy.core.validators import password_problem
from academy.extensions import db
from academy.jobs.cli import register_commands as register_job_commands

academy_cli = AppGroup("academy", help="Academy data and account commands.")
register_job_commands(academy_cli)


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
def demo_command():
    """Add demo data and print the demo logins (idempotent). A synthetic district for benchmarks:
    python bench/synthetic.py --scale district."""
    from academy.demo import load_demo

    accounts = load_demo()
    db.session.commit()
    click.echo("Demo logins (mobile number / password):")
    for user, password in accounts:
        click.echo(f"  {user.role.value:<13} {user.phone}  {password}  {user.name}")


@academy_cli.command("rebuild-tallies")
def rebuild_tallies_command():
    """Recompute every summary table (the reports', the registry's) from the rows (after a bulk load or a repair)."""
    from academy.core.database import begin_write
    from academy.core.pagecache import REPORTS, bump_version
    from academy.core.tallying import rebuild_all

    begin_write(db.session)  # SQLite: the write lock before reading the rows
    counts = rebuild_all(db.session.connection())
    bump_version(db.session, REPORTS)
    db.session.commit()
    click.echo("Summary tables rebuilt: " + ", ".join(f"{rows:,} {name} rows" for tables in counts.values()
                                                      for name, rows in tables.items()))


@academy_cli.command("create-user")
@click.option("--role", required=True, type=click.Choice(["worker", "instructor", "street-admin", "admin"]))
@click.option("--phone", required=True, help="11-digit mainland mobile number (the login).")
@click.option("--name", required=True)
@click.option("--password", required=True, help="At least 8 characters, not a common password.")
@click.option("--street", help="Subdistrict NBS code, for a street administrator.")
@click.option("--work-unit", help="A worker's community, agency or subdistrict: its NBS code, its name or its id "
                                   "(`academy units` lists them).")
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
    unit = street_unit
    if work_unit:
        from academy.orgs.queries import find_units

        found = find_units(work_unit)
        if len(found) != 1:
            raise click.UsageError(f"No unit is called {work_unit}: `flask --app wsgi academy units` lists them."
                                   if not found else f"{len(found)} units answer to {work_unit}: give its code or id.")
        unit = found[0]
    try:
        user = create_user(
            role=Role.from_cli(role), phone=phone, name=name, password=password, street=street_unit, work_unit=unit
        )
    except OperationError as error:
        db.session.rollback()
        raise click.UsageError(str(error.message)) from None
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.name} ({user.phone}).")


@academy_cli.command("units")
@click.option("--subdistrict", help="Only this subdistrict (NBS code or name) and the units under it.")
def units_command(subdistrict):
    """List the org units (id, NBS code, kind, name) a worker's account can name as its work unit."""
    from sqlalchemy import select

    from academy.orgs.models import OrgUnit
    from academy.orgs.queries import find_units

    query = select(OrgUnit).order_by(OrgUnit.code.nulls_last(), OrgUnit.id)
    if subdistrict:
        found = find_units(subdistrict)
        if len(found) != 1:
            raise click.UsageError(f"No single subdistrict answers to {subdistrict}.")
        query = query.where((OrgUnit.id == found[0].id) | (OrgUnit.parent_id == found[0].id))
    for unit in db.session.scalars(query):
        click.echo(f"{unit.id:>6}  {unit.code or '':<12}  {unit.kind.value:<12}  {unit.name_zh}")


@academy_cli.command("refresh-standings")
def refresh_standings_command():
    """Recompute every worker's continuing-education standing (after a rule change, or nightly)."""
    from academy.progress.standing import refresh_all

    count = refresh_all()
    db.session.commit()
    click.echo(f"Continuing-education standings refreshed for {count} workers.")


@academy_cli.command("invite-evaluations")
def invite_evaluations_command():
    """Ask the workers who attended a course that ended in the last 30 days to evaluate it (once each)."""
    from academy.evaluations.operations import invite_due

    count = invite_due()
    db.session.commit()
    click.echo(f"{count} workers asked to evaluate a course.")


@academy_cli.command("close-sign-outs")
def close_sign_outs_command():
    """Close the check-ins left without their sign-out on courses with a sign-out scan (the tick does it too)."""
    from academy.attendance.checkin_operations import close_unsigned

    count = close_unsigned()
    db.session.commit()
    click.echo(f"{count} check-ins without a sign-out closed.")


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


def _add_claims() -> None:
    from academy.claims.cli import claims_cli

    academy_cli.add_command(claims_cli)


_add_claims()
