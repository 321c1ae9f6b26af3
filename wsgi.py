"""WSGI entry point: gunicorn wsgi:app, flask --app wsgi ..."""
from academy import create_app

app = create_app()
