"""skills competition: set-up, teams and members (one team per worker), round entries, judges, conflicts,
score sheets with lines and events, theory scores, award tiers, awards and talent-pool flags; the judge role

Revision ID: 3c9e5a1d7f20
Revises: d5f7b9c1e3a5
Create Date: 2026-12-01 05:58:47.748713

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c9e5a1d7f20'
down_revision = 'd5f7b9c1e3a5'
branch_labels = None
depends_on = None

OLD_ROLES = ('worker', 'instructor', 'street_admin', 'admin', 'district_reviewer')
NEW_ROLES = (*OLD_ROLES, 'judge')


def _roles(values):
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_users_role'), type_='check')
        batch_op.create_check_constraint(op.f('ck_users_role'), sa.column('role').in_(values))


def upgrade():
    _roles(NEW_ROLES)
    op.create_table('competitions',
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('theme', sa.Text(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('groups', sa.JSON(), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('team_min', sa.Integer(), nullable=False),
    sa.Column('team_max', sa.Integer(), nullable=False),
    sa.Column('semi_final_quota', sa.Integer(), nullable=False),
    sa.Column('trim_from', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'registration', 'judging', 'finished', name='competition_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('semi_final_quota >= 1', name=op.f('ck_competitions_quota_positive')),
    sa.CheckConstraint('team_min >= 1 AND team_max >= team_min', name=op.f('ck_competitions_team_size_range')),
    sa.CheckConstraint('trim_from >= 3', name=op.f('ck_competitions_trim_from_at_least_three')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competitions'))
    )
    op.create_table('competition_award_tiers',
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('team', 'individual', 'organiser', name='award_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('medal', sa.Enum('gold', 'silver', 'bronze', 'merit', name='medal', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('group', sa.Enum('livelihood', 'governance', 'development', name='tier_group', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('places', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.CheckConstraint('places >= 1', name=op.f('ck_competition_award_tiers_places_positive')),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], name=op.f('fk_competition_award_tiers_competition_id_competitions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition_award_tiers')),
    sa.UniqueConstraint('competition_id', 'kind', 'medal', 'group', name=op.f('uq_competition_award_tiers_competition_id_kind_medal_group'))
    )
    with op.batch_alter_table('competition_award_tiers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competition_award_tiers_competition_id'), ['competition_id'], unique=False)

    op.create_table('competition_rounds',
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.Enum('preliminary', 'semi_final', 'final', name='stage', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('venue', sa.String(length=200), nullable=False),
    sa.Column('advance_count', sa.Integer(), nullable=True),
    sa.Column('results_published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('advance_count IS NULL OR advance_count >= 1', name=op.f('ck_competition_rounds_advance_count_positive')),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_competition_rounds_dates_in_order')),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], name=op.f('fk_competition_rounds_competition_id_competitions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition_rounds')),
    sa.UniqueConstraint('competition_id', 'stage', name=op.f('uq_competition_rounds_competition_id_stage'))
    )
    with op.batch_alter_table('competition_rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competition_rounds_competition_id'), ['competition_id'], unique=False)

    op.create_table('competition_conflicts',
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('judge_id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('declared_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], name=op.f('fk_competition_conflicts_competition_id_competitions')),
    sa.ForeignKeyConstraint(['judge_id'], ['users.id'], name=op.f('fk_competition_conflicts_judge_id_users')),
    sa.ForeignKeyConstraint(['worker_id'], ['users.id'], name=op.f('fk_competition_conflicts_worker_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition_conflicts')),
    sa.UniqueConstraint('competition_id', 'judge_id', 'worker_id', name=op.f('uq_competition_conflicts_competition_id_judge_id_worker_id'))
    )
    with op.batch_alter_table('competition_conflicts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competition_conflicts_competition_id'), ['competition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_conflicts_judge_id'), ['judge_id'], unique=False)

    op.create_table('competition_judge_assignments',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('judge_id', sa.Integer(), nullable=False),
    sa.Column('group', sa.Enum('livelihood', 'governance', 'development', name='assignment_group', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('assigned_by_id', sa.Integer(), nullable=False),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['users.id'], name=op.f('fk_competition_judge_assignments_assigned_by_id_users')),
    sa.ForeignKeyConstraint(['judge_id'], ['users.id'], name=op.f('fk_competition_judge_assignments_judge_id_users')),
    sa.ForeignKeyConstraint(['round_id'], ['competition_rounds.id'], name=op.f('fk_competition_judge_assignments_round_id_competition_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition_judge_assignments')),
    sa.UniqueConstraint('round_id', 'judge_id', 'group', name=op.f('uq_competition_judge_assignments_round_id_judge_id_group'))
    )
    with op.batch_alter_table('competition_judge_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competition_judge_assignments_judge_id'), ['judge_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_judge_assignments_round_id'), ['round_id'], unique=False)

    op.create_table('competition_modules',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('theory', 'case_analysis', 'project', name='module_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('weight', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('max_score', sa.Numeric(precision=7, scale=2), nullable=False),
    sa.Column('tie_rank', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.CheckConstraint('max_score > 0', name=op.f('ck_competition_modules_max_score_positive')),
    sa.CheckConstraint('weight > 0 AND weight <= 100', name=op.f('ck_competition_modules_weight_percent')),
    sa.ForeignKeyConstraint(['round_id'], ['competition_rounds.id'], name=op.f('fk_competition_modules_round_id_competition_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition_modules')),
    sa.UniqueConstraint('round_id', 'kind', name=op.f('uq_competition_modules_round_id_kind'))
    )
    with op.batch_alter_table('competition_modules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competition_modules_round_id'), ['round_id'], unique=False)

    op.create_table('competition_criteria',
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('maximum', sa.Numeric(precision=7, scale=2), nullable=False),
    sa.Column('descriptor', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.CheckConstraint('maximum > 0', name=op.f('ck_competition_criteria_maximum_positive')),
    sa.ForeignKeyConstraint(['module_id'], ['competition_modules.id'], name=op.f('fk_competition_criteria_module_id_competition_modules')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition_criteria'))
    )
    with op.batch_alter_table('competition_criteria', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competition_criteria_module_id'), ['module_id'], unique=False)

    op.create_table('competition_teams',
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('subdistrict_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('group', sa.Enum('livelihood', 'governance', 'development', name='competition_group', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('field', sa.Enum('elderly_children', 'disabled_needy', 'community_governance', 'medical', 'school', 'new_employment', name='competition_field', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('leader_id', sa.Integer(), nullable=False),
    sa.Column('project_title', sa.String(length=200), nullable=False),
    sa.Column('project_summary', sa.Text(), nullable=False),
    sa.Column('attachment_id', sa.Integer(), nullable=True),
    sa.Column('publish_attachments', sa.Boolean(), nullable=False),
    sa.Column('registered_by_id', sa.Integer(), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['attachment_id'], ['evidence_files.id'], name=op.f('fk_competition_teams_attachment_id_evidence_files')),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], name=op.f('fk_competition_teams_competition_id_competitions')),
    sa.ForeignKeyConstraint(['leader_id'], ['users.id'], name=op.f('fk_competition_teams_leader_id_users')),
    sa.ForeignKeyConstraint(['registered_by_id'], ['users.id'], name=op.f('fk_competition_teams_registered_by_id_users')),
    sa.ForeignKeyConstraint(['subdistrict_id'], ['org_units.id'], name=op.f('fk_competition_teams_subdistrict_id_org_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition_teams')),
    sa.UniqueConstraint('competition_id', 'name', name=op.f('uq_competition_teams_competition_id_name')),
    sa.UniqueConstraint('id', 'competition_id', name='id_competition')
    )
    with op.batch_alter_table('competition_teams', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competition_teams_competition_id'), ['competition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_teams_subdistrict_id'), ['subdistrict_id'], unique=False)

    op.create_table('competition_awards',
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('tier_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('worker_id', sa.Integer(), nullable=True),
    sa.Column('subdistrict_id', sa.Integer(), nullable=True),
    sa.Column('verification_code', sa.String(length=32), nullable=False),
    sa.Column('awarded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('awarded_by_id', sa.Integer(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('revoke_reason', sa.Text(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.CheckConstraint('(CASE WHEN team_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN worker_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN subdistrict_id IS NULL THEN 0 ELSE 1 END) = 1', name=op.f('ck_competition_awards_one_recipient')),
    sa.CheckConstraint('revoked_at IS NULL OR revoke_reason IS NOT NULL', name=op.f('ck_competition_awards_revocation_has_reason')),
    sa.ForeignKeyConstraint(['awarded_by_id'], ['users.id'], name=op.f('fk_competition_awards_awarded_by_id_users')),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], name=op.f('fk_competition_awards_competition_id_competitions')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_competition_awards_revoked_by_id_users')),
    sa.ForeignKeyConstraint(['subdistrict_id'], ['org_units.id'], name=op.f('fk_competition_awards_subdistrict_id_org_units')),
    sa.ForeignKeyConstraint(['team_id'], ['competition_teams.id'], name=op.f('fk_competition_awards_team_id_competition_teams')),
    sa.ForeignKeyConstraint(['tier_id'], ['competition_award_tiers.id'], name=op.f('fk_competition_awards_tier_id_competition_award_tiers')),
    sa.ForeignKeyConstraint(['worker_id'], ['users.id'], name=op.f('fk_competition_awards_worker_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition_awards')),
    sa.UniqueConstraint('verification_code', name=op.f('uq_competition_awards_verification_code'))
    )
    with op.batch_alter_table('competition_awards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competition_awards_competition_id'), ['competition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_awards_team_id'), ['team_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_awards_worker_id'), ['worker_id'], unique=False)

    op.create_table('competition_events',
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_competition_events_actor_id_users')),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], name=op.f('fk_competition_events_competition_id_competitions')),
    sa.ForeignKeyConstraint(['round_id'], ['competition_rounds.id'], name=op.f('fk_competition_events_round_id_competition_rounds')),
    sa.ForeignKeyConstraint(['team_id'], ['competition_teams.id'], name=op.f('fk_competition_events_team_id_competition_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition_events'))
    )
    with op.batch_alter_table('competition_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competition_events_competition_id'), ['competition_id'], unique=False)

    op.create_table('competition_round_entries',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['competition_rounds.id'], name=op.f('fk_competition_round_entries_round_id_competition_rounds')),
    sa.ForeignKeyConstraint(['team_id'], ['competition_teams.id'], name=op.f('fk_competition_round_entries_team_id_competition_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition_round_entries')),
    sa.UniqueConstraint('round_id', 'team_id', name=op.f('uq_competition_round_entries_round_id_team_id'))
    )
    with op.batch_alter_table('competition_round_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competition_round_entries_round_id'), ['round_id'], unique=False)

    op.create_table('competition_round_results',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('place', sa.Integer(), nullable=False),
    sa.Column('score', sa.Numeric(precision=7, scale=2), nullable=False),
    sa.Column('advanced', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.CheckConstraint('place >= 1', name=op.f('ck_competition_round_results_place_positive')),
    sa.ForeignKeyConstraint(['round_id'], ['competition_rounds.id'], name=op.f('fk_competition_round_results_round_id_competition_rounds')),
    sa.ForeignKeyConstraint(['team_id'], ['competition_teams.id'], name=op.f('fk_competition_round_results_team_id_competition_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition_round_results')),
    sa.UniqueConstraint('round_id', 'team_id', name=op.f('uq_competition_round_results_round_id_team_id'))
    )
    with op.batch_alter_table('competition_round_results', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competition_round_results_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_round_results_team_id'), ['team_id'], unique=False)

    op.create_table('competition_score_sheets',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('judge_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('open', 'submitted', 'reopened', name='sheet_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(status = 'submitted') = (submitted_at IS NOT NULL)", name=op.f('ck_competition_score_sheets_submitted_has_time')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_competition_score_sheets_version_positive')),
    sa.ForeignKeyConstraint(['judge_id'], ['users.id'], name=op.f('fk_competition_score_sheets_judge_id_users')),
    sa.ForeignKeyConstraint(['module_id'], ['competition_modules.id'], name=op.f('fk_competition_score_sheets_module_id_competition_modules')),
    sa.ForeignKeyConstraint(['round_id'], ['competition_rounds.id'], name=op.f('fk_competition_score_sheets_round_id_competition_rounds')),
    sa.ForeignKeyConstraint(['team_id'], ['competition_teams.id'], name=op.f('fk_competition_score_sheets_team_id_competition_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition_score_sheets')),
    sa.UniqueConstraint('judge_id', 'team_id', 'module_id', name='one_sheet_per_judge')
    )
    with op.batch_alter_table('competition_score_sheets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competition_score_sheets_judge_id'), ['judge_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_score_sheets_module_id'), ['module_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_score_sheets_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_score_sheets_team_id'), ['team_id'], unique=False)

    op.create_table('competition_team_members',
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], name=op.f('fk_competition_team_members_competition_id_competitions')),
    sa.ForeignKeyConstraint(['team_id', 'competition_id'], ['competition_teams.id', 'competition_teams.competition_id'], name='team_in_competition'),
    sa.ForeignKeyConstraint(['worker_id'], ['users.id'], name=op.f('fk_competition_team_members_worker_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition_team_members')),
    sa.UniqueConstraint('competition_id', 'worker_id', name='one_team_per_worker')
    )
    with op.batch_alter_table('competition_team_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competition_team_members_team_id'), ['team_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_team_members_worker_id'), ['worker_id'], unique=False)

    op.create_table('competition_theory_scores',
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Numeric(precision=7, scale=2), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('score >= 0', name=op.f('ck_competition_theory_scores_score_not_negative')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['users.id'], name=op.f('fk_competition_theory_scores_entered_by_id_users')),
    sa.ForeignKeyConstraint(['module_id'], ['competition_modules.id'], name=op.f('fk_competition_theory_scores_module_id_competition_modules')),
    sa.ForeignKeyConstraint(['team_id'], ['competition_teams.id'], name=op.f('fk_competition_theory_scores_team_id_competition_teams')),
    sa.ForeignKeyConstraint(['worker_id'], ['users.id'], name=op.f('fk_competition_theory_scores_worker_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition_theory_scores')),
    sa.UniqueConstraint('module_id', 'worker_id', name=op.f('uq_competition_theory_scores_module_id_worker_id'))
    )
    with op.batch_alter_table('competition_theory_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competition_theory_scores_module_id'), ['module_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_theory_scores_team_id'), ['team_id'], unique=False)

    op.create_table('competition_score_lines',
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('points', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.CheckConstraint('points IS NULL OR points >= 0', name=op.f('ck_competition_score_lines_points_not_negative')),
    sa.ForeignKeyConstraint(['criterion_id'], ['competition_criteria.id'], name=op.f('fk_competition_score_lines_criterion_id_competition_criteria')),
    sa.ForeignKeyConstraint(['sheet_id'], ['competition_score_sheets.id'], name=op.f('fk_competition_score_lines_sheet_id_competition_score_sheets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition_score_lines')),
    sa.UniqueConstraint('sheet_id', 'criterion_id', name=op.f('uq_competition_score_lines_sheet_id_criterion_id'))
    )
    with op.batch_alter_table('competition_score_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competition_score_lines_sheet_id'), ['sheet_id'], unique=False)

    op.create_table('competition_sheet_events',
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('from_status', sa.Enum('open', 'submitted', 'reopened', name='from_status', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('to_status', sa.Enum('open', 'submitted', 'reopened', name='to_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_competition_sheet_events_actor_id_users')),
    sa.ForeignKeyConstraint(['sheet_id'], ['competition_score_sheets.id'], name=op.f('fk_competition_sheet_events_sheet_id_competition_score_sheets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition_sheet_events'))
    )
    with op.batch_alter_table('competition_sheet_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competition_sheet_events_sheet_id'), ['sheet_id'], unique=False)

    op.create_table('competition_talent_flags',
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('award_id', sa.Integer(), nullable=False),
    sa.Column('flagged_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['award_id'], ['competition_awards.id'], name=op.f('fk_competition_talent_flags_award_id_competition_awards')),
    sa.ForeignKeyConstraint(['worker_id'], ['users.id'], name=op.f('fk_competition_talent_flags_worker_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition_talent_flags')),
    sa.UniqueConstraint('worker_id', 'award_id', name=op.f('uq_competition_talent_flags_worker_id_award_id'))
    )
    with op.batch_alter_table('competition_talent_flags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competition_talent_flags_worker_id'), ['worker_id'], unique=False)



def downgrade():
    op.execute("UPDATE users SET role = 'worker' WHERE role = 'judge'")
    with op.batch_alter_table('competition_talent_flags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competition_talent_flags_worker_id'))

    op.drop_table('competition_talent_flags')
    with op.batch_alter_table('competition_sheet_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competition_sheet_events_sheet_id'))

    op.drop_table('competition_sheet_events')
    with op.batch_alter_table('competition_score_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competition_score_lines_sheet_id'))

    op.drop_table('competition_score_lines')
    with op.batch_alter_table('competition_theory_scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competition_theory_scores_team_id'))
        batch_op.drop_index(batch_op.f('ix_competition_theory_scores_module_id'))

    op.drop_table('competition_theory_scores')
    with op.batch_alter_table('competition_team_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competition_team_members_worker_id'))
        batch_op.drop_index(batch_op.f('ix_competition_team_members_team_id'))

    op.drop_table('competition_team_members')
    with op.batch_alter_table('competition_score_sheets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competition_score_sheets_team_id'))
        batch_op.drop_index(batch_op.f('ix_competition_score_sheets_round_id'))
        batch_op.drop_index(batch_op.f('ix_competition_score_sheets_module_id'))
        batch_op.drop_index(batch_op.f('ix_competition_score_sheets_judge_id'))

    op.drop_table('competition_score_sheets')
    with op.batch_alter_table('competition_round_results', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competition_round_results_team_id'))
        batch_op.drop_index(batch_op.f('ix_competition_round_results_round_id'))

    op.drop_table('competition_round_results')
    with op.batch_alter_table('competition_round_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competition_round_entries_round_id'))

    op.drop_table('competition_round_entries')
    with op.batch_alter_table('competition_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competition_events_competition_id'))

    op.drop_table('competition_events')
    with op.batch_alter_table('competition_awards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competition_awards_worker_id'))
        batch_op.drop_index(batch_op.f('ix_competition_awards_team_id'))
        batch_op.drop_index(batch_op.f('ix_competition_awards_competition_id'))

    op.drop_table('competition_awards')
    with op.batch_alter_table('competition_teams', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competition_teams_subdistrict_id'))
        batch_op.drop_index(batch_op.f('ix_competition_teams_competition_id'))

    op.drop_table('competition_teams')
    with op.batch_alter_table('competition_criteria', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competition_criteria_module_id'))

    op.drop_table('competition_criteria')
    with op.batch_alter_table('competition_modules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competition_modules_round_id'))

    op.drop_table('competition_modules')
    with op.batch_alter_table('competition_judge_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competition_judge_assignments_round_id'))
        batch_op.drop_index(batch_op.f('ix_competition_judge_assignments_judge_id'))

    op.drop_table('competition_judge_assignments')
    with op.batch_alter_table('competition_conflicts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competition_conflicts_judge_id'))
        batch_op.drop_index(batch_op.f('ix_competition_conflicts_competition_id'))

    op.drop_table('competition_conflicts')
    with op.batch_alter_table('competition_rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competition_rounds_competition_id'))

    op.drop_table('competition_rounds')
    with op.batch_alter_table('competition_award_tiers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competition_award_tiers_competition_id'))

    op.drop_table('competition_award_tiers')
    op.drop_table('competitions')
    _roles(OLD_ROLES)
