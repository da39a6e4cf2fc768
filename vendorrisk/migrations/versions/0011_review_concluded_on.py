"""review.concluded_on: the day a cycle concluded in the team's calendar, which
the next due date and "completed this quarter" count from (it was the UTC date
of completed_at)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 07:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.add_column(sa.Column('concluded_on', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_review_concluded_on'), ['concluded_on'], unique=False)
    # Concluded reviews keep the day the schedule counted from until now, so
    # an upgrade moves no due date.
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("UPDATE review SET concluded_on = (completed_at AT TIME ZONE 'UTC')::date WHERE completed_at IS NOT NULL")
    else:  # SQLite stores the UTC moment as text: 'YYYY-MM-DD HH:MM:SS...'
        op.execute("UPDATE review SET concluded_on = date(completed_at) WHERE completed_at IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_concluded_on'))
        batch_op.drop_column('concluded_on')
