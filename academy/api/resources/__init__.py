"""One module per resource; RESOURCES is what academy.api.core registers."""
from academy.api.resources.certificates import bp as certificates
from academy.api.resources.courses import bp as courses
from academy.api.resources.me import bp as me
from academy.api.resources.programmes import bp as programmes

RESOURCES = (programmes, courses, me, certificates)
