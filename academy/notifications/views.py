"""A user's own notifications, newest first."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from academy.core.forms import ConfirmForm
from academy.extensions import db
from academy.notifications.models import Notification
from academy.notifications.operations import mark_all_read, message


@login_required
def notification_list():
    query = select(Notification).where(Notification.user_id == current_user.id).order_by(Notification.id.desc())
    page = db.paginate(query, per_page=30, error_out=False)
    return render_template("notifications/list.html", page=page, message=message)


@login_required
def mark_read():
    if ConfirmForm().validate_on_submit():
        mark_all_read(current_user.id)
        db.session.commit()
        flash(_("All notifications are marked as read."), "success")
    return redirect(url_for("notifications.notification_list"))
