"""`flask --app wsgi academy check [--repair]`: exit code 0 when the data is whole, 1 with the differences."""
import click

from academy.extensions import db
from academy.integrity.checks import SHOWN, run_checks
from academy.integrity.repair import repair

WHOLE, DIFFERENCES = 0, 1


def table(findings, repaired=None) -> str:
    repaired = repaired or {}
    lines = [f"{'check':44} {'checked':>9} {'problems':>9}  state", "-" * 72]
    for finding in findings:
        state = "ok" if finding.whole else "DIFFERENT"
        if finding.name in repaired:
            state = f"repaired ({len(repaired[finding.name])})" + ("" if finding.whole else ", still DIFFERENT")
        lines.append(f"{finding.label:44} {finding.checked:>9,} {len(finding.problems):>9,}  {state}")
    return "\n".join(lines)


@click.command("check")
@click.option("--repair", "do_repair", is_flag=True,
              help="Derive again what can be derived (seat counts, summary tables, waitlist order), audited.")
def check_command(do_repair):
    """Check that the data is whole (after an incident or a restore); exit code 1 lists the differences."""
    findings = run_checks()
    repaired = {}
    if do_repair and not all(finding.whole for finding in findings):
        repaired = repair(findings)
        db.session.commit()
        findings = run_checks()
    else:
        db.session.rollback()
    click.echo(table(findings, repaired))
    for name, fixed in repaired.items():
        click.echo(f"\nrepaired ({name}):")
        click.echo("\n".join(f"  {line}" for line in fixed[:SHOWN]))
    different = [finding for finding in findings if not finding.whole]
    for finding in different:
        click.echo(f"\n{finding.label}: {len(finding.problems)} differences"
                   + ("" if finding.repairable else " (not derivable: for a person to decide)"))
        click.echo("\n".join(f"  {line}" for line in finding.problems[:SHOWN]))
    db.session.rollback()
    click.echo("\nwhole" if not different else f"\n{len(different)} of {len(findings)} checks found differences")
    raise SystemExit(DIFFERENCES if different else WHOLE)
