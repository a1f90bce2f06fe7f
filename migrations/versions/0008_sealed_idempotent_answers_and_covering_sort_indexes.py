"""sealed idempotent answers (key hash, sealed body, subject); sort indexes end with the id

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 03:40:00

Stored answers were readable (manage tokens) and their keys kept as sent. They live at most a
day and cannot be sealed after the fact (the key that seals them is the client's), so the
table is recreated empty: a retry of a request sent before the upgrade registers again, which
the same-email rule answers with already_registered.
"""
from alembic import op
import sqlalchemy as sa

import forum.db


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

_SORT_INDEXES = {
    'ix_participant_event_last_name': ['event_id', 'last_name', 'first_name'],
    'ix_participant_event_status_name': ['event_id', 'status', 'last_name', 'first_name'],
    'ix_participant_event_country_name': ['event_id', 'country', 'last_name', 'first_name'],
    'ix_participant_event_created': ['event_id', 'created_at'],
    'ix_participant_category_name': ['category_id', 'last_name', 'first_name'],
}


def _idempotency_table(sealed: bool) -> None:
    if sealed:
        columns = [sa.Column('key_hash', sa.String(length=64), nullable=False),
                   sa.Column('request_hash', sa.String(length=64), nullable=False),
                   sa.Column('status_code', sa.Integer(), nullable=False),
                   sa.Column('sealed_body', sa.LargeBinary(), nullable=True),
                   sa.Column('subject', sa.String(length=64), nullable=True)]
        unique = sa.UniqueConstraint('scope', 'key_hash',
                                     name=op.f('uq_idempotency_record_scope_key_hash'))
    else:
        columns = [sa.Column('key', sa.String(length=200), nullable=False),
                   sa.Column('request_hash', sa.String(length=64), nullable=False),
                   sa.Column('status_code', sa.Integer(), nullable=False),
                   sa.Column('response_body', sa.String(length=4000), nullable=False)]
        unique = sa.UniqueConstraint('scope', 'key', name=op.f('uq_idempotency_record_scope_key'))
    op.create_table('idempotency_record',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('scope', sa.String(length=100), nullable=False),
                    *columns,
                    sa.Column('created_at', forum.db.UTCDateTime(timezone=True), nullable=False),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_idempotency_record')),
                    unique)
    with op.batch_alter_table('idempotency_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idempotency_record_created_at'), ['created_at'],
                              unique=False)
        if sealed:
            batch_op.create_index(batch_op.f('ix_idempotency_record_subject'), ['subject'],
                                  unique=False)


def _sort_indexes(with_id: bool) -> None:
    with op.batch_alter_table('participant', schema=None) as batch_op:
        for name, columns in _SORT_INDEXES.items():
            batch_op.drop_index(name)
            batch_op.create_index(name, columns + (['id'] if with_id else []), unique=False)


def upgrade():
    op.drop_table('idempotency_record')
    _idempotency_table(sealed=True)
    _sort_indexes(with_id=True)


def downgrade():
    _sort_indexes(with_id=False)
    op.drop_table('idempotency_record')
    _idempotency_table(sealed=False)
