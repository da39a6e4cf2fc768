"""evidence requests, their links and submissions; evidence documents with expiry

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 08:42:08.174960
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('evidence_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('soc_report', 'bridge_letter', 'iso27001', 'pentest', 'dpa', 'insurance', 'other', name='evidencekind', native_enum=False, length=40, create_constraint=False), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('size_bytes', sa.BigInteger(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('scope', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reminded_for', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user_account.id'], name=op.f('fk_evidence_document_uploaded_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendor.id'], name=op.f('fk_evidence_document_vendor_id_vendor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_document')),
    sa.UniqueConstraint('vendor_id', 'sha256', name='uq_evidence_document_vendor_sha256')
    )
    with op.batch_alter_table('evidence_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_document_expires_on'), ['expires_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_document_vendor_id'), ['vendor_id'], unique=False)

    op.create_table('evidence_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('kinds', sa.JSON(), nullable=False),
    sa.Column('recipient_name', sa.String(length=200), nullable=True),
    sa.Column('recipient_email', sa.String(length=254), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('open', 'answered', 'lapsed', 'cancelled', name='evidencerequeststatus', native_enum=False, length=40, create_constraint=False), nullable=False),
    sa.Column('sweep_key', sa.String(length=60), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminders_sent', sa.Integer(), nullable=False),
    sa.Column('last_reminded_on', sa.Date(), nullable=True),
    sa.Column('email_state', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user_account.id'], name=op.f('fk_evidence_request_requested_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendor.id'], name=op.f('fk_evidence_request_vendor_id_vendor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_request')),
    sa.UniqueConstraint('vendor_id', 'sweep_key', name='uq_evidence_request_vendor_sweep_key')
    )
    with op.batch_alter_table('evidence_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_request_due_date'), ['due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_request_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_request_vendor_id'), ['vendor_id'], unique=False)

    op.create_table('evidence_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['request_id'], ['evidence_request.id'], name=op.f('fk_evidence_link_request_id_evidence_request'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_link')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_evidence_link_token_hash'))
    )
    with op.batch_alter_table('evidence_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_link_request_id'), ['request_id'], unique=False)

    op.create_table('evidence_submission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('soc_report', 'bridge_letter', 'iso27001', 'pentest', 'dpa', 'insurance', 'other', name='evidencekind', native_enum=False, length=40, create_constraint=False), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('evidence_document_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_evidence_submission_document_id_document'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['evidence_document_id'], ['evidence_document.id'], name=op.f('fk_evidence_submission_evidence_document_id_evidence_document'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['request_id'], ['evidence_request.id'], name=op.f('fk_evidence_submission_request_id_evidence_request'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_submission'))
    )
    with op.batch_alter_table('evidence_submission', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_submission_request_id'), ['request_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('evidence_submission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_submission_request_id'))

    op.drop_table('evidence_submission')
    with op.batch_alter_table('evidence_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_link_request_id'))

    op.drop_table('evidence_link')
    with op.batch_alter_table('evidence_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_request_vendor_id'))
        batch_op.drop_index(batch_op.f('ix_evidence_request_status'))
        batch_op.drop_index(batch_op.f('ix_evidence_request_due_date'))

    op.drop_table('evidence_request')
    with op.batch_alter_table('evidence_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_document_vendor_id'))
        batch_op.drop_index(batch_op.f('ix_evidence_document_expires_on'))

    op.drop_table('evidence_document')
