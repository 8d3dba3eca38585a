"""waiting lists: held seats and closed lists on sessions, the waitlist_entries table

Revision ID: 0015_waitlist
Revises: 0014_hazard_map_index
Create Date: 2026-12-03 07:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0015_waitlist"
down_revision = "0014_hazard_map_index"
branch_labels = None
depends_on = None

ACTIVE = sa.text("state IN ('waiting', 'offered')")


def upgrade():
    with op.batch_alter_table("appointment_sessions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("seats_held", sa.Integer(), server_default=sa.text("0"), nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "waitlist_closed", sa.Boolean(), server_default=sa.text("false"), nullable=False
            )
        )
        batch_op.create_check_constraint(
            "held_within_capacity",
            "seats_held >= 0 AND seats_taken + seats_held <= capacity",
        )

    op.create_table(
        "waitlist_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("service", sa.String(length=30), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("full_name", sa.String(length=30), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("phone", sa.String(length=11), nullable=False),
        sa.Column("email", sa.String(length=254), server_default="", nullable=False),
        sa.Column("subject", sa.Integer(), nullable=True),
        sa.Column("licence_class", sa.String(length=2), nullable=True),
        sa.Column("licence_expiry", sa.Date(), nullable=True),
        sa.Column("language", sa.String(length=5), server_default="zh", nullable=False),
        sa.Column("offered_session_id", sa.Integer(), nullable=True),
        sa.Column("offered_at", sa.DateTime(), nullable=True),
        sa.Column("offer_expires_at", sa.DateTime(), nullable=True),
        sa.Column("booking_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("state_changed_at", sa.DateTime(), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assignee_id"], ["users.id"], name=op.f("fk_waitlist_entries_assignee_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["booking_id"], ["bookings.id"], name=op.f("fk_waitlist_entries_booking_id_bookings")
        ),
        sa.ForeignKeyConstraint(
            ["offered_session_id"],
            ["appointment_sessions.id"],
            name=op.f("fk_waitlist_entries_offered_session_id_appointment_sessions"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["appointment_sessions.id"],
            name=op.f("fk_waitlist_entries_session_id_appointment_sessions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waitlist_entries")),
        sa.UniqueConstraint("reference", name=op.f("uq_waitlist_entries_reference")),
    )
    with op.batch_alter_table("waitlist_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_waitlist_entries_assignee_id"), ["assignee_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_waitlist_entries_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_waitlist_entries_id_number"), ["id_number"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_waitlist_entries_state"), ["state"], unique=False)
        batch_op.create_index(
            "ix_waitlist_entries_line", ["service", "state", "id"], unique=False
        )
        batch_op.create_index(
            "ix_waitlist_entries_offer_expiry", ["state", "offer_expires_at"], unique=False
        )
        batch_op.create_index(
            "uq_waitlist_entries_active_id_number",
            ["service", "id_number"],
            unique=True,
            sqlite_where=ACTIVE,
            postgresql_where=ACTIVE,
        )


def downgrade():
    op.drop_table("waitlist_entries")
    with op.batch_alter_table("appointment_sessions", schema=None) as batch_op:
        batch_op.drop_constraint(
            op.f("ck_appointment_sessions_held_within_capacity"), type_="check"
        )
        batch_op.drop_column("waitlist_closed")
        batch_op.drop_column("seats_held")
