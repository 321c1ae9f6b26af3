"""audit events append-only in the database itself: a trigger refuses UPDATE and DELETE (the ORM guard in
academy/audit/operations.py covers the application; this covers everything else), and `academy check`
verifies it is in place

Revision ID: a7c3e9d1f2b4
Revises: 5a7c3e91d2b4
Create Date: 2026-12-01 03:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a7c3e9d1f2b4'
down_revision = '5a7c3e91d2b4'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$ "
                   "BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql")
        op.execute("CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
                   "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()")
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events "
                       "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_append_only()")
    else:
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS audit_events_no_{verb}")
