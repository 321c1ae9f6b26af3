"""The audit trail read by people: each action as a sentence in the reader's language, the object it
names by its title or name, and the details as a list of what changed.

ACTIONS holds a sentence for every action the code records (tests/audit/test_phrases.py finds the
actions in the source and fails on one without its sentence); an action without one still shows, by
its code."""
from flask_babel import lazy_gettext as _l

# action -> what the operator did; %(object)s is the object's title or name
ACTIONS = {
    "agreement.create": _l("created the agreement %(object)s"),
    "agreement.update": _l("changed the agreement %(object)s"),
    "agreement.document": _l("attached a document to the agreement %(object)s"),
    "agreement.renewed": _l("renewed the agreement %(object)s"),
    "agreement.terminated": _l("terminated the agreement %(object)s"),
    "attendance.close_unsigned": _l("closed a check-in left without its sign-out: %(object)s"),
    "attendance.correct": _l("corrected attendance in %(object)s"),
    "attendance.scan": _l("checked in by scanning: %(object)s"),
    "ce_rule.update": _l("changed the continuing-education rule %(object)s"),
    "claims.approved": _l("approved the exam subsidy claim %(object)s for payment"),
    "claims.final_approved": _l("passed the final review of the exam subsidy claim %(object)s"),
    "claims.final_review": _l("sent the exam subsidy claim %(object)s to the final review"),
    "claims.first_review": _l("submitted the exam subsidy claim %(object)s for the first review"),
    "claims.in_notice": _l("put the exam subsidy claim %(object)s on public notice"),
    "claims.ledger_export": _l("exported the exam subsidy ledger of %(object)s in full"),
    "claims.notice_publish": _l("published the public notice %(object)s"),
    "claims.objection_dismissed": _l("dismissed the objection %(object)s"),
    "claims.objection_file": _l("filed the objection %(object)s"),
    "claims.objection_upheld": _l("upheld the objection %(object)s"),
    "claims.paid": _l("recorded the payment of the exam subsidy claim %(object)s"),
    "claims.payment_batch": _l("recorded the payment batch %(object)s"),
    "claims.rejected": _l("rejected the exam subsidy claim %(object)s"),
    "claims.returned": _l("returned the exam subsidy claim %(object)s for correction"),
    "claims.scheme_change": _l("changed the exam subsidy scheme %(object)s"),
    "claims.scheme_create": _l("created the exam subsidy scheme %(object)s"),
    "claims.second_review": _l("passed the first review of the exam subsidy claim %(object)s"),
    "claims.start": _l("started the exam subsidy claim %(object)s"),
    "certificate.issue": _l("issued the certificate %(object)s"),
    "certificate.revoke": _l("revoked the certificate %(object)s"),
    "competition.award_revoke": _l("revoked the competition award %(object)s"),
    "competition.award_tier": _l("set an award tier: %(object)s"),
    "competition.awards": _l("gave the awards of %(object)s"),
    "competition.conflict": _l("declared a conflict of interest %(object)s"),
    "competition.create": _l("created the competition %(object)s"),
    "competition.criterion_edit": _l("changed the scoring criterion %(object)s"),
    "competition.judge_assign": _l("assigned a judge %(object)s"),
    "competition.module": _l("added the module %(object)s"),
    "competition.module_edit": _l("changed the module %(object)s"),
    "competition.publish": _l("published the results of the round %(object)s"),
    "competition.round": _l("added the round %(object)s"),
    "competition.sheet_reopen": _l("reopened the score sheet %(object)s"),
    "competition.sheet_submit": _l("submitted the score sheet %(object)s"),
    "competition.status": _l("changed the status of the competition %(object)s"),
    "competition.team": _l("registered the team %(object)s"),
    "competition.team_withdraw": _l("withdrew the team %(object)s"),
    "competition.theory_import": _l("imported theory test scores for %(object)s"),
    "competition.theory_score": _l("entered a theory test score %(object)s"),
    "course.backdate": _l("moved the dates of %(object)s into the past"),
    "course.create": _l("created the course %(object)s"),
    "course.duplicate": _l("duplicated the course %(object)s"),
    "course.finalise": _l("finalised the results of %(object)s"),
    "course.session_backdate": _l("placed a session of %(object)s in the past"),
    "course.session_remove": _l("removed a session of %(object)s"),
    "course.session_save": _l("saved a session of %(object)s"),
    "course.status": _l("changed the status of %(object)s"),
    "course.update": _l("changed the course %(object)s"),
    "enrolment.approve": _l("approved the enrolment %(object)s"),
    "evaluation.answer": _l("answered a course evaluation"),
    "evaluation.template": _l("saved a new version of the evaluation questionnaire %(object)s"),
    "enrolment.import": _l("imported the enrolment %(object)s"),
    "enrolment.reject": _l("rejected the enrolment request %(object)s"),
    "enrolment.staff_enrol": _l("enrolled a worker: %(object)s"),
    "enrolment.withdraw": _l("withdrew the enrolment %(object)s"),
    "integrity.repair": _l("repaired derived data"),
    "login.failure": _l("failed to sign in as %(object)s"),
    "login.sms_code": _l("asked for a sign-in code by SMS for %(object)s"),
    "login.success": _l("signed in"),
    "logout": _l("signed out"),
    "material.add": _l("added the course material %(object)s"),
    "material.status": _l("changed the status of the course material %(object)s"),
    "material.update": _l("changed the course material %(object)s"),
    "org_unit.create": _l("created the org unit %(object)s"),
    "org_unit.rename": _l("renamed the org unit %(object)s"),
    "partner.create": _l("added the partner %(object)s"),
    "partner.update": _l("changed the partner %(object)s"),
    "practice_base.create": _l("added the practice base %(object)s"),
    "practice_base.update": _l("changed the practice base %(object)s"),
    "api_token.create": _l("created the API access token %(object)s"),
    "api_token.revoke": _l("revoked the API access token %(object)s"),
    "api_token.use": _l("acted through the API with the access token %(object)s"),
    "api_client.create": _l("gave the system %(object)s credentials for the API"),
    "api_client.revoke": _l("revoked the API credentials of the system %(object)s"),
    "api_client.token": _l("issued an API access token to the system %(object)s"),
    "consent.give": _l("gave consent to the processing of personal information: %(object)s"),
    "consent.withdraw": _l("withdrew a consent to the processing of personal information: %(object)s"),
    "profile.qualification_verify": _l("verified the qualification level of %(object)s"),
    "profile.resident_id_conflict": _l("entered a resident ID number another account holds (%(object)s)"),
    "profile.update": _l("changed the profile of %(object)s"),
    "programme.update": _l("changed the programme %(object)s"),
    "qualification.ceremony_notice": _l("sent the certificate ceremony notice"),
    "qualification.declare": _l("declared the qualification certificate %(object)s"),
    "qualification.import": _l("imported the qualification certificate %(object)s"),
    "privacy.closure_cancel": _l("withdrew the request to close an account: %(object)s"),
    "privacy.closure_close": _l("closed an account on request: %(object)s"),
    "privacy.closure_refuse": _l("did not close an account on request: %(object)s"),
    "privacy.closure_request": _l("asked for an account to be closed: %(object)s"),
    "privacy.export": _l("downloaded the personal data of %(object)s"),
    "qualification.import_results": _l("imported the annual exam results"),
    "qualification.verified": _l("verified the qualification certificate %(object)s"),
    "qualification.refused": _l("refused the qualification certificate %(object)s"),
    "qualification.revoked": _l("revoked the qualification certificate %(object)s"),
    "record.reject": _l("did not accept the learning record %(object)s"),
    "record.update": _l("changed the learning record %(object)s"),
    "record.verify": _l("verified the learning record %(object)s"),
    "record.withdraw": _l("withdrew the learning record %(object)s"),
    "report.full_export": _l("exported personal data in full"),
    "result.redecide": _l("decided the result of %(object)s again"),
    "user.activate": _l("activated the account of %(object)s"),
    "user.create": _l("created the account of %(object)s"),
    "user.deactivate": _l("deactivated the account of %(object)s"),
    "user.password_change": _l("changed the password of %(object)s"),
    "user.reset_link": _l("issued a password reset link for %(object)s"),
    "user.reset_link_used": _l("set a new password through a reset link: %(object)s"),
    "user.sign_out_everywhere": _l("signed %(object)s out everywhere"),
}

