"""One module per resource; RESOURCES is what academy.api.core registers."""
from academy.api.resources.certificates import bp as certificates
from academy.api.resources.courses import bp as courses
from academy.api.resources.me import bp as me
from academy.api.resources.programmes import bp as programmes
from academy.api.resources.registry import bp as registry
from academy.api.resources.reports import bp as reports
from academy.api.resources.token import bp as token

RESOURCES = (programmes, courses, me, certificates, token, reports, registry)
