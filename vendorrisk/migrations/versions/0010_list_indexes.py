"""indexes for the list pages and the dashboard at 10,000 vendors: usable reports
per vendor, unowned CUECs, open reviews by due date, vendor status and tier, and
(PostgreSQL only) trigram indexes for the vendor search

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 12:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

USABLE_REPORT = "job_status = 'done' AND extraction_status = 'ok' AND period_end IS NOT NULL"
UNOWNED_CUEC = "kind = 'cuec' AND owner_id IS NULL AND not_an_item IS false AND found IS true"
OPEN_REVIEW = "status IN ('scheduled', 'in_progress')"
# The vendor search's expressions (services.vendors.vendor_query), exactly.
TRIGRAM = {
    'name': "lower(name)",
    'legal_name': "lower(coalesce(legal_name, ''))",
    'services': "lower(coalesce(services, ''))",
}


def upgrade() -> None:
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.create_index('ix_report_usable', ['vendor_id', 'period_end', 'id'], unique=False,
                              sqlite_where=sa.text(USABLE_REPORT), postgresql_where=sa.text(USABLE_REPORT))

    with op.batch_alter_table('report_item', schema=None) as batch_op:
        batch_op.create_index('ix_report_item_unowned_cuec', ['report_id'], unique=False,
                              sqlite_where=sa.text(UNOWNED_CUEC), postgresql_where=sa.text(UNOWNED_CUEC))

    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.create_index('ix_review_open_due', ['due_date'], unique=False,
                              sqlite_where=sa.text(OPEN_REVIEW), postgresql_where=sa.text(OPEN_REVIEW))

    # ix_vendor_status_tier starts with status, so it serves everything ix_vendor_status did.
    with op.batch_alter_table('vendor', schema=None) as batch_op:
        batch_op.drop_index('ix_vendor_status')
        batch_op.create_index('ix_vendor_status_tier', ['status', 'tier', 'id'], unique=False)

    if op.get_bind().dialect.name == 'postgresql':
        # pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it.
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
        for column, expression in TRIGRAM.items():
            op.create_index(f'ix_vendor_{column}_trgm', 'vendor', [sa.literal_column(expression).label(f'{column}_lower')],
                            unique=False, postgresql_using='gin', postgresql_ops={f'{column}_lower': 'gin_trgm_ops'})


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        for column in TRIGRAM:
            op.drop_index(f'ix_vendor_{column}_trgm', table_name='vendor')
        # The extension stays: it may have been there before, or serve something else.

    with op.batch_alter_table('vendor', schema=None) as batch_op:
        batch_op.drop_index('ix_vendor_status_tier')
        batch_op.create_index('ix_vendor_status', ['status'], unique=False)

    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_index('ix_review_open_due', sqlite_where=sa.text(OPEN_REVIEW), postgresql_where=sa.text(OPEN_REVIEW))

    with op.batch_alter_table('report_item', schema=None) as batch_op:
        batch_op.drop_index('ix_report_item_unowned_cuec', sqlite_where=sa.text(UNOWNED_CUEC),
                            postgresql_where=sa.text(UNOWNED_CUEC))

    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_index('ix_report_usable', sqlite_where=sa.text(USABLE_REPORT), postgresql_where=sa.text(USABLE_REPORT))
