"""notice_sent: the daily sweep's memory of one-off notices (exception follow-up due, renewal-notice date, contract expired)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 08:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('notice_sent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('exception_due', 'renewal_notice', 'contract_expired', name='noticekind', native_enum=False, length=40), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_sent')),
    sa.UniqueConstraint('kind', 'subject_id', 'period', name='uq_notice_sent_kind')
    )


def downgrade() -> None:
    op.drop_table('notice_sent')
