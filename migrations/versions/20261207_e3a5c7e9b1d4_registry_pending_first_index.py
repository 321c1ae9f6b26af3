"""registry order index: the qualification registry's order (records awaiting verification first, then the
newest exam year, then the newest record) as an index, so that a page of 50 is read from it rather than
sorted from every record of the district

Revision ID: e3a5c7e9b1d4
Revises: d1f3a5c7e9b2
Create Date: 2026-12-07 23:45:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e3a5c7e9b1d4'
down_revision = 'd1f3a5c7e9b2'
branch_labels = None
depends_on = None

PENDING_FIRST = "(CASE WHEN status = 'declared' THEN 0 ELSE 1 END)"


def upgrade():
    op.create_index('ix_qualification_records_registry_order', 'qualification_records',
                    [sa.text(PENDING_FIRST), sa.text('exam_year DESC'), sa.text('id DESC')])


def downgrade():
    op.drop_index('ix_qualification_records_registry_order', table_name='qualification_records')
