"""sign-off guardrails: the guardrails that applied to a conclusion, the
conditions of an approval with conditions, and the reopenings of concluded
reviews and sign-offs

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 08:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.add_column(sa.Column('guardrails', sa.JSON(), server_default='[]', nullable=False))
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signoff_guardrails', sa.JSON(), server_default='[]', nullable=False))
    op.create_table(
        'review_condition',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('review_id', sa.Integer(), nullable=False),
        sa.Column('vendor_id', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=True),
        sa.Column('due_date', sa.Date(), nullable=False),
        sa.Column('status', sa.Enum('open', 'done', name='conditionstatus', native_enum=False, length=40), nullable=False),
        sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('done_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['done_by_id'], ['user_account.id'], name=op.f('fk_review_condition_done_by_id_user_account'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['owner_id'], ['user_account.id'], name=op.f('fk_review_condition_owner_id_user_account'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['review_id'], ['review.id'], name=op.f('fk_review_condition_review_id_review'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['vendor_id'], ['vendor.id'], name=op.f('fk_review_condition_vendor_id_vendor'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_review_condition')),
    )
    with op.batch_alter_table('review_condition', schema=None) as batch_op:
        for column in ('review_id', 'vendor_id', 'owner_id', 'due_date', 'status'):
            batch_op.create_index(batch_op.f(f'ix_review_condition_{column}'), [column], unique=False)
    op.create_table(
        'reopening',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('vendor_id', sa.Integer(), nullable=False),
        sa.Column('review_id', sa.Integer(), nullable=True),
        sa.Column('report_id', sa.Integer(), nullable=True),
        sa.Column('outcome', sa.Enum('approved', 'approved_with_conditions', 'rejected', name='reviewoutcome', native_enum=False, length=40), nullable=True),
        sa.Column('rationale', sa.Text(), nullable=True),
        sa.Column('guardrails', sa.JSON(), server_default='[]', nullable=False),
        sa.Column('concluded_by_id', sa.Integer(), nullable=True),
        sa.Column('concluded_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('reopened_by_id', sa.Integer(), nullable=True),
        sa.Column('reopened_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['concluded_by_id'], ['user_account.id'], name=op.f('fk_reopening_concluded_by_id_user_account'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['reopened_by_id'], ['user_account.id'], name=op.f('fk_reopening_reopened_by_id_user_account'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['report_id'], ['report.id'], name=op.f('fk_reopening_report_id_report'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['review_id'], ['review.id'], name=op.f('fk_reopening_review_id_review'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['vendor_id'], ['vendor.id'], name=op.f('fk_reopening_vendor_id_vendor'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reopening')),
    )
    with op.batch_alter_table('reopening', schema=None) as batch_op:
        for column in ('vendor_id', 'review_id', 'report_id'):
            batch_op.create_index(batch_op.f(f'ix_reopening_{column}'), [column], unique=False)


def downgrade() -> None:
    op.drop_table('reopening')
    op.drop_table('review_condition')
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_column('signoff_guardrails')
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_column('guardrails')
