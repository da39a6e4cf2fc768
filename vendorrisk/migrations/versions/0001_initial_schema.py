"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-28 02:55:37.441212
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('login_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('remote_addr', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failure'))
    )
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_failure_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_failure_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_failure_remote_addr'), ['remote_addr'], unique=False)

    op.create_table('subservice_organization',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('website', sa.String(length=500), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subservice_organization'))
    )
    # Case-insensitive uniqueness; autogenerate cannot render expression indexes.
    op.create_index('uq_subservice_organization_name_lower', 'subservice_organization', [sa.text('lower(name)')], unique=True)
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

    op.create_table('user_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.Enum('admin', 'procurement', 'security', 'compliance', 'viewer', name='role', native_enum=False, length=40), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('must_change_password', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('email', name=op.f('uq_user_account_email'))
    )
    op.create_table('api_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_api_token_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_token_token_hash'))
    )
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_token_user_id'), ['user_id'], unique=False)

    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('vendor_id', sa.Integer(), nullable=True),
    sa.Column('entity_type', sa.String(length=50), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=50), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_audit_event_actor_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_entity_type'), ['entity_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_vendor_id'), ['vendor_id'], unique=False)

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
    op.create_table('subservice_alias',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('alias', sa.String(length=200), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['subservice_organization.id'], name=op.f('fk_subservice_alias_organization_id_subservice_organization'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subservice_alias')),
    sa.UniqueConstraint('key', name=op.f('uq_subservice_alias_key'))
    )
    with op.batch_alter_table('subservice_alias', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subservice_alias_organization_id'), ['organization_id'], unique=False)

    op.create_table('vendor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('legal_name', sa.String(length=200), nullable=True),
    sa.Column('website', sa.String(length=500), nullable=True),
    sa.Column('services', sa.Text(), nullable=True),
    sa.Column('business_owner_id', sa.Integer(), nullable=True),
    sa.Column('security_owner_id', sa.Integer(), nullable=True),
    sa.Column('contact_name', sa.String(length=200), nullable=True),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('contact_phone', sa.String(length=50), nullable=True),
    sa.Column('tier', sa.Enum('critical', 'high', 'medium', 'low', name='tier', native_enum=False, length=40), nullable=False),
    sa.Column('has_production_access', sa.Boolean(), nullable=False),
    sa.Column('contract_start', sa.Date(), nullable=True),
    sa.Column('contract_end', sa.Date(), nullable=True),
    sa.Column('renewal_notice_date', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('status', sa.Enum('prospect', 'onboarding', 'active', 'offboarding', 'terminated', name='lifecyclestatus', native_enum=False, length=40), nullable=False),
    sa.Column('intake_data_volume', sa.Enum('none', 'low', 'medium', 'high', name='datavolume', native_enum=False, length=40), nullable=True),
    sa.Column('intake_criticality', sa.Enum('low', 'medium', 'high', name='businesscriticality', native_enum=False, length=40), nullable=True),
    sa.Column('intake_substitutability', sa.Enum('easy', 'moderate', 'difficult', name='substitutability', native_enum=False, length=40), nullable=True),
    sa.Column('suggested_tier', sa.Enum('critical', 'high', 'medium', 'low', name='tier', native_enum=False, length=40), nullable=True),
    sa.Column('tier_override_reason', sa.Text(), nullable=True),
    sa.Column('review_cadence_months', sa.Integer(), nullable=True),
    sa.Column('review_due_override', sa.Date(), nullable=True),
    sa.Column('review_override_reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['business_owner_id'], ['user_account.id'], name=op.f('fk_vendor_business_owner_id_user_account')),
    sa.ForeignKeyConstraint(['security_owner_id'], ['user_account.id'], name=op.f('fk_vendor_security_owner_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vendor'))
    )
    op.create_index('uq_vendor_name_lower', 'vendor', [sa.text('lower(name)')], unique=True)
    with op.batch_alter_table('vendor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vendor_business_owner_id'), ['business_owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vendor_security_owner_id'), ['security_owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vendor_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_vendor_tier'), ['tier'], unique=False)

    op.create_table('document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('soc_report', 'bridge_letter', name='documentkind', native_enum=False, length=40), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('size_bytes', sa.BigInteger(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user_account.id'], name=op.f('fk_document_uploaded_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendor.id'], name=op.f('fk_document_vendor_id_vendor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document')),
    sa.UniqueConstraint('vendor_id', 'sha256', name='uq_document_vendor_sha256')
    )
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_vendor_id'), ['vendor_id'], unique=False)

    op.create_table('onboarding_checklist_item',
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('soc_report', 'security_review', 'contract_dpa', 'owner_assigned', name='checklistitemkind', native_enum=False, length=40), nullable=False),
    sa.Column('state', sa.Enum('open', 'done', 'waived', name='checklistitemstate', native_enum=False, length=40), nullable=False),
    sa.Column('waiver_reason', sa.Text(), nullable=True),
    sa.Column('completed_by_id', sa.Integer(), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['completed_by_id'], ['user_account.id'], name=op.f('fk_onboarding_checklist_item_completed_by_id_user_account')),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendor.id'], name=op.f('fk_onboarding_checklist_item_vendor_id_vendor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('vendor_id', 'kind', name=op.f('pk_onboarding_checklist_item'))
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
    op.create_table('vendor_data_category',
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.Enum('customer_pii', 'employee_pii', 'phi', 'payment_card', 'financial', 'confidential_business', 'credentials_secrets', 'none', name='datacategory', native_enum=False, length=40), nullable=False),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendor.id'], name=op.f('fk_vendor_data_category_vendor_id_vendor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('vendor_id', 'category', name=op.f('pk_vendor_data_category'))
    )
    op.create_table('vendor_subservice',
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('method', sa.Enum('carve-out', 'inclusive', name='subservicemethod', native_enum=False, length=40), nullable=True),
    sa.Column('services', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['subservice_organization.id'], name=op.f('fk_vendor_subservice_organization_id_subservice_organization'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendor.id'], name=op.f('fk_vendor_subservice_vendor_id_vendor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('vendor_id', 'organization_id', name=op.f('pk_vendor_subservice'))
    )
    with op.batch_alter_table('vendor_subservice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vendor_subservice_organization_id'), ['organization_id'], unique=False)

    op.create_table('report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('job_status', sa.Enum('queued', 'running', 'done', 'failed', name='jobstatus', native_enum=False, length=40), nullable=False),
    sa.Column('job_error', sa.Text(), nullable=True),
    sa.Column('progress_page', sa.Integer(), nullable=False),
    sa.Column('progress_pages', sa.Integer(), nullable=True),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('extraction_status', sa.String(length=40), nullable=True),
    sa.Column('extraction_error', sa.Text(), nullable=True),
    sa.Column('framework', sa.String(length=10), nullable=True),
    sa.Column('report_type', sa.String(length=10), nullable=True),
    sa.Column('service_organization', sa.String(length=300), nullable=True),
    sa.Column('auditor', sa.String(length=300), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('opinion', sa.String(length=20), nullable=True),
    sa.Column('opinion_basis', sa.Text(), nullable=True),
    sa.Column('trust_services_criteria', sa.JSON(), nullable=False),
    sa.Column('extraction', sa.JSON(), nullable=True),
    sa.Column('job_id', sa.String(length=100), nullable=True),
    sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('runs', sa.Integer(), server_default='0', nullable=False),
    sa.Column('signoff_outcome', sa.Enum('approved', 'approved_with_conditions', 'rejected', name='reviewoutcome', native_enum=False, length=40), nullable=True),
    sa.Column('signoff_comment', sa.Text(), nullable=True),
    sa.Column('signed_off_by_id', sa.Integer(), nullable=True),
    sa.Column('signed_off_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_report_document_id_document'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['signed_off_by_id'], ['user_account.id'], name=op.f('fk_report_signed_off_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendor.id'], name=op.f('fk_report_vendor_id_vendor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report')),
    sa.UniqueConstraint('document_id', name=op.f('uq_report_document_id'))
    )
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_job_status'), ['job_status'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_period_end'), ['period_end'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_vendor_id'), ['vendor_id'], unique=False)

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

    op.create_table('review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('due_reason', sa.String(length=300), nullable=True),
    sa.Column('status', sa.Enum('scheduled', 'in_progress', 'completed', 'waived', name='reviewstatus', native_enum=False, length=40), nullable=False),
    sa.Column('outcome', sa.Enum('approved', 'approved_with_conditions', 'rejected', name='reviewoutcome', native_enum=False, length=40), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('waiver_reason', sa.Text(), nullable=True),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completed_by_id', sa.Integer(), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['completed_by_id'], ['user_account.id'], name=op.f('fk_review_completed_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_id'], ['user_account.id'], name=op.f('fk_review_owner_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], name=op.f('fk_review_report_id_report'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendor.id'], name=op.f('fk_review_vendor_id_vendor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review'))
    )
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_completed_at'), ['completed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_due_date'), ['due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_vendor_id'), ['vendor_id'], unique=False)
        batch_op.create_index('uq_review_open_per_vendor', ['vendor_id'], unique=True, sqlite_where=sa.text("status IN ('scheduled', 'in_progress')"), postgresql_where=sa.text("status IN ('scheduled', 'in_progress')"))

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



def downgrade() -> None:
    with op.batch_alter_table('review_reminder', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_reminder_review_id'))

    op.drop_table('review_reminder')
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_index('uq_review_open_per_vendor', sqlite_where=sa.text("status IN ('scheduled', 'in_progress')"), postgresql_where=sa.text("status IN ('scheduled', 'in_progress')"))
        batch_op.drop_index(batch_op.f('ix_review_vendor_id'))
        batch_op.drop_index(batch_op.f('ix_review_status'))
        batch_op.drop_index(batch_op.f('ix_review_owner_id'))
        batch_op.drop_index(batch_op.f('ix_review_due_date'))
        batch_op.drop_index(batch_op.f('ix_review_completed_at'))

    op.drop_table('review')
    with op.batch_alter_table('report_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_item_triage_status'))
        batch_op.drop_index('ix_report_item_report_id_kind')
        batch_op.drop_index(batch_op.f('ix_report_item_owner_id'))
        batch_op.drop_index(batch_op.f('ix_report_item_organization_id'))
        batch_op.drop_index(batch_op.f('ix_report_item_kind'))
        batch_op.drop_index(batch_op.f('ix_report_item_key'))
        batch_op.drop_index(batch_op.f('ix_report_item_assignee_id'))

    op.drop_table('report_item')
    with op.batch_alter_table('bridge_letter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bridge_letter_vendor_id'))

    op.drop_table('bridge_letter')
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_vendor_id'))
        batch_op.drop_index(batch_op.f('ix_report_period_end'))
        batch_op.drop_index(batch_op.f('ix_report_job_status'))

    op.drop_table('report')
    with op.batch_alter_table('vendor_subservice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vendor_subservice_organization_id'))

    op.drop_table('vendor_subservice')
    op.drop_table('vendor_data_category')
    op.drop_table('subservice_inventory_link')
    op.drop_table('onboarding_checklist_item')
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_vendor_id'))
        batch_op.drop_index(batch_op.f('ix_document_sha256'))

    op.drop_table('document')
    with op.batch_alter_table('vendor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vendor_tier'))
        batch_op.drop_index(batch_op.f('ix_vendor_status'))
        batch_op.drop_index(batch_op.f('ix_vendor_security_owner_id'))
        batch_op.drop_index(batch_op.f('ix_vendor_business_owner_id'))

    op.drop_table('vendor')
    with op.batch_alter_table('subservice_alias', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subservice_alias_organization_id'))

    op.drop_table('subservice_alias')
    op.drop_table('review_policy')
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_user_id_read_at')
        batch_op.drop_index(batch_op.f('ix_notification_email_status'))

    op.drop_table('notification')
    op.drop_table('calendar_feed')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_vendor_id'))
        batch_op.drop_index(batch_op.f('ix_audit_event_entity_type'))
        batch_op.drop_index(batch_op.f('ix_audit_event_at'))
        batch_op.drop_index(batch_op.f('ix_audit_event_actor_id'))
        batch_op.drop_index(batch_op.f('ix_audit_event_action'))

    op.drop_table('audit_event')
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_token_user_id'))

    op.drop_table('api_token')
    op.drop_table('user_account')
    with op.batch_alter_table('sweep_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sweep_run_day'))

    op.drop_table('sweep_run')
    op.drop_table('subservice_organization')
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_failure_remote_addr'))
        batch_op.drop_index(batch_op.f('ix_login_failure_email'))
        batch_op.drop_index(batch_op.f('ix_login_failure_at'))

    op.drop_table('login_failure')
