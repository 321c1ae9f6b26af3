"""Registry test data: records written straight to the table (for counts and lists) or through the
operations (for the rules)."""
from datetime import date

from academy.auth.enums import Qualification
from academy.extensions import db
from academy.qualifications.models import QualificationEvent, QualificationRecord, RecordStatus

PDF = b"%PDF-1.4\n%%EOF\n"
AUTHORITY = "人力资源和社会保障部 民政部"


def add_record(worker, level=Qualification.ASSISTANT, number=None, year=2020, status=RecordStatus.VERIFIED,
               issued_on=None, **extra) -> QualificationRecord:
    item = QualificationRecord(worker_id=worker.id, level=level, certificate_no=number or f"C{worker.id}{level.rank}{year}",
                               exam_year=year, issued_on=issued_on or date(year, 12, 1), issuing_authority=AUTHORITY,
                               status=status, status_reason="原因" if status == RecordStatus.REFUSED else None, **extra)
    db.session.add(item)
    db.session.add(QualificationEvent(record=item, to_status=status))
    db.session.commit()
    return item


def declaration(**overrides) -> dict:
    values = dict(level=Qualification.ASSISTANT, certificate_no="A2022110100001", exam_year=2022,
                  issued_on=date(2022, 12, 20), issuing_authority=AUTHORITY)
    values.update(overrides)
    return values
