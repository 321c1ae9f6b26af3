"""classroom: QR check-in scans and each course's check-in window

Revision ID: c4a9e2b7d3f1
Revises: a7c3e9d1f2b4
Create Date: 2026-12-01 05:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c4a9e2b7d3f1'
down_revision = 'a7c3e9d1f2b4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checkin_opens_before', sa.Integer(), server_default='30', nullable=False))
        batch_op.add_column(sa.Column('checkin_closes_after', sa.Integer(), server_default='30', nullable=False))
        batch_op.add_column(sa.Column('signout_scan', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_check_constraint(
            op.f('ck_courses_checkin_window_minutes'),
            'checkin_opens_before BETWEEN 0 AND 1440 AND checkin_closes_after BETWEEN 0 AND 1440')

    op.create_table('attendance_scans',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('direction', sa.Enum('in', 'out', name='scan_direction', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('by_code', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_attendance_scans_enrolment_id_enrolments')),
    sa.ForeignKeyConstraint(['session_id'], ['course_sessions.id'], name=op.f('fk_attendance_scans_session_id_course_sessions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance_scans')),
    sa.UniqueConstraint('session_id', 'enrolment_id', 'direction', name=op.f('uq_attendance_scans_session_id_enrolment_id_direction'))
    )
    with op.batch_alter_table('attendance_scans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_scans_enrolment_id'), ['enrolment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attendance_scans_session_id'), ['session_id'], unique=False)


def downgrade():
    with op.batch_alter_table('attendance_scans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_scans_session_id'))
        batch_op.drop_index(batch_op.f('ix_attendance_scans_enrolment_id'))
    op.drop_table('attendance_scans')
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_courses_checkin_window_minutes'), type_='check')
        batch_op.drop_column('signout_scan')
        batch_op.drop_column('checkin_closes_after')
        batch_op.drop_column('checkin_opens_before')
