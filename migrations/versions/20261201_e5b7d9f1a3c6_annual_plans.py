"""annual plans per programme and subdistrict, their versions (who, when, why), the quarterly reports
issued from them (and an index on certificates' issue time for a quarter's count); reach tallies gain the
workers who completed in each scope (the people trained that plans count), filled from the rows

Revision ID: e5b7d9f1a3c6
Revises: c4a9e2b7d3f1
Create Date: 2026-12-01 05:50:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e5b7d9f1a3c6'
down_revision = 'c4a9e2b7d3f1'
branch_labels = None
depends_on = None

COUNTS = ('people_trained', 'enrolments', 'hours', 'certificates', 'degrees', 'projects')


def _figures():
    return [
        sa.Column('people_trained', sa.Integer(), nullable=True),
        sa.Column('enrolments', sa.Integer(), nullable=True),
        sa.Column('hours', sa.Numeric(precision=10, scale=1), nullable=True),
        sa.Column('certificates', sa.Integer(), nullable=True),
        sa.Column('degrees', sa.Integer(), nullable=True),
        sa.Column('projects', sa.Integer(), nullable=True),
        sa.Column('ce_rate', sa.Numeric(precision=4, scale=1), nullable=True),
        sa.Column('month_weights', sa.String(length=60), nullable=True),
    ]


def _checks(table):
    return [*(sa.CheckConstraint(f'{name} IS NULL OR {name} >= 0', name=op.f(f'ck_{table}_{name}_not_negative'))
              for name in COUNTS),
            sa.CheckConstraint('ce_rate IS NULL OR (ce_rate >= 0 AND ce_rate <= 100)',
                               name=op.f(f'ck_{table}_ce_rate_a_percentage'))]


def upgrade():
    op.create_table(
        'plans',
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('programme_id', sa.Integer(), nullable=False),
        sa.Column('subdistrict_id', sa.Integer(), nullable=True),
        sa.Column('subdistrict_key', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        *_figures(),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('year >= 2000 AND year <= 2100', name=op.f('ck_plans_year_in_range')),
        sa.CheckConstraint('subdistrict_key = COALESCE(subdistrict_id, 0)',
                           name=op.f('ck_plans_subdistrict_key_follows')),
        *_checks('plans'),
        sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_plans_programme_id_programmes')),
        sa.ForeignKeyConstraint(['subdistrict_id'], ['org_units.id'], name=op.f('fk_plans_subdistrict_id_org_units')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_plans')),
        sa.UniqueConstraint('year', 'programme_id', 'subdistrict_key',
                            name=op.f('uq_plans_year_programme_id_subdistrict_key')),
    )
    op.create_index(op.f('ix_plans_year'), 'plans', ['year'], unique=False)
    op.create_table(
        'plan_versions',
        sa.Column('plan_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('changed_by_id', sa.Integer(), nullable=False),
        sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        *_figures(),
        sa.Column('id', sa.Integer(), nullable=False),
        *_checks('plan_versions'),
        sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_plan_versions_changed_by_id_users')),
        sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_versions_plan_id_plans')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_versions')),
        sa.UniqueConstraint('plan_id', 'version', name=op.f('uq_plan_versions_plan_id_version')),
    )
    op.create_index(op.f('ix_plan_versions_plan_id'), 'plan_versions', ['plan_id'], unique=False)
    op.create_table(
        'quarterly_reports',
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('quarter', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('figures', sa.Text(), nullable=False),
        sa.Column('pdf', sa.LargeBinary(), nullable=False),
        sa.Column('xlsx', sa.LargeBinary(), nullable=False),
        sa.Column('issued_by_id', sa.Integer(), nullable=False),
        sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.CheckConstraint('quarter BETWEEN 1 AND 4', name=op.f('ck_quarterly_reports_quarter_of_a_year')),
        sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_quarterly_reports_issued_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_quarterly_reports')),
    )
    op.create_index(op.f('ix_quarterly_reports_issued_at'), 'quarterly_reports', ['issued_at'], unique=False)
    op.create_index(op.f('ix_certificates_issued_at'), 'certificates', ['issued_at'], unique=False)
    with op.batch_alter_table('reach_tallies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('completed_workers', sa.Integer(), server_default='0', nullable=False))
    # Derived data: computed from the rows already there by the same code the app repairs with.
    from academy.reports.raw_tallies import rebuild

    rebuild(op.get_bind())


def downgrade():
    with op.batch_alter_table('reach_tallies', schema=None) as batch_op:
        batch_op.drop_column('completed_workers')
    op.drop_index(op.f('ix_certificates_issued_at'), table_name='certificates')
    op.drop_index(op.f('ix_quarterly_reports_issued_at'), table_name='quarterly_reports')
    op.drop_table('quarterly_reports')
    op.drop_index(op.f('ix_plan_versions_plan_id'), table_name='plan_versions')
    op.drop_table('plan_versions')
    op.drop_index(op.f('ix_plans_year'), table_name='plans')
    op.drop_table('plans')
