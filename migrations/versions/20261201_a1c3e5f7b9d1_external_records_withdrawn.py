"""external records: a worker may withdraw a record awaiting verification (review status 'withdrawn')

Revision ID: a1c3e5f7b9d1
Revises: e96b05e7d99b
Create Date: 2026-12-01 03:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1c3e5f7b9d1'
down_revision = 'e96b05e7d99b'
branch_labels = None
depends_on = None

OLD = ('pending', 'verified', 'rejected')
NEW = (*OLD, 'withdrawn')


def upgrade():
    with op.batch_alter_table('external_records', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_external_records_review_status'), type_='check')
        batch_op.alter_column('review_status', existing_type=sa.String(length=8), type_=sa.String(length=9),
                              existing_nullable=False)
        batch_op.create_check_constraint(op.f('ck_external_records_review_status'), sa.column('review_status').in_(NEW))


def downgrade():
    op.execute("UPDATE external_records SET review_status = 'rejected' WHERE review_status = 'withdrawn'")
    with op.batch_alter_table('external_records', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_external_records_review_status'), type_='check')
        batch_op.alter_column('review_status', existing_type=sa.String(length=9), type_=sa.String(length=8),
                              existing_nullable=False)
        batch_op.create_check_constraint(op.f('ck_external_records_review_status'), sa.column('review_status').in_(OLD))
