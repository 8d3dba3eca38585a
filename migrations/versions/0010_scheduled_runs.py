"""scheduled runs: when each job of `flask scheduler run` last ran

Revision ID: 0010_scheduled_runs
Revises: 0009_outbox_recipient_limit
Create Date: 2026-12-03 07:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_scheduled_runs'
down_revision = '0009_outbox_recipient_limit'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('scheduled_runs',
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('claimed_at', sa.DateTime(), nullable=True),
    sa.Column('covered_until', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('outcome', sa.String(length=500), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_scheduled_runs'))
    )


def downgrade():
    op.drop_table('scheduled_runs')
