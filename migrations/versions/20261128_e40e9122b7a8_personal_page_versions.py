"""personal page versions: a counter per worker that tells every process a worker's kept pages are stale,
and a district-wide one for changes no single worker owns

Revision ID: e40e9122b7a8
Revises: 46840650894b
Create Date: 2026-11-28 20:02:32.563685

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e40e9122b7a8'
down_revision = '46840650894b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('personal_versions',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_personal_versions_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_personal_versions'))
    )
    page_versions = sa.table('page_versions', sa.column('name', sa.String), sa.column('version', sa.Integer))
    op.bulk_insert(page_versions, [{'name': 'personal-pages', 'version': 0}])


def downgrade():
    op.execute("DELETE FROM page_versions WHERE name = 'personal-pages'")
    op.drop_table('personal_versions')
