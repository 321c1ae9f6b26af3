"""consents and account closing: each consent to the privacy notice and, apart, to the resident ID number
(version, time, address; only ever added), and workers' requests to close their account with the decision

Revision ID: a7c9e1b3d5f8
Revises: f1a3c5e7b9d2
Create Date: 2026-12-06 22:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

from academy.core.models import UTCDateTime


# revision identifiers, used by Alembic.
revision = 'a7c9e1b3d5f8'
down_revision = 'f1a3c5e7b9d2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'consents',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum('privacy_notice', 'resident_id', name='consent_kind', native_enum=False,
                                  create_constraint=True, length=14), nullable=False),
        sa.Column('version', sa.String(length=20), nullable=False),
        sa.Column('granted', sa.Boolean(), nullable=False),
        sa.Column('at', UTCDateTime(), nullable=False),
        sa.Column('address', sa.String(length=45), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_consents_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_consents')),
    )
    op.create_index('ix_consents_user_id_kind', 'consents', ['user_id', 'kind'], unique=False)
    op.create_table(
        'account_closure_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('status', sa.Enum('pending', 'closed', 'refused', 'cancelled', name='closure_status',
                                    native_enum=False, create_constraint=True, length=9), nullable=False),
        sa.Column('requested_at', UTCDateTime(), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', UTCDateTime(), nullable=True),
        sa.Column('decision_note', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_account_closure_requests_user_id_users')),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'],
                                name=op.f('fk_account_closure_requests_decided_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_account_closure_requests')),
    )
    op.create_index('uq_account_closure_requests_open', 'account_closure_requests', ['user_id'], unique=True,
                    sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))
    op.create_index('ix_account_closure_requests_status_id', 'account_closure_requests', ['status', 'id'],
                    unique=False)


def downgrade():
    op.drop_index('ix_account_closure_requests_status_id', table_name='account_closure_requests')
    op.drop_index('uq_account_closure_requests_open', table_name='account_closure_requests')
    op.drop_table('account_closure_requests')
    op.drop_index('ix_consents_user_id_kind', table_name='consents')
    op.drop_table('consents')
