"""create|drop a PostgreSQL database for one CI run: python .ci/pg_database.py create NAME"""
import sys

from sqlalchemy import create_engine, text

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"

action, name = sys.argv[1:3]
engine = create_engine(SERVER, isolation_level="AUTOCOMMIT")
with engine.connect() as connection:
    if action == "create":
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    else:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
engine.dispose()
