"""worker profile: qualification_verified, so that a self-declared level is not taken as proven

Revision ID: 5a7c3e91d2b4
Revises: d842b28c9bad
Create Date: 2026-12-01 03:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5a7c3e91d2b4'
down_revision = 'd842b28c9bad'
branch_labels = None
depends_on = None


def upgrade():
    # Every level on file so far was typed by the worker: unverified until an administrator confirms it.
    with op.batch_alter_table('worker_profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('qualification_verified', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('worker_profiles', schema=None) as batch_op:
        batch_op.drop_column('qualification_verified')
