"""scoped staff grants (delegation heads, company managers, more roles) and sign-in lockout

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 23:25:39.758295

"""
from alembic import op
import sqlalchemy as sa

import forum.db


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('access_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('via_cookie', sa.Boolean(), server_default='0', nullable=False))

    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('locked_until', forum.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('password_changed_at', forum.db.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table('grant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('delegation_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('company_id', sa.Integer(), nullable=True))
        batch_op.alter_column('role',
               existing_type=sa.VARCHAR(length=16),
               type_=sa.Enum('admin', 'organizer', 'accreditation', 'checkin_supervisor', 'program', 'viewer', 'delegation_head', 'company_manager', name='role', native_enum=False, length=24),
               existing_nullable=False)
        batch_op.create_index(batch_op.f('ix_grant_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grant_delegation_id'), ['delegation_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_grant_company_id_company'), 'company', ['company_id'], ['id'], ondelete='CASCADE')
        batch_op.create_foreign_key(batch_op.f('fk_grant_delegation_id_delegation'), 'delegation', ['delegation_id'], ['id'], ondelete='CASCADE')
        batch_op.create_check_constraint(
            'delegation_scope', "(role = 'delegation_head') = (delegation_id IS NOT NULL)")
        batch_op.create_check_constraint(
            'company_scope', "(role = 'company_manager') = (company_id IS NOT NULL)")



def downgrade():
    with op.batch_alter_table('grant', schema=None) as batch_op:
        batch_op.drop_constraint('company_scope', type_='check')
        batch_op.drop_constraint('delegation_scope', type_='check')
        batch_op.drop_constraint(batch_op.f('fk_grant_delegation_id_delegation'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_grant_company_id_company'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_grant_delegation_id'))
        batch_op.drop_index(batch_op.f('ix_grant_company_id'))
        batch_op.alter_column('role',
               existing_type=sa.Enum('admin', 'organizer', 'accreditation', 'checkin_supervisor', 'program', 'viewer', 'delegation_head', 'company_manager', name='role', native_enum=False, length=24),
               type_=sa.VARCHAR(length=16),
               existing_nullable=False)
        batch_op.drop_column('company_id')
        batch_op.drop_column('delegation_id')

    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_column('password_changed_at')
        batch_op.drop_column('locked_until')
        batch_op.drop_column('failed_logins')

    with op.batch_alter_table('access_token', schema=None) as batch_op:
        batch_op.drop_column('via_cookie')

