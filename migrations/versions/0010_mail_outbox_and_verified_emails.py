"""mail outbox (messages written with the change behind them); participants' verified e-mail

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 05:45:00
"""
from alembic import op
import sqlalchemy as sa

import forum.db


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'outbox_message',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('public_id', sa.String(length=24), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=True),
        sa.Column('participant_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('locale', sa.String(length=2), nullable=False),
        sa.Column('to_address', sa.String(length=254), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('body_text', sa.Text(), nullable=False),
        sa.Column('body_html', sa.Text(), nullable=False),
        sa.Column('link_sealed', sa.LargeBinary(), nullable=True),
        sa.Column('with_badge', sa.Boolean(), nullable=False),
        sa.Column('status', sa.Enum('pending', 'sent', 'failed', 'void', name='messagestatus',
                                    native_enum=False, length=16), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', forum.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('lease_until', forum.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('claim_token', sa.String(length=24), nullable=True),
        sa.Column('last_error', sa.String(length=500), nullable=False),
        sa.Column('created_at', forum.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('sent_at', forum.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('purged_at', forum.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['event_id'], ['event.id'],
                                name=op.f('fk_outbox_message_event_id_event'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['participant_id'], ['participant.id'],
                                name=op.f('fk_outbox_message_participant_id_participant'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_message')),
        sa.UniqueConstraint('public_id', name=op.f('uq_outbox_message_public_id')),
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_message_due', ['status', 'next_attempt_at'],
                              unique=False)
        batch_op.create_index('ix_outbox_message_event_status', ['event_id', 'status', 'id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_message_participant_id'),
                              ['participant_id'], unique=False)
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_verified_at', forum.db.UTCDateTime(timezone=True),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_column('email_verified_at')
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_message_participant_id'))
        batch_op.drop_index('ix_outbox_message_event_status')
        batch_op.drop_index('ix_outbox_message_due')
    op.drop_table('outbox_message')
