"""The limit every page is compared with: a Flask app of one route answering "ok", no extensions, no hooks.
The harness serves it with its own gunicorn process, with the same settings as the academy, in the same run."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def ok():
    return "ok"
