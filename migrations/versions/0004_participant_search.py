"""participant search: folded search keys, a trigram index, indexes for each sort order

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 23:53:35.296554

The trigram index (SQLite FTS5 table and triggers, or pg_trgm GIN index) is created by the
same code that create_all uses (forum.registration.search_index); migrations/env.py keeps it
out of the model comparison.
"""
from alembic import op
import sqlalchemy as sa

from forum.registration import search_index


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

_BATCH = 2000


def _refold_search_keys(connection) -> None:
    """Rewrite every stored key in the folded form (accents, Kazakh letters, phone, word
    starts), before the index is built from them."""
    participant = sa.table('participant', sa.column('id'),
                           *(sa.column(name) for name in search_index.SEARCHED),
                           sa.column('search_key'))
    update = (sa.update(participant).where(participant.c.id == sa.bindparam('row_id'))
              .values(search_key=sa.bindparam('key')))
    last = 0
    while True:
        rows = connection.execute(
            sa.select(participant).where(participant.c.id > last)
            .order_by(participant.c.id).limit(_BATCH)).mappings().all()
        if not rows:
            return
        connection.execute(update, [{'row_id': row['id'], 'key': search_index.search_key(row)}
                                    for row in rows])
        last = rows[-1]['id']


def upgrade():
    # Name sorts read first names from the index too (an OFFSET then skips index entries only).
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_index('ix_participant_event_last_name')
        batch_op.create_index('ix_participant_event_last_name', ['event_id', 'last_name', 'first_name'], unique=False)
        batch_op.create_index('ix_participant_event_country_name', ['event_id', 'country', 'last_name', 'first_name'], unique=False)
        batch_op.create_index('ix_participant_event_created', ['event_id', 'created_at'], unique=False)
        batch_op.create_index('ix_participant_event_status_name', ['event_id', 'status', 'last_name', 'first_name'], unique=False)
        batch_op.drop_index('ix_participant_category_id')
        batch_op.create_index('ix_participant_category_name', ['category_id', 'last_name', 'first_name'], unique=False)
    connection = op.get_bind()
    _refold_search_keys(connection)
    search_index.install(connection)


def downgrade():
    search_index.uninstall(op.get_bind())
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_index('ix_participant_category_name')
        batch_op.create_index('ix_participant_category_id', ['category_id'], unique=False)
        batch_op.drop_index('ix_participant_event_status_name')
        batch_op.drop_index('ix_participant_event_created')
        batch_op.drop_index('ix_participant_event_country_name')
        batch_op.drop_index('ix_participant_event_last_name')
        batch_op.create_index('ix_participant_event_last_name', ['event_id', 'last_name'], unique=False)
