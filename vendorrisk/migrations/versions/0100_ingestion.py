"""ingestion: report items with reviewer decisions, job heartbeat, report sign-off

Revision ID: 0100
Revises: 0200
Create Date: 2026-11-28 00:33:29.886380
"""
from alembic import op
import sqlalchemy as sa


revision = '0100'
down_revision = "0200"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('report_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('exception', 'cuec', 'subservice_organization', 'csoc', name='itemkind', native_enum=False, length=40), nullable=False),
    sa.Column('origin', sa.Enum('extracted', 'reviewer', name='itemorigin', native_enum=False, length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('found', sa.Boolean(), nullable=False),
    sa.Column('not_an_item', sa.Boolean(), nullable=False),
    sa.Column('original', sa.JSON(), nullable=True),
    sa.Column('page', sa.Integer(), nullable=True),
    sa.Column('bbox', sa.JSON(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('criteria', sa.JSON(), nullable=False),
    sa.Column('control_id', sa.String(length=100), nullable=True),
    sa.Column('control', sa.Text(), nullable=True),
    sa.Column('test', sa.Text(), nullable=True),
    sa.Column('management_response', sa.Text(), nullable=True),
    sa.Column('subservice_organization', sa.String(length=300), nullable=True),
    sa.Column('method', sa.String(length=20), nullable=True),
    sa.Column('services', sa.Text(), nullable=True),
    sa.Column('triage_status', sa.Enum('new', 'in_review', 'accepted', 'follow_up_required', 'risk_accepted', 'not_applicable', name='triagestatus', native_enum=False, length=40), nullable=True),
    sa.Column('severity', sa.Enum('low', 'medium', 'high', name='severity', native_enum=False, length=40), nullable=True),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('control_reference', sa.String(length=100), nullable=True),
    sa.Column('cuec_status', sa.Enum('implemented', 'partially_implemented', 'not_implemented', 'not_applicable', name='cuecstatus', native_enum=False, length=40), nullable=True),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assignee_id'], ['user_account.id'], name=op.f('fk_report_item_assignee_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['subservice_organization.id'], name=op.f('fk_report_item_organization_id_subservice_organization'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_id'], ['user_account.id'], name=op.f('fk_report_item_owner_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], name=op.f('fk_report_item_report_id_report'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_item'))
    )
    with op.batch_alter_table('report_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_item_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_item_key'), ['key'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_item_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_item_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_item_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index('ix_report_item_report_id_kind', ['report_id', 'kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_item_triage_status'), ['triage_status'], unique=False)

    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.add_column(sa.Column('job_id', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('runs', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('signoff_outcome', sa.Enum('approved', 'approved_with_conditions', 'rejected', name='reviewoutcome', native_enum=False, length=40), nullable=True))
        batch_op.add_column(sa.Column('signoff_comment', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('signed_off_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('signed_off_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_report_signed_off_by_id_user_account'), 'user_account', ['signed_off_by_id'], ['id'], ondelete='SET NULL')



def downgrade() -> None:
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_report_signed_off_by_id_user_account'), type_='foreignkey')
        batch_op.drop_column('signed_off_at')
        batch_op.drop_column('signed_off_by_id')
        batch_op.drop_column('signoff_comment')
        batch_op.drop_column('signoff_outcome')
        batch_op.drop_column('runs')
        batch_op.drop_column('heartbeat_at')
        batch_op.drop_column('job_id')

    with op.batch_alter_table('report_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_item_triage_status'))
        batch_op.drop_index('ix_report_item_report_id_kind')
        batch_op.drop_index(batch_op.f('ix_report_item_owner_id'))
        batch_op.drop_index(batch_op.f('ix_report_item_organization_id'))
        batch_op.drop_index(batch_op.f('ix_report_item_kind'))
        batch_op.drop_index(batch_op.f('ix_report_item_key'))
        batch_op.drop_index(batch_op.f('ix_report_item_assignee_id'))

    op.drop_table('report_item')
