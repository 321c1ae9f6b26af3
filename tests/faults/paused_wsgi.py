"""The application as gunicorn serves it (wsgi.py), plus a test-only pause: the first worker's enrolment
(POST /courses/<id>/enrol) that reaches its COMMIT writes its process id to $PAUSE_MARKER and sleeps there,
inside the transaction, until the test kills it. Only tests/faults/test_killed_worker.py serves this module;
nothing of it is in the application."""
import os
import time
from pathlib import Path

from flask import has_request_context, request
from sqlalchemy import event

from academy import create_app
from academy.extensions import db

MARKER = Path(os.environ["PAUSE_MARKER"])
app = create_app()

with app.app_context():
    @event.listens_for(db.engine, "commit")
    def pause_before_commit(connection):
        if has_request_context() and request.method == "POST" and request.path.endswith("/enrol") \
                and not MARKER.exists():
            MARKER.write_text(str(os.getpid()))
            time.sleep(120)  # the test's SIGKILL ends this: the transaction is never committed
