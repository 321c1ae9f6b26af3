"""The eight programmes, by tier, as the programme list shows them."""
from flask_smorest import Blueprint

from academy.api.kept import kept_public
from academy.api.schemas import ProgrammeSchema
from academy.programmes.queries import programmes_by_tier

bp = Blueprint("api_programmes", __name__, url_prefix="/api/v1/programmes",
               description="The academy's programmes (public).")


@bp.route("")
@kept_public
@bp.response(200, ProgrammeSchema(many=True))
def programme_list():
    """Every programme, in the order of the programme list."""
    return [programme for _tier, programmes in programmes_by_tier() for programme in programmes]
