"""The enrolment rush's verdict (bench/rush.py, issue 26): it finds oversold seats, lost attempts and seats or
a waitlist out of arrival order, and reads the outcome from the database as the operations wrote it."""
import contextlib
import io
import json
import sys
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import rush  # noqa: E402  (bench/rush.py)
from academy.auth.models import User  # noqa: E402
from academy.courses.models import Course, CourseStatus  # noqa: E402
from academy.enrolment import operations as ops  # noqa: E402
from academy.enrolment.models import Enrolment  # noqa: E402
from academy.extensions import db  # noqa: E402


def _outcome(course_ids) -> dict:
    """bench/rush.py's OUTCOME statement run here, as bench/run.py's in_app runs it in a process of its own."""
    printed = io.StringIO()
    names = dict(json=json, datetime=datetime, timezone=timezone, select=select, func=func, db=db, User=User,
                 Course=Course, CourseStatus=CourseStatus, Enrolment=Enrolment, payload=course_ids)
    with contextlib.redirect_stdout(printed):
        exec(rush.OUTCOME, names)  # noqa: S102  (the bench's own text)
    return json.loads(printed.getvalue())


def _one_after_another(course, workers) -> dict:
    """Each worker's attempt answered before the next was sent: (sent, answered) as the rush records them."""
    return {(course.id, worker.phone): (float(number), number + 0.5) for number, worker in enumerate(workers)}


def _enrolled_one_by_one(make, *, seats: int, workers: int):
    """A course of `seats` and `workers` who enrolled in it one after another, each committed."""
    course = make.create_course(capacity=seats)
    people = [make.create_worker() for _ in range(workers)]
    for worker in people:
        ops.enrol(course, worker)
        db.session.commit()
    return course, people


def test_seats_go_to_the_first_arrivals_and_the_waitlist_keeps_their_order(make):
    course, workers = _enrolled_one_by_one(make, seats=2, workers=5)
    checked = rush.verify(_outcome([course.id]), {course.id: 5}, _one_after_another(course, workers))
    assert checked["oversold"] == checked["lost_attempts"] == checked["out_of_order"] == 0
    assert checked["courses"][str(course.id)] == {"attempts": 5, "enrolled": 2, "seats_taken": 2, "waitlisted": 3,
                                                  "overtaken": 0, "seats_out_of_commit_order": 0}


def test_an_oversold_course_and_a_lost_attempt_are_found(make):
    course, workers = _enrolled_one_by_one(make, seats=2, workers=3)
    outcome = _outcome([course.id])
    outcome[str(course.id)]["arrival"][2][1] = "enrolled"  # a third seat given
    checked = rush.verify(outcome, {course.id: 4}, _one_after_another(course, workers))
    assert checked["oversold"] == 1 and checked["lost_attempts"] == 1


def _course(arrival, waitlist):
    return {"7": {"capacity": 2, "seats_taken": 2, "arrival": arrival, "waitlist": waitlist}}


SEQUENTIAL = {(7, phone): (float(number), number + 0.5) for number, phone in enumerate("abcd")}


def test_a_seat_given_out_of_commit_order_is_found():
    arrival = [[1, "enrolled", "a"], [2, "waitlisted", "b"], [3, "enrolled", "c"], [4, "waitlisted", "d"]]
    assert rush.verify(_course(arrival, [2, 4]), {7: 4}, SEQUENTIAL)["out_of_order"] >= 1


def test_a_worker_overtaken_by_a_later_request_is_found_but_not_one_in_flight_together():
    arrival = [[1, "enrolled", "a"], [2, "enrolled", "b"], [3, "waitlisted", "c"], [4, "waitlisted", "d"]]
    assert rush.verify(_course(arrival, [3, 4]), {7: 4}, SEQUENTIAL)["out_of_order"] == 0
    assert rush.verify(_course(arrival, [4, 3]), {7: 4}, SEQUENTIAL)["out_of_order"] == 1  # d sent after c's answer
    together = {**SEQUENTIAL, (7, "d"): (2.2, 2.9)}  # d sent while c was still in flight
    assert rush.verify(_course(arrival, [4, 3]), {7: 4}, together)["out_of_order"] == 0
