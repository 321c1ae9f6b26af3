"""api clients: the district's systems, given client credentials by an administrator (read-only scopes,
optionally one subdistrict), traded for access tokens an hour long; a token is a person's or a client's

Revision ID: d1f3a5c7e9b2
Revises: c9e1a3b5d7f0
Create Date: 2026-12-07 07:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

from academy.core.models import UTCDateTime


# revision identifiers, used by Alembic.
revision = 'd1f3a5c7e9b2'
down_revision = 'c9e1a3b5d7f0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'api_clients',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('client_key', sa.String(length=40), nullable=False),
        sa.Column('secret_digest', sa.String(length=64), nullable=False),
        sa.Column('scopes', sa.String(length=200), nullable=False),
        sa.Column('subdistrict_id', sa.Integer(), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('revoked_at', UTCDateTime(), nullable=True),
        sa.Column('revoked_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['subdistrict_id'], ['org_units.id'],
                                name=op.f('fk_api_clients_subdistrict_id_org_units')),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_api_clients_created_by_id_users')),
        sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_api_clients_revoked_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_api_clients')),
        sa.UniqueConstraint('client_key', name=op.f('uq_api_clients_client_key')),
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column('client_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_api_tokens_client_id_api_clients'), 'api_clients',
                                    ['client_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_api_tokens_client_id'), ['client_id'], unique=False)
        batch_op.create_check_constraint('one_holder', '(user_id IS NULL) <> (client_id IS NULL)')


def downgrade():
    op.execute("DELETE FROM api_idempotent_requests WHERE token_id IN "
               "(SELECT id FROM api_tokens WHERE client_id IS NOT NULL)")
    op.execute("DELETE FROM api_tokens WHERE client_id IS NOT NULL")
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_api_tokens_one_holder'), type_='check')
        batch_op.drop_index(batch_op.f('ix_api_tokens_client_id'))
        batch_op.drop_constraint(batch_op.f('fk_api_tokens_client_id_api_clients'), type_='foreignkey')
        batch_op.drop_column('client_id')
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=False)
    op.drop_table('api_clients')
