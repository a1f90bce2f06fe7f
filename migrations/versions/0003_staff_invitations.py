"""staff invitations: a hashed token and its expiry on the account

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 23:39:40.095033

"""
from alembic import op
import sqlalchemy as sa

import forum.db


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invitation_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('invitation_expires_at', forum.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_account_invitation_hash'), ['invitation_hash'])



def downgrade():
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_account_invitation_hash'), type_='unique')
        batch_op.drop_column('invitation_expires_at')
        batch_op.drop_column('invitation_hash')

