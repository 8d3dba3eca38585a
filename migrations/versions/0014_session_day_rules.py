"""session-day rules: when a booking's outcome was recorded (for corrections)

Revision ID: 0014_session_day_rules
Revises: 0009_outbox_recipient_limit
Create Date: 2026-12-03 07:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0014_session_day_rules"
down_revision = "0009_outbox_recipient_limit"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("outcome_recorded_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.drop_column("outcome_recorded_at")
