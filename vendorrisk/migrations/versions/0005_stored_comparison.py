"""stored year-over-year comparison; export jobs

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 07:45:00

Reports extracted before this revision have no stored pairs yet: their page
pairs exceptions on each view (as before) until `flask reports compare --all`
has run once; every extraction and reviewer edit after the upgrade stores them.
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.add_column(sa.Column('compared_with_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_report_compared_with_id'), ['compared_with_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_report_compared_with_id_report'), 'report', ['compared_with_id'],
                                    ['id'], ondelete='SET NULL')
    with op.batch_alter_table('report_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('previous_item_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_report_item_previous_item_id'), ['previous_item_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_report_item_previous_item_id_report_item'), 'report_item',
                                    ['previous_item_id'], ['id'], ondelete='SET NULL')
    op.create_table(
        'export_job',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('fmt', sa.String(length=10), nullable=False),
        sa.Column('vendor_id', sa.Integer(), nullable=True),
        sa.Column('requested_by_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.Enum('queued', 'running', 'done', 'failed', name='jobstatus', native_enum=False,
                                    length=40, create_constraint=False), nullable=False),
        sa.Column('rows_done', sa.Integer(), nullable=False),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('size_bytes', sa.BigInteger(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['requested_by_id'], ['user_account.id'],
                                name=op.f('fk_export_job_requested_by_id_user_account'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['vendor_id'], ['vendor.id'], name=op.f('fk_export_job_vendor_id_vendor'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_export_job')),
    )
    with op.batch_alter_table('export_job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_export_job_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_export_job_requested_by_id'), ['requested_by_id'], unique=False)


def downgrade() -> None:
    op.drop_table('export_job')
    with op.batch_alter_table('report_item', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_report_item_previous_item_id_report_item'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_report_item_previous_item_id'))
        batch_op.drop_column('previous_item_id')
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_report_compared_with_id_report'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_report_compared_with_id'))
        batch_op.drop_column('compared_with_id')
