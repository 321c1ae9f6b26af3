"""registry summary tables: active workers by subdistrict and highest verified level, verified
certificates by year, level and subdistrict (kept by academy.qualifications.tallies), filled from the
records

Revision ID: b3d5f7a9c1e2
Revises: a7c3e9d1f2b4
Create Date: 2026-12-01 06:00:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b3d5f7a9c1e2'
down_revision = 'a7c3e9d1f2b4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'qualification_holder_tallies',
        sa.Column('subdistrict_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('level', sa.String(length=13), nullable=False),
        sa.Column('workers', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('subdistrict_id', 'level', name=op.f('pk_qualification_holder_tallies')),
    )
    op.create_table(
        'qualification_certificate_tallies',
        sa.Column('exam_year', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('level', sa.String(length=13), nullable=False),
        sa.Column('subdistrict_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('certificates', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('exam_year', 'level', 'subdistrict_id',
                                name=op.f('pk_qualification_certificate_tallies')),
    )
    from academy.core.tallying import rebuild
    from academy.qualifications.tallies import TABLES, raw

    rebuild(op.get_bind(), TABLES, raw)


def downgrade():
    op.drop_table('qualification_certificate_tallies')
    op.drop_table('qualification_holder_tallies')
