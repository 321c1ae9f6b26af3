"""report summary tables: enrolment, monthly-hours, reach and worker tallies, filled from the existing rows

Revision ID: 3f4c1f2c8090
Revises: 71799338fdaf
Create Date: 2026-11-28 18:08:22.061541

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3f4c1f2c8090'
down_revision = '71799338fdaf'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('enrolment_tallies',
    sa.Column('programme_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('subdistrict_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('qualification', sa.String(length=13), nullable=False),
    sa.Column('pending', sa.Integer(), nullable=False),
    sa.Column('enrolled', sa.Integer(), nullable=False),
    sa.Column('waitlisted', sa.Integer(), nullable=False),
    sa.Column('rejected', sa.Integer(), nullable=False),
    sa.Column('withdrawn', sa.Integer(), nullable=False),
    sa.Column('completed', sa.Integer(), nullable=False),
    sa.Column('not_completed', sa.Integer(), nullable=False),
    sa.Column('hours', sa.Numeric(precision=14, scale=1), nullable=False),
    sa.PrimaryKeyConstraint('programme_id', 'year', 'subdistrict_id', 'qualification', name=op.f('pk_enrolment_tallies'))
    )
    op.create_table('monthly_hours',
    sa.Column('programme_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('month', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('subdistrict_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('hours', sa.Numeric(precision=14, scale=1), nullable=False),
    sa.PrimaryKeyConstraint('programme_id', 'year', 'month', 'subdistrict_id', name=op.f('pk_monthly_hours'))
    )
    op.create_table('reach_tallies',
    sa.Column('programme_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('tier', sa.String(length=10), nullable=False),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('subdistrict_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('qualification', sa.String(length=13), nullable=False),
    sa.Column('workers', sa.Integer(), nullable=False),
    sa.Column('ce_applicable', sa.Integer(), nullable=False),
    sa.Column('ce_compliant', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('programme_id', 'tier', 'year', 'subdistrict_id', 'qualification', name=op.f('pk_reach_tallies'))
    )
    op.create_table('worker_tallies',
    sa.Column('subdistrict_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('qualification', sa.String(length=13), nullable=False),
    sa.Column('active_workers', sa.Integer(), nullable=False),
    sa.Column('ce_applicable', sa.Integer(), nullable=False),
    sa.Column('ce_compliant', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('subdistrict_id', 'qualification', name=op.f('pk_worker_tallies'))
    )
    # Derived data: computed from the rows already there by the same code the app repairs with.
    from academy.reports.raw_tallies import rebuild

    rebuild(op.get_bind())


def downgrade():
    op.drop_table('worker_tallies')
    op.drop_table('reach_tallies')
    op.drop_table('monthly_hours')
    op.drop_table('enrolment_tallies')
