"""classroom: QR check-in scans and each course's check-in window; course materials; course evaluations

Revision ID: c4a9e2b7d3f1
Revises: 3c9e5a1d7f20
Create Date: 2026-12-01 05:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c4a9e2b7d3f1'
down_revision = '3c9e5a1d7f20'
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

    op.create_table('materials',
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('file', 'link', name='material_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', 'withdrawn', name='material_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=True),
    sa.Column('stored_name', sa.String(length=64), nullable=True),
    sa.Column('original_name', sa.String(length=255), nullable=True),
    sa.Column('content_type', sa.String(length=100), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('downloads', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(kind = 'file' AND stored_name IS NOT NULL) OR (kind = 'link' AND url IS NOT NULL)", name=op.f('ck_materials_file_or_link')),
    sa.CheckConstraint('downloads >= 0', name=op.f('ck_materials_downloads_not_negative')),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_materials_course_id_courses')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_materials_created_by_id_users')),
    sa.ForeignKeyConstraint(['session_id'], ['course_sessions.id'], name=op.f('fk_materials_session_id_course_sessions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_materials')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_materials_stored_name'))
    )
    with op.batch_alter_table('materials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_materials_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_materials_session_id'), ['session_id'], unique=False)

    op.create_table('material_events',
    sa.Column('material_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('from_status', sa.Enum('draft', 'published', 'withdrawn', name='from_status', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('to_status', sa.Enum('draft', 'published', 'withdrawn', name='to_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_material_events_actor_id_users')),
    sa.ForeignKeyConstraint(['material_id'], ['materials.id'], name=op.f('fk_material_events_material_id_materials')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_material_events'))
    )
    with op.batch_alter_table('material_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_material_events_material_id'), ['material_id'], unique=False)

    op.create_table('evaluation_templates',
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('intro', sa.Text(), nullable=False),
    sa.Column('q_content', sa.String(length=200), nullable=False),
    sa.Column('q_instructor', sa.String(length=200), nullable=False),
    sa.Column('q_organisation', sa.String(length=200), nullable=False),
    sa.Column('q_usefulness', sa.String(length=200), nullable=False),
    sa.Column('comment_prompt', sa.String(length=200), nullable=False),
    sa.Column('names_to_admins', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_evaluation_templates_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_templates')),
    sa.UniqueConstraint('version', name=op.f('uq_evaluation_templates_version'))
    )
    op.create_table('evaluation_answers',
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('content', sa.SmallInteger(), nullable=False),
    sa.Column('instructor', sa.SmallInteger(), nullable=False),
    sa.Column('organisation', sa.SmallInteger(), nullable=False),
    sa.Column('usefulness', sa.SmallInteger(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.CheckConstraint('content BETWEEN 1 AND 5', name=op.f('ck_evaluation_answers_content_1_to_5')),
    sa.CheckConstraint('instructor BETWEEN 1 AND 5', name=op.f('ck_evaluation_answers_instructor_1_to_5')),
    sa.CheckConstraint('organisation BETWEEN 1 AND 5', name=op.f('ck_evaluation_answers_organisation_1_to_5')),
    sa.CheckConstraint('usefulness BETWEEN 1 AND 5', name=op.f('ck_evaluation_answers_usefulness_1_to_5')),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_evaluation_answers_course_id_courses')),
    sa.ForeignKeyConstraint(['template_id'], ['evaluation_templates.id'], name=op.f('fk_evaluation_answers_template_id_evaluation_templates')),
    sa.ForeignKeyConstraint(['worker_id'], ['users.id'], name=op.f('fk_evaluation_answers_worker_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_answers')),
    sa.UniqueConstraint('course_id', 'worker_id', name=op.f('uq_evaluation_answers_course_id_worker_id'))
    )
    with op.batch_alter_table('evaluation_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_answers_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_answers_template_id'), ['template_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_answers_worker_id'), ['worker_id'], unique=False)

    op.create_table('evaluation_invitations',
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('invited_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_evaluation_invitations_course_id_courses')),
    sa.ForeignKeyConstraint(['worker_id'], ['users.id'], name=op.f('fk_evaluation_invitations_worker_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_invitations')),
    sa.UniqueConstraint('course_id', 'worker_id', name=op.f('uq_evaluation_invitations_course_id_worker_id'))
    )
    with op.batch_alter_table('evaluation_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_invitations_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_invitations_worker_id'), ['worker_id'], unique=False)

    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('evaluation_before_certificate', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_column('evaluation_before_certificate')

    with op.batch_alter_table('evaluation_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_invitations_worker_id'))
        batch_op.drop_index(batch_op.f('ix_evaluation_invitations_course_id'))

    op.drop_table('evaluation_invitations')
    with op.batch_alter_table('evaluation_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_answers_worker_id'))
        batch_op.drop_index(batch_op.f('ix_evaluation_answers_template_id'))
        batch_op.drop_index(batch_op.f('ix_evaluation_answers_course_id'))

    op.drop_table('evaluation_answers')
    op.drop_table('evaluation_templates')
    with op.batch_alter_table('material_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_material_events_material_id'))

    op.drop_table('material_events')
    with op.batch_alter_table('materials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_materials_session_id'))
        batch_op.drop_index(batch_op.f('ix_materials_course_id'))

    op.drop_table('materials')
    with op.batch_alter_table('attendance_scans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_scans_session_id'))
        batch_op.drop_index(batch_op.f('ix_attendance_scans_enrolment_id'))
    op.drop_table('attendance_scans')
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_courses_checkin_window_minutes'), type_='check')
        batch_op.drop_column('signout_scan')
        batch_op.drop_column('checkin_closes_after')
        batch_op.drop_column('checkin_opens_before')