# table -> (the column that names a row, what a row is called)
OBJECTS = {
    "account_closure_requests": (None, _l("Account closing request")),
    "agreements": ("title", _l("Agreement")),
    "api_tokens": ("name", _l("API access token")),
    "api_clients": ("name", _l("API system")),
    "attendance_marks": (None, _l("Attendance mark")),
    "attendance_scans": (None, _l("Check-in scan")),
    "certificates": ("serial", _l("Certificate")),
    "claim_notices": (None, _l("Public notice")),
    "claim_objections": (None, _l("Objection")),
    "claim_payment_batches": ("batch_no", _l("Payment batch")),
    "claim_schemes": ("title", _l("Exam subsidy scheme")),
    "claims": ("certificate_no", _l("Exam subsidy claim")),
    "competition_award_tiers": (None, _l("Award tier")),
    "competition_awards": (None, _l("Award")),
    "competition_conflicts": (None, _l("Conflict of interest")),
    "competition_criteria": ("title", _l("Scoring criterion")),
    "competition_judge_assignments": (None, _l("Judge assignment")),
    "competition_modules": (None, _l("Module")),
    "competition_rounds": (None, _l("Round")),
    "competition_score_sheets": (None, _l("Score sheet")),
    "competition_teams": ("name", _l("Team")),
    "competition_theory_scores": (None, _l("Theory test score")),
    "competitions": ("title", _l("Competition")),
    "consents": (None, _l("Consent")),
    "continuing_education_rules": ("qualification", _l("Continuing-education rule")),
    "courses": ("title", _l("Course")),
    "enrolments": (None, _l("Enrolment")),
    "external_records": ("title", _l("Learning record")),
    "materials": ("title", _l("Course material")),
    "org_units": ("name_zh", _l("Org unit")),
    "partners": ("name_zh", _l("Partner")),
    "password_reset_links": (None, _l("Reset link")),
    "sms_sign_in_codes": (None, _l("Sign-in code")),
    "practice_bases": ("name", _l("Practice base")),
    "programmes": ("name_zh", _l("Programme")),
    "qualification_records": ("certificate_no", _l("Qualification certificate")),
    "users": ("name", _l("Account")),
}

