"""Read-only pages of the qualification registry and of the submitted exam-subsidy claims, for
administrators, the district's reviewer (claims) and the district's systems, in the caller's scope."""
from flask_smorest import Blueprint

from academy.api.access import caller_scope, errors, requires
from academy.api.admin_schemas import ClaimsPageSchema, ClaimsQuerySchema, RegistryPageSchema, RegistryQuerySchema
from academy.api.models import ApiScope
from academy.api.paging import BAD_CURSOR, after_id, page_of
from academy.claims.queries import submitted_claims
from academy.core.errors import problem
from academy.core.masking import mask_resident_id
from academy.extensions import db
from academy.qualifications.queries import RegistryFilters, rows_after
from academy.reports.queries import lookup_names

bp = Blueprint("api_registry", __name__, url_prefix="/api/v1",
               description="The qualification registry and submitted claims, read-only (masked, no bank details).")
SECURED = [{"bearer": []}]


def _subdistrict(names: dict, subdistrict_id):
    return {"id": subdistrict_id, "name": names[subdistrict_id]} if subdistrict_id in names else None


def _by_id(row) -> tuple:
    return (row["id"],)


@bp.route("/qualifications")
@requires(ApiScope.REGISTRY_READ)
@bp.arguments(RegistryQuerySchema, location="query")
@bp.response(200, RegistryPageSchema)
@bp.doc(security=SECURED)
@errors(bp, 400, 401, 403, 422)
def qualification_list(arguments):
    """Qualification records under the registry's filters, in the order of their ids (new ones come last);
    resident ID numbers masked."""
    after = after_id(arguments.get("cursor"))
    if after is False:
        return problem(400, BAD_CURSOR)
    filters = RegistryFilters(level=arguments.get("level"), status=arguments.get("status"), year=arguments.get("year"),
                              subdistrict_id=caller_scope().narrow(arguments.get("subdistrict")))
    names = lookup_names(db.session)["subdistricts"]
    limit = arguments["limit"]
    rows = [{**row._mapping, "resident_id": mask_resident_id(row.resident_id),
             "subdistrict": _subdistrict(names, row.subdistrict_id)}
            for row in db.session.execute(rows_after(filters, after, limit + 1))]
    return page_of(rows, limit, _by_id)


@bp.route("/claims")
@requires(ApiScope.CLAIMS_READ)
@bp.arguments(ClaimsQuerySchema, location="query")
@bp.response(200, ClaimsPageSchema)
@bp.doc(security=SECURED)
@errors(bp, 400, 401, 403, 422)
def claim_list(arguments):
    """Submitted exam-subsidy claims (drafts are the worker's own), in the order of their ids, with their
    state in the three-level review; no bank details."""
    after = after_id(arguments.get("cursor"))
    if after is False:
        return problem(400, BAD_CURSOR)
    names = lookup_names(db.session)["subdistricts"]
    limit = arguments["limit"]
    rows = [{**row._mapping, "subdistrict": _subdistrict(names, row.subdistrict_id)}
            for row in submitted_claims(after=after, limit=limit + 1, scheme_id=arguments.get("scheme"),
                                        exam_year=arguments.get("exam_year"), state=arguments.get("state"),
                                        subdistrict_id=caller_scope().narrow(arguments.get("subdistrict")))]
    return page_of(rows, limit, _by_id)
