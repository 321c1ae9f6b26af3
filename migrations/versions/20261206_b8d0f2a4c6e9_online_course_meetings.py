"""online course meetings: an online or blended course's meeting link, number and password, shown only to its
enrolled workers around each session

Revision ID: b8d0f2a4c6e9
Revises: a7c9e1b3d5f8
Create Date: 2026-12-06 23:00:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b8d0f2a4c6e9'
down_revision = 'a7c9e1b3d5f8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('courses') as batch_op:
        batch_op.add_column(sa.Column('meeting_url', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('meeting_number', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('meeting_password', sa.String(length=20), nullable=True))


def downgrade():
    with op.batch_alter_table('courses') as batch_op:
        batch_op.drop_column('meeting_password')
        batch_op.drop_column('meeting_number')
        batch_op.drop_column('meeting_url')
