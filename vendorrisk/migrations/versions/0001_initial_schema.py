"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-28 00:24:00.334741
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
    op.create_index('uq_subservice_organization_name_lower', 'subservice_organization', [sa.text('lower(name)')], unique=True)
    op.create_table('user_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.Enum('admin', 'procurement', 'security', 'compliance', 'viewer', name='role', native_enum=False, length=40), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('email', name=op.f('uq_user_account_email'))
    )
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
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['business_owner_id'], ['user_account.id'], name=op.f('fk_vendor_business_owner_id_user_account')),
    sa.ForeignKeyConstraint(['security_owner_id'], ['user_account.id'], name=op.f('fk_vendor_security_owner_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vendor'))
    )
    with op.batch_alter_table('vendor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vendor_business_owner_id'), ['business_owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vendor_security_owner_id'), ['security_owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vendor_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_vendor_tier'), ['tier'], unique=False)
    # Case-insensitive uniqueness; autogenerate cannot render expression indexes.
    op.create_index('uq_vendor_name_lower', 'vendor', [sa.text('lower(name)')], unique=True)

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
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_report_document_id_document'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendor.id'], name=op.f('fk_report_vendor_id_vendor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report')),
    sa.UniqueConstraint('document_id', name=op.f('uq_report_document_id'))
    )
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_job_status'), ['job_status'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_period_end'), ['period_end'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_vendor_id'), ['vendor_id'], unique=False)

    op.create_table('review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('scheduled', 'in_progress', 'completed', 'waived', name='reviewstatus', native_enum=False, length=40), nullable=False),
    sa.Column('outcome', sa.Enum('approved', 'approved_with_conditions', 'rejected', name='reviewoutcome', native_enum=False, length=40), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('waiver_reason', sa.Text(), nullable=True),
    sa.Column('report_id', sa.Integer(), nullable=True),
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
        batch_op.create_index(batch_op.f('ix_review_due_date'), ['due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_vendor_id'), ['vendor_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_vendor_id'))
        batch_op.drop_index(batch_op.f('ix_review_status'))
        batch_op.drop_index(batch_op.f('ix_review_owner_id'))
        batch_op.drop_index(batch_op.f('ix_review_due_date'))

    op.drop_table('review')
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_vendor_id'))
        batch_op.drop_index(batch_op.f('ix_report_period_end'))
        batch_op.drop_index(batch_op.f('ix_report_job_status'))

    op.drop_table('report')
    with op.batch_alter_table('vendor_subservice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vendor_subservice_organization_id'))

    op.drop_table('vendor_subservice')
    op.drop_table('vendor_data_category')
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
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_vendor_id'))
        batch_op.drop_index(batch_op.f('ix_audit_event_entity_type'))
        batch_op.drop_index(batch_op.f('ix_audit_event_at'))
        batch_op.drop_index(batch_op.f('ix_audit_event_actor_id'))
        batch_op.drop_index(batch_op.f('ix_audit_event_action'))

    op.drop_table('audit_event')
    op.drop_table('user_account')
    op.drop_table('subservice_organization')
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_failure_remote_addr'))
        batch_op.drop_index(batch_op.f('ix_login_failure_email'))
        batch_op.drop_index(batch_op.f('ix_login_failure_at'))

    op.drop_table('login_failure')