# detail key -> its label; others show their key
FIELDS = {
    "title": _l("Title"), "name": _l("Name"), "status": _l("Status"), "reason": _l("Reason"),
    "capacity": _l("Capacity"), "starts_on": _l("Start date"), "ends_on": _l("End date"), "role": _l("Role"),
    "level": _l("Qualification level"), "course": _l("Course"), "topic": _l("Topic"), "hours": _l("Hours"),
    "file": _l("File"), "fields": _l("Changed fields"), "year": _l("Year"), "workers": _l("Workers"),
    "from": _l("From"), "to": _l("To"), "before": _l("Before"), "phone": _l("Mobile number"),
    "method": _l("Method"), "sent": _l("Sent"),
}


def sentence(action: str, object_label: str | None) -> str:
    phrase = ACTIONS.get(action)
    if phrase is None:
        return action if not object_label else f"{action} · {object_label}"
    return str(phrase) % {"object": object_label or "—"}


def detail_lines(detail: dict | None) -> list[tuple[str, str]]:
    """(label, value) for each detail; a change [old, new] reads old → new."""
    lines = []
    for key, value in (detail or {}).items():
        if isinstance(value, list) and len(value) == 2 and not isinstance(value[0], (list, dict)):
            text = f"{_plain(value[0])} → {_plain(value[1])}"
        elif isinstance(value, list):
            text = ", ".join(_plain(item) for item in value)
        else:
            text = _plain(value)
        lines.append((str(FIELDS.get(key, key)), text))
    return lines


def _plain(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_l("yes")) if value else str(_l("no"))
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_plain(item)}" for key, item in value.items())
    return str(value)
