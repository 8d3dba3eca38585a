"""appointment sessions: the reason given when the brigade cancels one

Revision ID: 0012_session_cancel_reason
Revises: 0011_hazard_followers
Create Date: 2026-12-03 07:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0012_session_cancel_reason"
down_revision = "0011_hazard_followers"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("appointment_sessions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("cancel_reason", sa.String(length=200), nullable=False, server_default="")
        )


def downgrade():
    with op.batch_alter_table("appointment_sessions", schema=None) as batch_op:
        batch_op.drop_column("cancel_reason")
