"""organizers' group mailings (outbox rows linked to them); the day-before reminder mark

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-02 06:50:00
"""
from alembic import op
import sqlalchemy as sa

import forum.db


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'mailing',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('public_id', sa.String(length=24), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('sent_by', sa.String(length=64), nullable=False),
        sa.Column('sent_by_email', sa.String(length=254), nullable=False),
        sa.Column('subject', sa.JSON(), nullable=False),
        sa.Column('body', sa.JSON(), nullable=False),
        sa.Column('audience', sa.JSON(), nullable=False),
        sa.Column('recipients', sa.Integer(), nullable=False),
        sa.Column('created_at', forum.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['event.id'],
                                name=op.f('fk_mailing_event_id_event'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mailing')),
        sa.UniqueConstraint('public_id', name=op.f('uq_mailing_public_id')),
    )
    with op.batch_alter_table('mailing', schema=None) as batch_op:
        batch_op.create_index('ix_mailing_event_created', ['event_id', 'id'], unique=False)
    op.create_table(
        'mail_reminder',
        sa.Column('participant_id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('created_at', forum.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['event.id'],
                                name=op.f('fk_mail_reminder_event_id_event'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['participant_id'], ['participant.id'],
                                name=op.f('fk_mail_reminder_participant_id_participant'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('participant_id', name=op.f('pk_mail_reminder')),
    )
    with op.batch_alter_table('mail_reminder', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_reminder_event_id'), ['event_id'],
                              unique=False)
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mailing_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_outbox_message_mailing_id_mailing'),
                                    'mailing', ['mailing_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index('ix_outbox_message_mailing_status', ['mailing_id', 'status'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_message_mailing_status')
        batch_op.drop_constraint(batch_op.f('fk_outbox_message_mailing_id_mailing'),
                                 type_='foreignkey')
        batch_op.drop_column('mailing_id')
    with op.batch_alter_table('mail_reminder', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_reminder_event_id'))
    op.drop_table('mail_reminder')
    with op.batch_alter_table('mailing', schema=None) as batch_op:
        batch_op.drop_index('ix_mailing_event_created')
    op.drop_table('mailing')
