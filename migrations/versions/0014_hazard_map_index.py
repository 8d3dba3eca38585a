"""hazard reports: an index for the public map's box (is_private, latitude, longitude, created_at)

Revision ID: 0014_hazard_map_index
Revises: 0013_workbench_rules
Create Date: 2026-12-03 07:00:00.000000

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "0014_hazard_map_index"
down_revision = "0013_workbench_rules"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_hazard_reports_map",
        "hazard_reports",
        ["is_private", "latitude", "longitude", "created_at"],
        unique=False,
    )


def downgrade():
    op.drop_index("ix_hazard_reports_map", table_name="hazard_reports")
