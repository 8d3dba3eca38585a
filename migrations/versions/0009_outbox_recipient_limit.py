"""outbox: per-recipient limit (recipient key, suppressed reason)

Revision ID: 0009_outbox_recipient_limit
Revises: 0008_open311_keys
Create Date: 2026-12-02 10:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0009_outbox_recipient_limit"
down_revision = "0008_open311_keys"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("recipient_key", sa.String(length=254), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("suppressed_reason", sa.String(length=40), nullable=False, server_default="")
        )

    # Messages queued before this revision count towards the limit as well.
    outbox = sa.table(
        "outbox",
        sa.column("channel", sa.String),
        sa.column("recipient", sa.String),
        sa.column("recipient_key", sa.String),
    )
    op.execute(
        outbox.update()
        .where(outbox.c.channel == "email")
        .values(recipient_key=sa.func.lower(outbox.c.recipient))
    )
    op.execute(
        outbox.update().where(outbox.c.channel != "email").values(recipient_key=outbox.c.recipient)
    )

    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.alter_column("recipient_key", server_default=None)
        batch_op.alter_column("suppressed_reason", server_default=None)
        batch_op.create_index(
            "ix_outbox_recipient_key_created_at", ["recipient_key", "created_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_recipient_key_created_at")
        batch_op.drop_column("suppressed_reason")
        batch_op.drop_column("recipient_key")
