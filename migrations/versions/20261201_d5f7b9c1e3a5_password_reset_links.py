"""password reset links: one-time links (only their hash kept) an administrator or a worker's
subdistrict administrator issues, valid for 24 hours

Revision ID: d5f7b9c1e3a5
Revises: c1a1b2d3e4f5
Create Date: 2026-12-01 06:20:00.000000

"""
import sqlalchemy as sa
from alembic import op

from academy.core.models import UTCDateTime


# revision identifiers, used by Alembic.
revision = 'd5f7b9c1e3a5'
down_revision = 'c1a1b2d3e4f5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'password_reset_links',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('issued_by_id', sa.Integer(), nullable=False),
        sa.Column('issued_at', UTCDateTime(), nullable=False),
        sa.Column('expires_at', UTCDateTime(), nullable=False),
        sa.Column('used_at', UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_password_reset_links_issued_by_id_users')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_password_reset_links_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_password_reset_links')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_password_reset_links_token_hash')),
    )
    op.create_index(op.f('ix_password_reset_links_user_id'), 'password_reset_links', ['user_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_password_reset_links_user_id'), table_name='password_reset_links')
    op.drop_table('password_reset_links')
