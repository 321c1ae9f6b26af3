"""The district reviewer (区委社会工作部) walked over every route: the final review of claims and the
public pages; nothing of the academy's administration, teaching or the workers' own pages."""
from tests.factories import DEFAULT_PASSWORD
from tests.security.test_route_walk import ROUTES, rules, url
from tests.security.world import build_world

# Where the district reviewer differs from "the status every signed-in role gets, else 403".
OWN = {
    "claims.queue": 200, "claims.review": 200, "claims.decide": 302, "claims.bulk_forward": 302,
    "claims.upload_file": 200,
    # as for the instructor and the subdistrict administrator: no profile of their own, no one else's files
    "auth.profile": 302, "certificates.download": 404, "progress.evidence_download": 404,
    "competitions.award_certificate": 404, "materials.course_materials": 404, "materials.download": 404,
    "jobs.download": 404, "jobs.job_page": 404, "jobs.job_status": 404, "jobs.retry": 404,  # someone else's job
    "api_tokens.token_revoke": 404,  # someone else's token
}


def expected(endpoint) -> int:
    if endpoint in OWN:
        return OWN[endpoint]
    signed_in = set(ROUTES[endpoint][1][1:])
    return signed_in.pop() if len(signed_in) == 1 else 403


def test_the_district_reviewers_matrix(app, make):
    world = build_world(make)
    reviewer = make.create_district_reviewer()
    failures = []
    for rule in rules(app):
        method = ROUTES[rule.endpoint][0]
        if method == "POST":
            world = build_world(make)
        client = app.test_client()
        assert client.post("/login", data={"phone": reviewer.phone, "password": DEFAULT_PASSWORD}).status_code == 302
        status = client.open(url(app, rule, world), method=method).status_code
        if status != expected(rule.endpoint):
            failures.append(f"{rule.endpoint}: {status}, expected {expected(rule.endpoint)}")
    assert failures == [], "\n".join(failures)


def test_the_final_review_queue_holds_only_final_reviews(app, make, client, login):
    from academy.claims.models import ClaimState
    from tests.claims.helpers import bring_to, draft, scheme

    the_scheme = scheme(make)
    waiting, earlier = draft(make, the_scheme), draft(make, the_scheme)
    bring_to(make, waiting, ClaimState.FINAL_REVIEW)
    bring_to(make, earlier, ClaimState.SECOND_REVIEW)
    login(make.create_district_reviewer())
    page = client.get("/review/claims").get_data(as_text=True)
    assert waiting.worker.name in page and earlier.worker.name not in page
