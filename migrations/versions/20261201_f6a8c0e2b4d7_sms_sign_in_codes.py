"""sms sign-in codes: six-digit codes sent by SMS to sign in (only their keyed hash kept), valid for five
minutes and a few tries

Revision ID: f6a8c0e2b4d7
Revises: e5f7a9b1c3d4
Create Date: 2026-12-01 14:50:00.000000

"""
import sqlalchemy as sa
from alembic import op

from academy.core.models import UTCDateTime


# revision identifiers, used by Alembic.
revision = 'f6a8c0e2b4d7'
down_revision = 'e5f7a9b1c3d4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'sms_sign_in_codes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('expires_at', UTCDateTime(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('used_at', UTCDateTime(), nullable=True),
        sa.CheckConstraint('attempts >= 0', name=op.f('ck_sms_sign_in_codes_attempts_not_negative')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sms_sign_in_codes_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_sign_in_codes')),
    )
    op.create_index(op.f('ix_sms_sign_in_codes_user_id'), 'sms_sign_in_codes', ['user_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_sms_sign_in_codes_user_id'), table_name='sms_sign_in_codes')
    op.drop_table('sms_sign_in_codes')
