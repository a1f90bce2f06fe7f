"""venue, city and gate names per language beside the base text

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 15:30:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('venue_names', sa.JSON(), nullable=False,
                                      server_default='{}'))
        batch_op.add_column(sa.Column('city_names', sa.JSON(), nullable=False,
                                      server_default='{}'))
    with op.batch_alter_table('gate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('names', sa.JSON(), nullable=False, server_default='{}'))


def downgrade():
    with op.batch_alter_table('gate', schema=None) as batch_op:
        batch_op.drop_column('names')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('city_names')
        batch_op.drop_column('venue_names')
