"""scans closed without sign-out: the time the scheduler closed a check-in left without its sign-out

Revision ID: f1a3c5e7b9d2
Revises: f6a8c0e2b4d7
Create Date: 2026-12-01 14:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'f1a3c5e7b9d2'
down_revision = 'f6a8c0e2b4d7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attendance_scans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('attendance_scans', schema=None) as batch_op:
        batch_op.drop_column('closed_at')
