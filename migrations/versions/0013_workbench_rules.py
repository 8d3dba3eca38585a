"""session-day rules, kinds of events, kept letters

- bookings.outcome_recorded_at: when the check-in, result or no-show was recorded
  (a correction is allowed until the end of the next working day after it);
- workflow_events.kind ("reopen", "letter") and workflow_events.detail (the text of
  a referral letter as sent, staff-only). A reopen was stored with a fixed Chinese
  or English prefix in its public message: the prefix goes and the event gets the
  kind "reopen", whose label is translated when shown.

Revision ID: 0013_workbench_rules
Revises: 0012_session_cancel_reason
Create Date: 2026-12-03 07:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0013_workbench_rules"
down_revision = "0012_session_cancel_reason"
branch_labels = None
depends_on = None

REOPEN_PREFIXES = ("报告人反映隐患仍然存在：", "The reporter says the hazard is still there: ")

events = sa.table(
    "workflow_events",
    sa.column("id", sa.Integer),
    sa.column("public_message", sa.Text),
    sa.column("kind", sa.String),
)


def upgrade():
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("outcome_recorded_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("workflow_events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=20), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("detail", sa.Text(), nullable=False, server_default=""))

    connection = op.get_bind()
    for prefix in REOPEN_PREFIXES:
        rows = connection.execute(
            sa.select(events.c.id, events.c.public_message).where(
                events.c.public_message.startswith(prefix, autoescape=True)
            )
        ).all()
        for row in rows:
            connection.execute(
                events.update()
                .where(events.c.id == row.id)
                .values(kind="reopen", public_message=row.public_message[len(prefix) :])
            )


def downgrade():
    with op.batch_alter_table("workflow_events", schema=None) as batch_op:
        batch_op.drop_column("detail")
        batch_op.drop_column("kind")
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.drop_column("outcome_recorded_at")
