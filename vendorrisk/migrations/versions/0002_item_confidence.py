"""report items carry the extractor's confidence

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 06:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('report_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confidence', sa.Double(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('report_item', schema=None) as batch_op:
        batch_op.drop_column('confidence')
