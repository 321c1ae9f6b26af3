"""page versions: the counters that tell every process its cached public pages and report results are stale

Revision ID: 46840650894b
Revises: 3f4c1f2c8090
Create Date: 2026-11-28 18:18:04.326442

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '46840650894b'
down_revision = '3f4c1f2c8090'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table('page_versions',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_page_versions'))
    )
    op.bulk_insert(table, [{'name': 'public-pages', 'version': 0}, {'name': 'reports', 'version': 0}])


def downgrade():
    op.drop_table('page_versions')
