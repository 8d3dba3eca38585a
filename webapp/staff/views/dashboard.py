"""The dashboard (last twelve months) and the annual report, drawn from every source."""

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from webapp.common.charts import bar_chart, line_chart
from webapp.common.clock import local_now, local_today
from webapp.common.csv_export import csv_response, record_export
from webapp.common.workdays import CALENDAR_FILE, missing_years
from webapp.security import client_ip
from webapp.staff import bp
from webapp.staff.access import requires_role
from webapp.staff.forms import ReportYearForm
from webapp.staff.reporting import (
    FIRST_YEAR,
    Report,
    build_report,
    calendar_year,
    report_csv_rows,
    twelve_months_to,
)


def _charts(report: Report, prefix: str) -> dict:
    """The report's charts; the template shows a table of the same figures beside each."""
    charts = {
        "by_type": bar_chart(
            chart_id=f"{prefix}-by-type",
            title=_("Submissions by kind"),
            desc=_("Number of submissions received in the period, by kind."),
            items=report.by_type,
        ),
        "trend": line_chart(
            chart_id=f"{prefix}-trend",
            title=_("Submissions per month"),
            desc=_("Submissions received each month of the period, one line per kind."),
            labels=[label[2:] for label in report.month_labels],
            series=[
                (_("All submissions"), report.monthly_totals),
                *((str(item.source.label), item.monthly) for item in report.sources),
            ],
        ),
    }
    for number, item in enumerate(report.sources):
        charts[f"state-{item.source.type}"] = bar_chart(
            chart_id=f"{prefix}-state-{number}",
            title=_("%(kind)s by state", kind=item.source.label),
            desc=_("Number of submissions of this kind in each state."),
            items=list(item.figures.by_state),
        )
        charts[f"category-{item.source.type}"] = bar_chart(
            chart_id=f"{prefix}-category-{number}",
            title=_("%(kind)s by category", kind=item.source.label),
            desc=_("Number of submissions of this kind in each category."),
            items=list(item.figures.by_category),
        )
    return charts


@bp.route("/dashboard")
@requires_role()
def dashboard():
    report = build_report(current_user, twelve_months_to(local_today()))
    return render_template(
        "staff/dashboard.html",
        report=report,
        charts=_charts(report, "dashboard"),
        missing_years=missing_years(local_today()) if current_user.is_admin else [],
        calendar_file=f"content/{CALENDAR_FILE}",
    )


def _year_form() -> ReportYearForm:
    form = ReportYearForm(request.args, first=FIRST_YEAR, last=local_today().year)
    form.validate()
    return form


@bp.route("/reports/annual")
@requires_role()
def annual_report():
    return _render_annual_report(_year_form())


def _render_annual_report(form: ReportYearForm, status: int = 200):
    """The report of the year asked for; this year's, under the message, when it is wrong."""
    year = form.chosen_year()
    report = build_report(current_user, calendar_year(year))
    page = render_template(
        "staff/annual-report.html",
        form=form,
        report=report,
        year=year,
        years=range(form.last, FIRST_YEAR - 1, -1),
        charts=_charts(report, "annual"),
    )
    return page, status


@bp.route("/reports/annual.csv")
@requires_role()
def annual_report_csv():
    form = _year_form()
    if form.errors:
        return _render_annual_report(form, status=400)
    year = form.chosen_year()
    report = build_report(current_user, calendar_year(year))
    record_export(actor=current_user, what=f"annual report {year}", ip=client_ip())
    labels = {
        "total": _("Submissions received"),
        "by_state": _("By state"),
        "by_category": _("By category"),
        "monthly": _("Per month"),
        "median": _("Median hours to close"),
        "p90": _("90th percentile hours to close"),
    }
    return csv_response(
        f"annual-report-{year}.csv",
        header_line=_(
            "Annual report %(year)s exported by %(user)s at %(when)s",
            year=year,
            user=current_user.username,
            when=f"{local_now():%Y-%m-%d %H:%M}",
        ),
        columns=[_("Section"), _("Kind"), _("Item"), _("Value")],
        rows=report_csv_rows(report, labels=labels),
    )
