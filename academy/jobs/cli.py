"""`flask --app wsgi academy worker | cleanup-jobs | deliver-outbox | reminders`."""
import click
from flask import current_app

from academy.extensions import db


def register_commands(group) -> None:
    group.add_command(worker_command)
    group.add_command(cleanup_command)
    group.add_command(deliver_command)
    group.add_command(reminders_command)


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst):
    """Run background jobs from Redis (REDIS_URL), beside the web processes: start one or more."""
    from rq import SimpleWorker

    from academy.jobs.queue import QUEUE_NAME, redis_connection

    if not current_app.config.get("REDIS_URL"):
        raise click.UsageError("REDIS_URL is not set: jobs run inside the web process, no worker is needed.")
    # SimpleWorker runs each job in this process, in an application context of its own (queue.perform):
    # no fork, so no database connection is ever shared between two processes.
    worker = SimpleWorker([QUEUE_NAME], connection=redis_connection())
    worker.work(burst=burst, logging_level="INFO")


@click.command("cleanup-jobs")
def cleanup_command():
    """Remove the files of jobs older than 7 days (their records stay)."""
    from academy.jobs.operations import remove_expired_files

    count = remove_expired_files()
    db.session.commit()
    click.echo(f"Files of {count} jobs removed.")


@click.command("deliver-outbox")
def deliver_command():
    """Send the e-mail and SMS messages whose time has come."""
    from academy.jobs.outbox import deliver_due

    click.echo(f"{deliver_due()} messages sent.")


@click.command("reminders")
def reminders_command():
    """The scheduler's tick (run it from cron every few minutes): send the reminders due, deliver the outbox,
    remove job files past their 7 days."""
    from academy.jobs.scheduler import tick

    counts = tick()
    click.echo(", ".join(f"{name}: {count}" for name, count in counts.items()))
