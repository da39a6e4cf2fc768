"""Issue 5: review schedule, reminders, notifications, bridge letters, calendar feeds

Revision ID: 0200
Revises: 0001
Create Date: 2026-11-28 00:34:38.639891
"""
from alembic import op
import sqlalchemy as sa


revision = '0200'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sweep_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reviews_created', sa.Integer(), nullable=False),
    sa.Column('reviews_rescheduled', sa.Integer(), nullable=False),
    sa.Column('reminders_sent', sa.Integer(), nullable=False),
    sa.Column('escalations_sent', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sweep_run'))
    )
    with op.batch_alter_table('sweep_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sweep_run_day'), ['day'], unique=False)

    op.create_table('calendar_feed',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_sha256', sa.String(length=64), nullable=False),
    sa.Column('scope', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_calendar_feed_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_calendar_feed')),
    sa.UniqueConstraint('token_sha256', name=op.f('uq_calendar_feed_token_sha256'))
    )
    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=500), nullable=True),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('email_status', sa.Enum('not_sent', 'pending', 'sent', 'failed', name='emailstatus', native_enum=False, length=40), nullable=False),
    sa.Column('email_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('email_error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_notification_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification'))
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_email_status'), ['email_status'], unique=False)
        batch_op.create_index('ix_notification_user_id_read_at', ['user_id', 'read_at'], unique=False)

    op.create_table('review_policy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('critical_months', sa.Integer(), nullable=False),
    sa.Column('high_months', sa.Integer(), nullable=False),
    sa.Column('medium_months', sa.Integer(), nullable=False),
    sa.Column('low_months', sa.Integer(), nullable=False),
    sa.Column('issuance_lag_days', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_review_policy_updated_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_policy'))
    )
    op.create_table('bridge_letter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('requested', 'received', name='bridgeletterstatus', native_enum=False, length=40), nullable=False),
    sa.Column('requested_on', sa.Date(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('covered_through', sa.Date(), nullable=True),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_bridge_letter_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_bridge_letter_document_id_document'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], name=op.f('fk_bridge_letter_report_id_report'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendor.id'], name=op.f('fk_bridge_letter_vendor_id_vendor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bridge_letter'))
    )
    with op.batch_alter_table('bridge_letter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bridge_letter_vendor_id'), ['vendor_id'], unique=False)

    op.create_table('review_reminder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('due_60', 'due_30', 'due_7', 'due_0', 'overdue', name='reminderkind', native_enum=False, length=40), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('recipients', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['review_id'], ['review.id'], name=op.f('fk_review_reminder_review_id_review'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_reminder')),
    sa.UniqueConstraint('review_id', 'kind', 'period', name='uq_review_reminder_review_id')
    )
    with op.batch_alter_table('review_reminder', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_reminder_review_id'), ['review_id'], unique=False)

    # Plain ALTERs where SQLite allows them: a batch "move and copy" would
    # drop the expression indexes it cannot reflect (uq_vendor_name_lower).
    op.add_column('review', sa.Column('due_reason', sa.String(length=300), nullable=True))
    op.add_column('review', sa.Column('started_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index(op.f('ix_review_completed_at'), 'review', ['completed_at'], unique=False)
    op.create_index(
        'uq_review_open_per_vendor', 'review', ['vendor_id'], unique=True,
        sqlite_where=sa.text("status IN ('scheduled', 'in_progress')"),
        postgresql_where=sa.text("status IN ('scheduled', 'in_progress')"),
    )

    op.create_table('subservice_inventory_link',
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['subservice_organization.id'], name=op.f('fk_subservice_inventory_link_organization_id_subservice_organization'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendor.id'], name=op.f('fk_subservice_inventory_link_vendor_id_vendor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organization_id', name=op.f('pk_subservice_inventory_link')),
    sa.UniqueConstraint('vendor_id', name=op.f('uq_subservice_inventory_link_vendor_id'))
    )

    op.add_column('vendor', sa.Column('review_cadence_months', sa.Integer(), nullable=True))
    op.add_column('vendor', sa.Column('review_due_override', sa.Date(), nullable=True))
    op.add_column('vendor', sa.Column('review_override_reason', sa.Text(), nullable=True))



def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+): a batch copy of `vendor` would
    # cascade-delete every row that references it when the original is dropped.
    op.drop_column('vendor', 'review_override_reason')
    op.drop_column('vendor', 'review_due_override')
    op.drop_column('vendor', 'review_cadence_months')

    op.drop_table('subservice_inventory_link')
    op.drop_index('uq_review_open_per_vendor', table_name='review')
    op.drop_index(op.f('ix_review_completed_at'), table_name='review')
    op.drop_column('review', 'started_at')
    op.drop_column('review', 'due_reason')

    with op.batch_alter_table('review_reminder', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_reminder_review_id'))

    op.drop_table('review_reminder')
    with op.batch_alter_table('bridge_letter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bridge_letter_vendor_id'))

    op.drop_table('bridge_letter')
    op.drop_table('review_policy')
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_user_id_read_at')
        batch_op.drop_index(batch_op.f('ix_notification_email_status'))

    op.drop_table('notification')
    op.drop_table('calendar_feed')
    with op.batch_alter_table('sweep_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sweep_run_day'))

    op.drop_table('sweep_run')
