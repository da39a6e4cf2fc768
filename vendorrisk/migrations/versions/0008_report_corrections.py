"""report corrections keep the extractor's value; the vendor-mismatch flag; vendor aliases

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 08:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'report_correction',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('report_id', sa.Integer(), nullable=False),
        sa.Column('field', sa.String(length=40), nullable=False),
        sa.Column('extracted_value', sa.JSON(), nullable=True),
        sa.Column('corrected_value', sa.JSON(), nullable=True),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('corrected_by_id', sa.Integer(), nullable=True),
        sa.Column('corrected_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['corrected_by_id'], ['user_account.id'], name=op.f('fk_report_correction_corrected_by_id_user_account'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['report_id'], ['report.id'], name=op.f('fk_report_correction_report_id_report'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_report_correction')),
        sa.UniqueConstraint('report_id', 'field', name=op.f('uq_report_correction_report_field')),
    )
    with op.batch_alter_table('report_correction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_correction_report_id'), ['report_id'], unique=False)

    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organization_mismatch', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('organization_confirmed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('organization_confirmed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_report_organization_confirmed_by_id_user_account'), 'user_account',
                                    ['organization_confirmed_by_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('vendor', schema=None) as batch_op:
        batch_op.add_column(sa.Column('aliases', sa.JSON(), server_default='[]', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('vendor', schema=None) as batch_op:
        batch_op.drop_column('aliases')

    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_report_organization_confirmed_by_id_user_account'), type_='foreignkey')
        batch_op.drop_column('organization_confirmed_at')
        batch_op.drop_column('organization_confirmed_by_id')
        batch_op.drop_column('organization_mismatch')

    with op.batch_alter_table('report_correction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_correction_report_id'))

    op.drop_table('report_correction')
