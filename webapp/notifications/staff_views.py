"""The outbox in the back office: counts, failed, held-back and recent messages, a retry button."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.common.pagination import page_number
from webapp.notifications import staff_bp as bp
from webapp.notifications.forms import RetryForm
from webapp.notifications.messages import KIND_LABELS
from webapp.notifications.services import (
    MessageNotRetryable,
    failed_messages_page,
    outbox_counts,
    recent_messages,
    retry_message,
    suppressed_messages_page,
)
from webapp.notifications.states import STATUS_LABELS
from webapp.security import client_ip
from webapp.staff.access import guard_staff_area, requires_role
from webapp.staff.roles import Role

bp.before_request(guard_staff_area)


@bp.route("/")
@requires_role(Role.ADMIN)
def outbox():
    return render_template(
        "notifications/outbox.html",
        counts=outbox_counts(),
        status_labels=STATUS_LABELS,
        kind_labels=KIND_LABELS,
        failed=failed_messages_page(page_number(request.args.get("page"))),
        suppressed=suppressed_messages_page(page_number(request.args.get("suppressed_page"))),
        recipient_limit=current_app.config["MESSAGES_PER_RECIPIENT_PER_DAY"],
        recent=recent_messages(),
    )


@bp.route("/<int:message_id>/retry", methods=["POST"])
@requires_role(Role.ADMIN)
def retry(message_id: int):
    form = RetryForm()
    if form.validate_on_submit():
        try:
            retry_message(message_id, actor=current_user, ip=client_ip())
        except MessageNotRetryable:
            flash(_("That message is not failed, so it was not sent again."))
        else:
            flash(_("The message will be sent again."))
    return redirect(url_for(".outbox"))
