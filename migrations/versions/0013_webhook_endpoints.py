"""webhook endpoints (secrets sealed); outbox rows of webhook deliveries name their endpoint

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 06:45:00
"""
from alembic import op
import sqlalchemy as sa

import forum.db


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'webhook_endpoint',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('public_id', sa.String(length=24), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('url', sa.String(length=2000), nullable=False),
        sa.Column('events', sa.JSON(), nullable=False),
        sa.Column('secret_sealed', sa.LargeBinary(length=128), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('disabled_reason', sa.String(length=200), nullable=False),
        sa.Column('last_status', sa.Integer(), nullable=True),
        sa.Column('last_error', sa.String(length=500), nullable=False),
        sa.Column('last_attempt_at', forum.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('created_at', forum.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('created_by', sa.String(length=120), nullable=False),
        sa.Column('updated_at', forum.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['event.id'],
                                name=op.f('fk_webhook_endpoint_event_id_event'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_endpoint')),
        sa.UniqueConstraint('public_id', name=op.f('uq_webhook_endpoint_public_id')),
    )
    with op.batch_alter_table('webhook_endpoint', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webhook_endpoint_event_id'), ['event_id'],
                              unique=False)
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('webhook_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_outbox_message_webhook_id_webhook_endpoint'),
                                    'webhook_endpoint', ['webhook_id'], ['id'],
                                    ondelete='CASCADE')
        batch_op.create_index(batch_op.f('ix_outbox_message_webhook_id'), ['webhook_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_message_webhook_id'))
        batch_op.drop_constraint(batch_op.f('fk_outbox_message_webhook_id_webhook_endpoint'),
                                 type_='foreignkey')
        batch_op.drop_column('webhook_id')
    with op.batch_alter_table('webhook_endpoint', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webhook_endpoint_event_id'))
    op.drop_table('webhook_endpoint')
