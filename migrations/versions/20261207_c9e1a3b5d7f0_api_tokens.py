"""api tokens: personal access tokens of the JSON API (kept as their SHA-256 digest, with scopes and an
expiry, revoked never deleted) and the first answer to each POST sent with an Idempotency-Key

Revision ID: c9e1a3b5d7f0
Revises: b8d0f2a4c6e9
Create Date: 2026-12-07 03:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

from academy.core.models import UTCDateTime


# revision identifiers, used by Alembic.
revision = 'c9e1a3b5d7f0'
down_revision = 'b8d0f2a4c6e9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'api_tokens',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('prefix', sa.String(length=12), nullable=False),
        sa.Column('scopes', sa.String(length=200), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('expires_at', UTCDateTime(), nullable=False),
        sa.Column('revoked_at', UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
        sa.UniqueConstraint('digest', name=op.f('uq_api_tokens_digest')),
    )
    op.create_index('ix_api_tokens_user_id_id', 'api_tokens', ['user_id', 'id'], unique=False)
    op.create_table(
        'api_idempotent_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=100), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.Column('status', sa.Integer(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['token_id'], ['api_tokens.id'],
                                name=op.f('fk_api_idempotent_requests_token_id_api_tokens')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_api_idempotent_requests')),
        sa.UniqueConstraint('token_id', 'key', name=op.f('uq_api_idempotent_requests_token_id_key')),
    )


def downgrade():
    op.drop_table('api_idempotent_requests')
    op.drop_index('ix_api_tokens_user_id_id', table_name='api_tokens')
    op.drop_table('api_tokens')
