"""reach tallies: listed workers (any enrolment in the scope, whatever its status), the drill-down's total

Revision ID: e96b05e7d99b
Revises: e40e9122b7a8
Create Date: 2026-11-28 21:30:55.334082

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e96b05e7d99b'
down_revision = 'e40e9122b7a8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reach_tallies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('listed_workers', sa.Integer(), server_default='0', nullable=False))
    # Derived data: computed from the rows already there by the same code the app repairs with.
    from academy.reports.raw_tallies import rebuild

    rebuild(op.get_bind())


def downgrade():
    with op.batch_alter_table('reach_tallies', schema=None) as batch_op:
        batch_op.drop_column('listed_workers')
