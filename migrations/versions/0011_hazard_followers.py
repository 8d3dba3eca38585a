"""hazard followers: numbers texted when a report changes state; the reporter's stop

Revision ID: 0011_hazard_followers
Revises: 0010_scheduled_runs
Create Date: 2026-12-03 07:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0011_hazard_followers"
down_revision = "0010_scheduled_runs"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "hazard_followers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("phone", sa.String(length=11), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("code_sent_at", sa.DateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(), nullable=True),
        sa.Column("unsubscribed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["hazard_reports.id"],
            name=op.f("fk_hazard_followers_report_id_hazard_reports"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hazard_followers")),
    )
    with op.batch_alter_table("hazard_followers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hazard_followers_report_id"), ["report_id"], unique=False
        )
    with op.batch_alter_table("hazard_reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reporter_texts_stopped_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("hazard_reports", schema=None) as batch_op:
        batch_op.drop_column("reporter_texts_stopped_at")
    with op.batch_alter_table("hazard_followers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hazard_followers_report_id"))
    op.drop_table("hazard_followers")
