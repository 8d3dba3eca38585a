"""the language each booking was made in, for messages to the applicant

Revision ID: 0007_appointments_integration
Revises: 0006_outbox
Create Date: 2026-11-27 13:20:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0007_appointments_integration"
down_revision = '0006_outbox'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("language", sa.String(length=5), server_default="zh", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.drop_column("language")
