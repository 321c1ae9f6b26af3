from flask import Blueprint

from academy.certificates import verification
from academy.competitions import award_views, import_views, judge_views, result_views, views
from academy.competitions.certificate import verify_lookup

bp = Blueprint("competitions", __name__)

bp.add_url_rule("/admin/competitions", "competition_list", views.competition_list)
bp.add_url_rule("/admin/competitions/new", "competition_create", views.competition_create, methods=["GET", "POST"])
bp.add_url_rule("/admin/competitions/<int:competition_id>", "competition_detail", views.competition_detail)
bp.add_url_rule("/admin/competitions/<int:competition_id>/status", "competition_status", views.competition_status,
                methods=["POST"])
bp.add_url_rule("/admin/competitions/<int:competition_id>/rounds", "round_create", views.round_create,
                methods=["POST"])
bp.add_url_rule("/admin/competition-rounds/<int:round_id>/modules", "module_create", views.module_create,
                methods=["POST"])
bp.add_url_rule("/admin/competition-modules/<int:module_id>/criteria", "criterion_create", views.criterion_create,
                methods=["POST"])
bp.add_url_rule("/admin/competition-rounds/<int:round_id>/judges", "judge_assign", views.judge_assign,
                methods=["POST"])
bp.add_url_rule("/admin/competitions/<int:competition_id>/teams", "team_list", views.team_list)
bp.add_url_rule("/admin/competitions/<int:competition_id>/teams/new", "team_register", views.team_register,
                methods=["GET", "POST"])
bp.add_url_rule("/admin/competition-rounds/<int:round_id>/standings", "round_standings",
                result_views.round_standings)
bp.add_url_rule("/admin/competition-rounds/<int:round_id>/publish", "round_publish", result_views.round_publish,
                methods=["POST"])
bp.add_url_rule("/admin/competition-sheets/<int:sheet_id>", "sheet_detail", result_views.sheet_detail)
bp.add_url_rule("/admin/competition-sheets/<int:sheet_id>/reopen", "sheet_reopen", result_views.sheet_reopen,
                methods=["POST"])
bp.add_url_rule("/admin/competition-modules/<int:module_id>/theory", "theory_scores", result_views.theory_scores,
                methods=["GET", "POST"])
bp.add_url_rule("/judging", "judge_home", judge_views.judge_home)
bp.add_url_rule("/judging/rounds/<int:round_id>", "judge_round", judge_views.judge_round)
bp.add_url_rule("/judging/rounds/<int:round_id>/conflicts", "conflict_declare", judge_views.conflict_declare,
                methods=["POST"])
bp.add_url_rule("/judging/teams/<int:team_id>/modules/<int:module_id>", "score_sheet", judge_views.score_sheet,
                methods=["GET", "POST"])
bp.add_url_rule("/me/competitions", "my_competitions", result_views.my_competitions)
bp.add_url_rule("/admin/competitions/<int:competition_id>/awards", "competition_awards",
                award_views.competition_awards)
bp.add_url_rule("/admin/competitions/<int:competition_id>/award-tiers", "tier_create", award_views.tier_create,
                methods=["POST"])
bp.add_url_rule("/admin/competitions/<int:competition_id>/awards/give", "awards_give", award_views.awards_give,
                methods=["POST"])
bp.add_url_rule("/awards/<int:award_id>/certificate.pdf", "award_certificate", award_views.award_certificate)
bp.add_url_rule("/cases", "case_library", award_views.case_library)
bp.add_url_rule("/admin/talent-pool", "talent_pool", award_views.talent_pool)

verification.register(verify_lookup)  # /verify answers for award certificates too
bp.add_url_rule("/admin/competitions/theory-import", "theory_import", import_views.theory_import,
                methods=["GET", "POST"])
bp.add_url_rule("/admin/competitions/theory-import/confirm", "theory_import_confirm",
                import_views.theory_import_confirm, methods=["POST"])
bp.add_url_rule("/competition-teams/<int:team_id>/attachment", "team_attachment", award_views.team_attachment)
bp.add_url_rule("/me/competitions/rounds/<int:round_id>", "member_standings", result_views.member_standings)
bp.add_url_rule("/admin/competition-teams/<int:team_id>/withdraw", "team_withdraw", views.team_withdraw,
                methods=["POST"])
bp.add_url_rule("/admin/competition-awards/<int:award_id>/revoke", "award_revoke", award_views.award_revoke,
                methods=["POST"])
bp.add_url_rule("/admin/competition-modules/<int:module_id>/edit", "module_edit", views.module_edit,
                methods=["GET", "POST"])
bp.add_url_rule("/admin/competition-criteria/<int:criterion_id>/edit", "criterion_edit", views.criterion_edit,
                methods=["GET", "POST"])
